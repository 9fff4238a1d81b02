package dev.porter.http.proxy;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.HttpVersion;
import dev.porter.http.ProxyConfig;
import dev.porter.http.testing.GeneratedBody;
import dev.porter.http.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy in front of real servers: nginx (Debian's package) and Python's http.server. Killing one of two
 * nginx backends under load loses no idempotent request; a 1 GiB upload arrives byte-identical (SHA-256 computed
 * by the Python backend as it reads), streamed through a proxy whose JVM could not hold it.
 */
class ProxyRealBackendsTest {

    /** {@code -Dporter.proxyUploadBytes=N} changes the upload's size. */
    private static final long UPLOAD = Long.getLong("porter.proxyUploadBytes", 1L << 30);

    @TempDir
    Path dir;
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();

    private HttpServer proxy(ProxyConfig.Builder config) {
        return fixture.proxy(config, HttpConfig.builder().maxBodySize(Long.MAX_VALUE));
    }

    private static HttpClient client() {
        return HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_1_1).build());
    }

    @Test
    void inFrontOfNginx() throws Exception {
        Nginx nginx = fixture.later(Nginx.start("location /who { return 200 \"nginx $http_x_forwarded_for $http_via\"; }"));
        Files.writeString(nginx.root().resolve("page.txt"), "a page\n");
        HttpServer server = proxy(ProxyConfig.builder("http://127.0.0.1:" + nginx.port()));
        try (HttpClient c = client()) {
            String base = "http://127.0.0.1:" + server.port();
            try (ClientResponse r = c.send(ClientRequest.get(base + "/page.txt"))) {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.bodyString()).isEqualTo("a page\n");
                assertThat(r.header("Server")).as("the backend's Server is passed on").startsWith("nginx");
                assertThat(r.header("Via")).isEqualTo("1.1 porter");
            }
            try (ClientResponse r = c.send(ClientRequest.get(base + "/who"))) {
                assertThat(r.bodyString()).isEqualTo("nginx 127.0.0.1 1.1 porter");
            }
            try (ClientResponse r = c.send(ClientRequest.get(base + "/missing"))) {
                assertThat(r.statusCode()).isEqualTo(404);
            }
            try (ClientResponse r = c.send(ClientRequest.head(base + "/page.txt"))) {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.header("Content-Length")).isEqualTo("7");
            }
        }
    }

    @Test
    void inFrontOfPythonsHttpServer() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "from python\n");
        PythonBackend python = fixture.later(PythonBackend.httpServer(dir));
        HttpServer server = proxy(ProxyConfig.builder(python.url()));
        try (HttpClient c = client()) {
            for (int i = 0; i < 3; i++) {
                // http.server speaks HTTP/1.0 and closes each connection: the pool must not reuse one.
                try (ClientResponse r = c.send(ClientRequest.get("http://127.0.0.1:" + server.port() + "/hello.txt"))) {
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.bodyString()).isEqualTo("from python\n");
                }
            }
        }
    }

    @Test
    void killingOneOfTwoBackendsUnderLoadLosesNoIdempotentRequest() throws Exception {
        Nginx a = Nginx.start("location /n { return 200 \"a\"; }");
        Nginx b = fixture.later(Nginx.start("location /n { return 200 \"b\"; }"));
        boolean aClosed = false;
        try {
            HttpServer server = proxy(ProxyConfig.builder("http://127.0.0.1:" + a.port(), "http://127.0.0.1:" + b.port()));
            String url = "http://127.0.0.1:" + server.port() + "/n";
            int threads = 4;
            int perThread = 750;
            AtomicInteger done = new AtomicInteger();
            AtomicInteger fromA = new AtomicInteger();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            try (HttpClient c = client(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            try (ClientResponse r = c.send(ClientRequest.get(url))) {
                                String body = r.bodyString();
                                if (r.statusCode() != 200) failures.add(r.statusCode() + " " + body);
                                else if (body.equals("a")) fromA.incrementAndGet();
                            } catch (IOException e) {
                                failures.add(e.toString());
                            }
                            done.incrementAndGet();
                        }
                        return null;
                    }));
                }
                while (done.get() < threads * perThread / 3) Thread.sleep(5);
                a.close(); // SIGTERM: nginx's fast shutdown drops its connections, requests in flight included
                aClosed = true;
                int atKill = done.get();
                for (Future<?> f : futures) f.get();
                System.out.printf(Locale.ROOT, "failover: %d requests, %d before the kill, %d answered by a, %d failed%n",
                        done.get(), atKill, fromA.get(), failures.size());
            }
            assertThat(failures).as("requests lost").isEmpty();
            assertThat(done.get()).isEqualTo(threads * perThread);
            assertThat(fromA.get()).as("a served its share before it died").isGreaterThan(0);
        } finally {
            if (!aClosed) a.close();
        }
    }

    @Test
    void aGibibyteUploadArrivesByteIdentical() throws Exception {
        PythonBackend python = fixture.later(PythonBackend.sha256("py"));
        HttpServer server = proxy(ProxyConfig.builder(python.url()));
        long started = System.nanoTime();
        GeneratedBody body = new GeneratedBody(UPLOAD);
        try (HttpClient c = client();
             ClientResponse r = c.send(ClientRequest.post("http://127.0.0.1:" + server.port() + "/sha256",
                     ClientRequest.Body.ofStream(body, UPLOAD)))) {
            String answer = r.bodyString();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "proxy upload: %d bytes in %.1f s (%.0f MiB/s)%n", UPLOAD, seconds,
                    UPLOAD / seconds / (1 << 20));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(answer).isEqualTo(body.digest() + " " + UPLOAD);
        }
    }
}
