package dev.porter.http;

import dev.porter.http.ClientRequest.Body;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keep-alive reuse, the idle pool's limits, dead pooled connections, and many threads sharing one client. */
class ClientPoolTest {

    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private static Router app() {
        return new Router()
                .get("/n/{n}", (req, res) -> res.send("n=" + req.pathParam("n")))
                .post("/n/{n}", (req, res) -> res.send("posted " + req.bodyString()))
                .get("/big", (req, res) -> res.send(new byte[1_000_000]))
                .get("/small", (req, res) -> res.send(new byte[1000]));
    }

    @Test
    void reusesOneConnectionForManySequentialRequests() throws IOException {
        try (HttpServer server = HttpServer.start(HttpConfig.defaults(), app()); HttpClient client = HttpClient.create()) {
            for (int i = 0; i < 100; i++) {
                try (ClientResponse res = client.get("http://127.0.0.1:" + server.port() + "/n/" + i)) {
                    assertThat(res.bodyString()).isEqualTo("n=" + i);
                }
            }
            assertThat(server.stats().accepted()).isEqualTo(1);
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
            assertThat(client.stats().idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void manyVirtualThreadsShareOneClient() throws Exception {
        int threads = 200;
        int each = 10;
        try (HttpServer server = HttpServer.start(HttpConfig.defaults(), app());
             HttpClient client = HttpClient.create(ClientConfig.builder().maxIdlePerHost(64).build());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String base = "http://127.0.0.1:" + server.port();
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    int good = 0;
                    for (int i = 0; i < each; i++) {
                        int n = id * 1000 + i;
                        ClientResponse res = i % 2 == 0 ? client.get(base + "/n/" + n)
                                : client.send(ClientRequest.post(base + "/n/" + n, Body.of("x" + n)));
                        try (res) {
                            String expected = i % 2 == 0 ? "n=" + n : "posted x" + n;
                            if (res.bodyString().equals(expected)) good++;
                        }
                    }
                    return good;
                }));
            }
            int good = 0;
            for (Future<Integer> f : results) good += f.get();
            assertThat(good).isEqualTo(threads * each);
            assertThat(client.stats().exchanges()).isEqualTo(threads * each);
            assertThat(client.stats().connectionsOpened()).isEqualTo(server.stats().accepted()).isLessThanOrEqualTo(threads);
            assertThat(client.stats().idleConnections()).isLessThanOrEqualTo(64);
        }
    }

    @Test
    void retriesAnIdempotentRequestOnceWhenThePooledConnectionIsDead() throws IOException {
        // Each connection answers one request, then hangs up on the next one without a word (as a server whose
        // keep-alive timeout passed just as the request arrived).
        try (RawServer server = RawServer.start(ClientPoolTest::answerOnceThenHangUp); HttpClient client = HttpClient.create()) {
            assertThat(client.get(server.url("/1")).bodyString()).isEqualTo("ok");
            assertThat(client.get(server.url("/2")).bodyString()).isEqualTo("ok");
            assertThat(server.accepted()).isEqualTo(2);
            assertThat(client.stats().connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void doesNotRetryANonIdempotentRequest() throws IOException {
        try (RawServer server = RawServer.start(ClientPoolTest::answerOnceThenHangUp); HttpClient client = HttpClient.create()) {
            assertThat(client.get(server.url("/1")).bodyString()).isEqualTo("ok");
            assertThatThrownBy(() -> client.send(ClientRequest.post(server.url("/2"), Body.of("charge the card"))))
                    .isInstanceOfSatisfying(HttpClientException.IncompleteResponse.class, e -> assertThat(e.empty()).isTrue())
                    .hasMessageContaining("POST is not retried");
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    private static void answerOnceThenHangUp(java.net.Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        if (RawServer.readHead(in) == null) return;
        out.write(OK);
        out.flush();
        RawServer.readHead(in); // the next request: closing now, unanswered
    }

    @Test
    void replacesAConnectionTheServerClosedWhileIdle() throws Exception {
        HttpConfig config = HttpConfig.builder().keepAliveTimeout(Duration.ofMillis(100)).idleLinger(Duration.ofMillis(10)).build();
        try (HttpServer server = HttpServer.start(config, app()); HttpClient client = HttpClient.create()) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(client.get(base + "/n/1").bodyString()).isEqualTo("n=1");
            awaitClosed(server, 1);
            // A POST is not retryable, so the pooled connection is probed first and the dead one is skipped.
            try (ClientResponse res = client.send(ClientRequest.post(base + "/n/2", Body.of("after idle")))) {
                assertThat(res.bodyString()).isEqualTo("posted after idle");
            }
            awaitClosed(server, 2);
            // A GET is retryable: sent on the dead connection without a probe, then retried on a fresh one.
            assertThat(client.get(base + "/n/3").bodyString()).isEqualTo("n=3");
            assertThat(client.stats().connectionsOpened()).isEqualTo(3);
        }
    }

    private static void awaitClosed(HttpServer server, long closed) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.stats().closed() < closed && System.nanoTime() < until) Thread.sleep(10);
        assertThat(server.stats().closed()).isGreaterThanOrEqualTo(closed);
    }

    @Test
    void keepsAtMostMaxIdlePerHostAndClosesThemAfterTheIdleTimeout() throws Exception {
        ClientConfig config = ClientConfig.builder().maxIdlePerHost(3).idleTimeout(Duration.ofMillis(200)).build();
        try (HttpServer server = HttpServer.start(HttpConfig.defaults(), app()); HttpClient client = HttpClient.create(config)) {
            List<ClientResponse> open = new ArrayList<>();
            for (int i = 0; i < 8; i++) open.add(client.get("http://127.0.0.1:" + server.port() + "/small"));
            assertThat(client.stats().connectionsOpened()).isEqualTo(8);
            for (ClientResponse res : open) res.bodyBytes();
            assertThat(client.stats().idleConnections()).isEqualTo(3);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (client.stats().idleConnections() > 0 && System.nanoTime() < until) Thread.sleep(20);
            assertThat(client.stats().idleConnections()).isZero();
        }
    }

    @Test
    void closingEarlyKeepsTheConnectionOnlyWhenLittleIsLeft() throws IOException {
        try (HttpServer server = HttpServer.start(HttpConfig.defaults(), app()); HttpClient client = HttpClient.create()) {
            String base = "http://127.0.0.1:" + server.port();
            try (ClientResponse res = client.get(base + "/small")) {
                assertThat(res.body().read()).isZero(); // 999 bytes left: drained on close
            }
            assertThat(client.stats().idleConnections()).isEqualTo(1);
            try (ClientResponse res = client.get(base + "/big")) {
                assertThat(res.body().read()).isZero(); // almost 1 MB left: cheaper to close
            }
            assertThat(client.stats().idleConnections()).isZero();
            assertThat(client.get(base + "/n/1").bodyString()).isEqualTo("n=1");
            assertThat(client.stats().connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void honoursConnectionCloseOnTheRequest() throws IOException {
        try (HttpServer server = HttpServer.start(HttpConfig.defaults(), app()); HttpClient client = HttpClient.create()) {
            String base = "http://127.0.0.1:" + server.port();
            for (int i = 0; i < 3; i++) {
                ClientRequest req = ClientRequest.builder("GET", base + "/n/" + i).header("Connection", "close").build();
                assertThat(client.send(req).bodyString()).isEqualTo("n=" + i);
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(3);
            assertThat(client.stats().idleConnections()).isZero();
        }
    }
}
