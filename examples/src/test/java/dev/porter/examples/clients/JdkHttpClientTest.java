package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's {@link HttpClient} (HTTP/1.1) against {@link DemoApp}, what {@code porter demo} serves, including many
 * concurrent requests.
 */
class JdkHttpClientTest {

    private static HttpServer server;
    private static HttpClient client;
    private static String base;

    @BeforeAll
    static void start() {
        Router router = DemoApp.router()
                .get("/numbers", (req, res) -> {
                    try (OutputStream out = res.stream()) {
                        for (int i = 0; i < 10_000; i++) out.write((i + "\n").getBytes(StandardCharsets.US_ASCII));
                    }
                });
        server = TestHttp.start(router);
        base = "http://127.0.0.1:" + server.port();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    }

    @Test
    void answersManyConcurrentRequests() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String path = i % 3 == 0 ? "/plaintext" : i % 3 == 1 ? "/json" : "/";
            HttpRequest r = i % 3 == 2
                    ? request(path).POST(HttpRequest.BodyPublishers.ofString("body " + i)).build()
                    : request(path).GET().build();
            pending.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < pending.size(); i++) {
            HttpResponse<String> r = pending.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            String expected = i % 3 == 0 ? "Hello, World!" : i % 3 == 1 ? "{\"message\":\"Hello, World!\"}" : "body " + i;
            assertThat(r.body()).isEqualTo(expected);
        }
    }

    @Test
    void reusesConnectionsForSequentialRequests() throws Exception {
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (own) {
            long before = server.stats().accepted();
            for (int i = 0; i < 20; i++) {
                assertThat(own.send(request("/plaintext").build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("Hello, World!");
            }
            assertThat(server.stats().accepted() - before).as("keep-alive: one connection").isEqualTo(1);
        }
    }

    @Test
    void postsAStreamedBodyOfUnknownLength() throws Exception {
        byte[] data = "0123456789".repeat(50_000).getBytes(StandardCharsets.US_ASCII);
        HttpRequest r = request("/")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)))
                .header("Content-Type", "application/octet-stream").build();
        HttpResponse<byte[]> res = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(data);
    }

    @Test
    void readsAChunkedResponse() throws Exception {
        HttpResponse<String> r = client.send(request("/numbers").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        String[] lines = r.body().split("\n");
        assertThat(lines).hasSize(10_000);
        assertThat(lines[9_999]).isEqualTo("9999");
    }

    @Test
    void seesHeadersOfHeadAndOptions() throws Exception {
        HttpResponse<Void> head = client.send(request("/json").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("27");
        HttpResponse<String> options = client.send(request("/").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(options.headers().firstValue("Allow")).hasValue("GET, POST, HEAD, OPTIONS");
    }

    @Test
    void echoesTheRequestHeaders() throws Exception {
        HttpResponse<String> r = client.send(request("/echo").header("X-Porter-Test", "yes")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("X-Porter-Test: yes\n").containsIgnoringCase("host: 127.0.0.1:" + server.port());
    }
}
