package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --status} on {@code porter serve} and {@code porter demo}: the line naming the page, the page and its
 * endpoints answering, and without the flag nothing under {@code /.porter/} (serve: not even a file of that name).
 */
class StatusFlagTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("Listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STATUS = Pattern.compile("Status page at http://127\\.0\\.0\\.1:(\\d+)/\\.porter/status");

    @TempDir
    Path tmp;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Skips lines until the status line and returns its port. */
    private static int statusPort(ServeProcess p) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            String line = p.line(WAIT);
            assertThat(line).as("stdout line").isNotNull();
            Matcher m = STATUS.matcher(line);
            if (m.matches()) return Integer.parseInt(m.group(1));
        }
        throw new AssertionError("no 'Status page at' line");
    }

    @Test
    void serveWithStatus() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.createDirectories(site.resolve(".porter"));
        Files.writeString(site.resolve(".porter/healthz"), "a file, never served");
        Files.writeString(site.resolve("index.html"), "<p>hi</p>");
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "--dotfiles", "--status")) {
            int port = statusPort(p);
            assertThat(get(port, "/.porter/healthz").body()).isEqualTo("ok\n");
            assertThat(get(port, "/.porter/readyz").body()).isEqualTo("ready\n");
            assertThat(get(port, "/.porter/status").body()).contains("<title>Porter status</title>");
            assertThat(get(port, "/.porter/metrics").body()).contains("# TYPE porter_http_responses_total counter");
            assertThat(get(port, "/.porter/status.json").body()).startsWith("{\"time\":");
            assertThat(get(port, "/index.html").body()).isEqualTo("<p>hi</p>");
        }
    }

    private HttpResponse<String> getFrom(String client, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT)
                .header("X-Forwarded-For", client).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusAllowAdmitsANetworkBesidesLoopbackAndImpliesStatus() throws Exception {
        // With forwarded fields trusted from loopback, the client they name is who asks.
        try (ServeProcess p = ServeProcess.start(tmp, "demo", "-p", "0", "--trust-forwarded", "--status-allow", "10.0.0.0/8")) {
            int port = statusPort(p);
            assertThat(getFrom("10.9.8.7", port, "/.porter/metrics").statusCode()).isEqualTo(200);
            HttpResponse<String> other = getFrom("192.0.2.1", port, "/.porter/status.json");
            assertThat(other.statusCode()).isEqualTo(403);
            assertThat(other.body()).contains("--status-allow");
            assertThat(getFrom("192.0.2.1", port, "/.porter/readyz").statusCode()).as("readyz answers anyone").isEqualTo(200);
            assertThat(get(port, "/.porter/status.json").statusCode()).as("loopback still").isEqualTo(200);
        }
    }

    @Test
    void aBadStatusAllowIsAUsageError() {
        Cli.Result r = Cli.run("demo", "-p", "0", "--status-allow", "example.com");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--status-allow").doesNotContain("Exception");
    }

    @Test
    void serveWithoutStatusHasNone() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q")) {
            String first = p.line(WAIT);
            Matcher m = LISTENING.matcher(first);
            assertThat(m.matches()).as(first).isTrue();
            int port = Integer.parseInt(m.group(1));
            assertThat(get(port, "/.porter/healthz").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void demoWithStatus() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "demo", "-p", "0", "--status")) {
            String first = p.line(WAIT);
            assertThat(first).matches(LISTENING);
            int port = statusPort(p);
            assertThat(get(port, "/plaintext").body()).isEqualTo("Hello, World!");
            assertThat(get(port, "/.porter/status.json").body()).contains("\"2xx\":1");
            assertThat(get(port, "/.porter/healthz").body()).isEqualTo("ok\n");
        }
    }
}
