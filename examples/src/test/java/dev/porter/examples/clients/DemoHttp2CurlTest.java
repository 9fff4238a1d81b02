package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.Processes;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * curl over h2c (HTTP/2 with prior knowledge) against {@link DemoApp} with the default configuration, as
 * {@code porter demo} serves it and bench/run measures it: the same routes as over HTTP/1.1, a body of a few MiB
 * echoed back intact, the request's fields as the handler saw them (lower-case names, {@code :authority} as
 * {@code Host}). One curl per URL: curl 7.88 does not reuse a prior-knowledge connection (curl#10634).
 */
class DemoHttp2CurlTest {

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

    private static Processes.Result curl(byte[] stdin, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--http2-prior-knowledge", "--max-time", "20"));
        command.addAll(List.of(args));
        Processes.Result r = Processes.run(LIMIT, stdin, command);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void servesTheDemoRoutesOverH2c() {
        assertThat(curl(null, "-w", "|%{http_version}", base + "/plaintext").stdout()).isEqualTo("Hello, World!|2");
        assertThat(curl(null, "-w", "|%{http_version}", base + "/json").stdout()).isEqualTo("{\"message\":\"Hello, World!\"}|2");
        assertThat(curl(null, "-I", base + "/plaintext").stdout()).startsWith("HTTP/2 200").contains("content-length: 13");
    }

    @Test
    void echoesABodyOfAFewMebibytesIntact() {
        byte[] data = new byte[3 * 1024 * 1024 + 1];
        new Random(5).nextBytes(data);
        // Processes decodes stdout as UTF-8: the bytes are compared through their SHA-256.
        Processes.Result sum = Processes.run(LIMIT, data, List.of("sh", "-c",
                "curl -sS --http2-prior-knowledge --max-time 20 --data-binary @- " + base + "/ | sha256sum"));
        Processes.Result expected = Processes.run(LIMIT, data, List.of("sha256sum"));
        assertThat(sum.exit()).as(sum.toString()).isZero();
        assertThat(sum.stdout()).isEqualTo(expected.stdout());
    }

    @Test
    void theHandlerSeesTheFieldsInLowerCaseAndTheAuthorityAsHost() {
        String echoed = curl(null, "-X", "POST", "-H", "X-Demo: yes", base + "/echo").stdout();
        assertThat(echoed).contains("x-demo: yes").contains("user-agent: curl/");
        assertThat(echoed.toLowerCase(java.util.Locale.ROOT)).contains("host: 127.0.0.1:" + server.port());
    }
}
