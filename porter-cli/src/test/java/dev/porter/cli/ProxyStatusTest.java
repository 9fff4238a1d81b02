package dev.porter.cli;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code porter proxy --status}: the page on the proxy's own listener, its paths answered by the proxy and never
 * forwarded (over HTTP/1.1 and HTTP/2), {@code --status-allow} as on serve and demo, and readyz turning 503 on
 * SIGTERM while the proxy goes on forwarding for the drain grace.
 */
class ProxyStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A GET on a new connection, as a load balancer's check makes. */
    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT);
        if (headers.length > 0) b.headers(headers);
        try (HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return fresh.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void theStatusPathsAreAnsweredByTheProxyAndNeverReachTheBackend() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (HttpServer backend = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), (req, res) -> {
            seen.add(req.rawPath());
            res.send("backend " + req.rawPath());
        }); PorterProcess porter = PorterProcess.start("proxy", "--to", "http://127.0.0.1:" + backend.port(), "-p", "0",
                "--status")) {
            int port = porter.listeningPort("http");
            assertThat(porter.nextLine()).startsWith("Proxying to ");
            assertThat(porter.nextLine()).isEqualTo("Status page at http://127.0.0.1:" + port + "/.porter/status");
            assertThat(get(port, "/hello").body()).isEqualTo("backend /hello");
            assertThat(get(port, "/.porter/healthz").body()).isEqualTo("ok\n");
            assertThat(get(port, "/.porter/readyz").body()).isEqualTo("ready\n");
            assertThat(get(port, "/.porter/status").body()).contains("<title>Porter status</title>");
            assertThat(get(port, "/.porter/metrics").body()).contains("porter_http_responses_total{class=\"2xx\"} ");
            assertThat(get(port, "/.porter/status.json").body()).startsWith("{\"time\":");
            assertThat(get(port, "/.porter/no-such-page").statusCode()).as("the proxy's 404, not the backend's 200").isEqualTo(404);
            if (Processes.onPath("curl")) {
                Processes.Result r = Processes.run(WAIT, "curl", "-sS", "--http2-prior-knowledge", "-w", "|%{http_version}",
                        "http://127.0.0.1:" + port + "/.porter/healthz");
                assertThat(r.stdout()).isEqualTo("ok\n|2");
            }
            assertThat(seen).as("what the backend saw").containsExactly("/hello");
            assertThat(porter.terminate()).isIn(0, 143);
        }
    }

    @Test
    void statusAllowAdmitsMoreThanLoopbackAndImpliesStatus() throws Exception {
        try (HttpServer backend = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(),
                (req, res) -> res.send("backend")); PorterProcess porter = PorterProcess.start("proxy", "--to",
                "http://127.0.0.1:" + backend.port(), "-p", "0", "--status-allow", "any")) {
            int port = porter.listeningPort("http");
            porter.nextLine();
            assertThat(porter.nextLine()).startsWith("Status page at ");
            assertThat(get(port, "/.porter/status.json").statusCode()).isEqualTo(200);
            assertThat(porter.terminate()).isIn(0, 143);
        }
        Cli.Result bad = Cli.run("proxy", "--to", "http://127.0.0.1:1", "-p", "0", "--status-allow", "example.com");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(bad.err()).contains("--status-allow").doesNotContain("Exception");
    }

    @Test
    void onSigtermReadyzTurns503WhileTheProxyGoesOnForwardingForTheDrainGrace() throws Exception {
        try (HttpServer backend = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(),
                (req, res) -> res.send("backend")); PorterProcess porter = PorterProcess.start("proxy", "--to",
                "http://127.0.0.1:" + backend.port(), "-p", "0", "--status", "--drain-grace", "3s")) {
            int port = porter.listeningPort("http");
            porter.nextLine();
            porter.nextLine();
            assertThat(get(port, "/.porter/readyz").statusCode()).isEqualTo(200);
            porter.signalTerm();
            assertThat(porter.nextLine()).startsWith("Draining: readyz answers 503");
            HttpResponse<String> ready = get(port, "/.porter/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("stopping\n");
            assertThat(get(port, "/.porter/healthz").statusCode()).as("alive, just not ready").isEqualTo(200);
            assertThat(get(port, "/x").body()).as("a new connection during the drain is still forwarded").isEqualTo("backend");
            assertThat(porter.awaitExit()).isIn(0, 143);
        }
    }
}
