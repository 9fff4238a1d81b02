package dev.porter.http;

import dev.porter.http.ClientRequest.Body;
import dev.porter.http.testing.DigestDownload;
import dev.porter.http.testing.Nginx;
import dev.porter.http.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client against a real nginx (skipped when nginx is not installed): keep-alive reuse counted by nginx's own
 * connection serial numbers, chunked and gzip-encoded responses, redirects of every kind, many virtual threads, and a
 * 1 GiB download, byte-identical, in a JVM with a 64 MiB heap.
 */
class ClientNginxTest {

    private static final long BIG = 1L << 30;
    private static Nginx nginx;
    private static HttpClient client;
    private static String text;

    @BeforeAll
    static void start() throws Exception {
        StringBuilder locations = new StringBuilder("""
                location = /conn { return 200 "$connection"; }
                location = /echo { return 200 "m=$request_method cl=$http_content_length auth=$http_authorization"; }
                location = /loop { return 302 /loop; }
                location /gz/ { gzip on; gzip_types text/plain; gzip_min_length 1; }
                location /ssi/ { ssi on; ssi_types text/plain; }
                """);
        for (int code : new int[] {301, 302, 303, 307, 308}) {
            locations.append("location = /r").append(code).append(" { return ").append(code).append(" /echo; }\n");
        }
        nginx = Nginx.start(locations.toString());
        text = "nginx serves this line, again and again.\n".repeat(5000);
        for (String dir : new String[] {"gz", "ssi"}) {
            Files.createDirectories(nginx.root().resolve(dir));
            Files.writeString(nginx.root().resolve(dir).resolve("text.txt"), text, StandardCharsets.US_ASCII);
        }
        client = HttpClient.create();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) client.close();
        if (nginx != null) nginx.close();
    }

    @Test
    void reusesOneConnectionForManyRequests() throws IOException {
        try (HttpClient fresh = HttpClient.create()) {
            Set<String> connections = new HashSet<>();
            for (int i = 0; i < 50; i++) connections.add(fresh.get(nginx.url("/conn")).bodyString());
            assertThat(connections).hasSize(1);
            assertThat(fresh.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void readsAChunkedResponse() throws IOException {
        try (ClientResponse res = client.get(nginx.url("/ssi/text.txt"))) {
            assertThat(res.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(res.bodyString()).isEqualTo(text);
        }
    }

    @Test
    void decodesAGzipEncodedChunkedResponse() throws IOException {
        try (HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build());
             ClientResponse res = gz.get(nginx.url("/gz/text.txt"))) {
            assertThat(res.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(res.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(res.bodyString()).isEqualTo(text);
            assertThat(gz.stats().idleConnections()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void followsEveryKindOfRedirect(int code) throws IOException {
        try (ClientResponse res = client.get(nginx.url("/r" + code))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.uri().getPath()).isEqualTo("/echo");
            assertThat(res.bodyString()).startsWith("m=GET");
        }
        ClientRequest post = ClientRequest.builder("POST", nginx.url("/r" + code)).header("Authorization", "Basic eDp5")
                .body(Body.of("12345")).build();
        try (ClientResponse res = client.send(post)) {
            String expected = code >= 307 ? "m=POST cl=5 auth=Basic eDp5" : "m=GET cl= auth=Basic eDp5";
            assertThat(res.bodyString()).isEqualTo(expected);
        }
    }

    @Test
    void stopsARedirectLoop() {
        try (HttpClient limited = HttpClient.create(ClientConfig.builder().maxRedirects(5).build())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> limited.get(nginx.url("/loop")))
                    .isInstanceOf(HttpClientException.TooManyRedirects.class);
        }
    }

    @Test
    void manyVirtualThreadsShareOneClient() throws Exception {
        int threads = 200;
        try (HttpClient shared = HttpClient.create(ClientConfig.builder().maxIdlePerHost(256).build());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    for (int i = 0; i < 5; i++) seen.add(shared.get(nginx.url("/conn")).bodyString());
                    return seen;
                }));
            }
            Set<String> connections = new HashSet<>();
            int answers = 0;
            for (Future<List<String>> f : results) {
                for (String c : f.get()) {
                    assertThat(c).matches("[0-9]+");
                    connections.add(c);
                    answers++;
                }
            }
            assertThat(answers).isEqualTo(threads * 5);
            // Every connection nginx saw was opened by the client, and reused: fewer connections than requests.
            assertThat(connections).hasSize((int) shared.stats().connectionsOpened());
            assertThat(shared.stats().connectionsOpened()).isLessThanOrEqualTo(threads);
        }
    }

    @Test
    void downloadsOneGibibyteByteIdenticalWithASmallHeap() throws Exception {
        Path big = nginx.root().resolve("big.bin");
        String expected = TestFiles.write(big, BIG);
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    DigestDownload.class.getName(), nginx.url("/big.bin")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            String[] parts = out.split(" ");
            assertThat(parts[0]).isEqualTo(expected);
            assertThat(Long.parseLong(parts[1])).isEqualTo(BIG);
            assertThat(Long.parseLong(parts[2])).isLessThanOrEqualTo(64L << 20);
        } finally {
            Files.deleteIfExists(big);
        }
    }
}
