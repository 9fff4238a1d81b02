package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.Processes;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * curl against {@link DemoApp}, what {@code porter demo} serves: keep-alive reuse, bodies (streamed back when large
 * or chunked), HEAD, HTTP/1.0 and 100-continue.
 */
class CurlTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() {
        assumeTrue(Processes.onPath("curl"), "curl is not installed (.ci/run installs it); skipping the curl tests");
        server = TestHttp.start(DemoApp.router());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void reusesOneConnectionForSeveralRequests() {
        long before = server.stats().accepted();
        Processes.Result r = Processes.run(LIMIT, "curl", "-sS", "-v", base + "/plaintext", base + "/json", base + "/plaintext");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("Hello, World!{\"message\":\"Hello, World!\"}Hello, World!");
        assertThat(r.stderr()).as("curl -v shows the reuse").contains("Re-using existing connection");
        assertThat(server.stats().accepted() - before).as("one TCP connection").isEqualTo(1);
    }

    @Test
    void postsABodyAndGetsItEchoed() {
        Processes.Result r = Processes.run(LIMIT, "curl", "-sS", "--data-binary", "hello porter", "-H", "Content-Type: text/plain", base + "/");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("hello porter");
    }

    @Test
    void uploadsAChunkedBodyFromStdin() {
        byte[] data = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        Processes.Result r = Processes.run(LIMIT, data, List.of("curl", "-sS", "-v", "-H", "Transfer-Encoding: chunked",
                "--data-binary", "@-", base + "/"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("Transfer-Encoding: chunked");
        assertThat(r.stdout()).hasSize(100_000);
    }

    @Test
    void sendsALargeBodyAfter100Continue() {
        byte[] data = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(data, (byte) 'z');
        Processes.Result r = Processes.run(LIMIT, data, List.of("curl", "-sS", "-v", "-H", "Expect: 100-continue",
                "--data-binary", "@-", base + "/"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("HTTP/1.1 100 Continue");
        assertThat(r.stdout()).hasSize(data.length);
    }

    @Test
    void getsHeadersOnlyForHead() {
        Processes.Result r = Processes.run(LIMIT, "curl", "-sS", "-I", base + "/plaintext");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 13").contains("Server: Porter")
                .doesNotContain("Hello");
    }

    @Test
    void speaksHttp10() {
        Processes.Result r = Processes.run(LIMIT, "curl", "-sS", "-v", "--http1.0", base + "/json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("{\"message\":\"Hello, World!\"}");
        assertThat(r.stderr()).contains("GET /json HTTP/1.0");
    }

    @Test
    void seesTheRoutersAnswers() {
        Processes.Result missing = Processes.run(LIMIT, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "/missing");
        assertThat(missing.stdout()).as(missing.toString()).isEqualTo("404");
        Processes.Result delete = Processes.run(LIMIT, "curl", "-sS", "-D", "-", "-o", "/dev/null", "-X", "DELETE", base + "/plaintext");
        assertThat(delete.stdout()).as(delete.toString()).startsWith("HTTP/1.1 405").contains("Allow: GET, HEAD, OPTIONS");
    }
}
