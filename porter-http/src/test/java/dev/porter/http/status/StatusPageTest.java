package dev.porter.http.status;

import dev.porter.core.testing.Await;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.StatusPage;
import dev.porter.http.testing.Json;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status endpoints over HTTP/1.1 with the JDK client: off by default, the page's headers, the Prometheus text
 * read by a strict parser, status.json's fields and values, health and readiness through a graceful stop.
 */
class StatusPageTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch inSlow = new CountDownLatch(1);
    private HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Router router() {
        return new Router()
                .get("/hello", (req, res) -> res.send("hello"))
                .post("/echo", (req, res) -> res.send(new String(req.body().readAllBytes())))
                .get("/slow", (req, res) -> {
                    inSlow.countDown();
                    if (!release.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    res.send("slow done");
                })
                .websocket("/ws", ws -> {
                    for (dev.porter.http.WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                });
    }

    private HttpServer start(StatusPage page) {
        server = TestHttp.start(HttpConfig.builder().statusPage(page), router());
        return server;
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        if (server != null) server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose client, for the server, is {@code forwardedFor} (the test's loopback peer is trusted to say so). */
    private HttpResponse<String> getFrom(String forwardedFor, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("X-Forwarded-For", forwardedFor)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyLoopbackReadsThePageByDefaultWhileHealthAndReadinessAnswerAnyone() throws Exception {
        // The test's loopback peer is a trusted proxy: the client it names is who asks.
        server = TestHttp.start(HttpConfig.builder().statusPage(StatusPage.defaults())
                .trustedProxies(dev.porter.core.AddressRange.LOOPBACK), router());
        for (String page : List.of("/.porter/status", "/.porter/status.json", "/.porter/metrics", "/.porter/status/events",
                "/.porter/status.js")) {
            HttpResponse<String> r = getFrom("203.0.113.7", page);
            assertThat(r.statusCode()).as(page).isEqualTo(403);
            assertThat(r.body()).as(page).contains("--status-allow").doesNotContain("203.0.113.7");
        }
        assertThat(getFrom("203.0.113.7", "/.porter/healthz").statusCode()).isEqualTo(200);
        assertThat(getFrom("203.0.113.7", "/.porter/readyz").statusCode()).isEqualTo(200);
        assertThat(getFrom("::1", "/.porter/status.json").statusCode()).isEqualTo(200);
        assertThat(get("/.porter/status.json").statusCode()).as("loopback itself").isEqualTo(200);
    }

    /** The 403 is for anyone on the internet: it must not tell them which networks may read the page. */
    @Test
    void theRefusalDoesNotNameTheNetworksAllowed() throws Exception {
        server = TestHttp.start(HttpConfig.builder()
                .statusPage(StatusPage.defaults().withViewers(List.of(dev.porter.core.AddressRange.parse("10.20.0.0/16"))))
                .trustedProxies(dev.porter.core.AddressRange.LOOPBACK), router());
        HttpResponse<String> r = getFrom("203.0.113.7", "/.porter/metrics");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("--status-allow").doesNotContain("10.20.");
    }

    @Test
    void viewersAdmitTheirRangesAndAnyoneAdmitsEveryone() throws Exception {
        server = TestHttp.start(HttpConfig.builder()
                .statusPage(StatusPage.defaults().withViewers(List.of(dev.porter.core.AddressRange.parse("10.0.0.0/8"))))
                .trustedProxies(dev.porter.core.AddressRange.LOOPBACK), router());
        assertThat(getFrom("10.1.2.3", "/.porter/metrics").statusCode()).isEqualTo(200);
        assertThat(getFrom("11.1.2.3", "/.porter/metrics").statusCode()).isEqualTo(403);
        assertThat(get("/.porter/metrics").statusCode()).as("loopback is not in the list").isEqualTo(403);
        server.close();
        server = TestHttp.start(HttpConfig.builder().statusPage(StatusPage.defaults().withViewers(StatusPage.ANYONE))
                .trustedProxies(dev.porter.core.AddressRange.LOOPBACK), router());
        assertThat(getFrom("203.0.113.7", "/.porter/status.json").statusCode()).isEqualTo(200);
        assertThat(getFrom("2001:db8::1", "/.porter/status.json").statusCode()).isEqualTo(200);
    }

    @Test
    void offByDefault() throws Exception {
        server = TestHttp.start(router());
        assertThat(get("/.porter/healthz").statusCode()).as("the application's router answers").isEqualTo(404);
        assertThat(get("/.porter/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    void thePagesAndTheirHeaders() throws Exception {
        start(StatusPage.defaults());
        HttpResponse<String> page = get("/.porter/status");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        String csp = page.headers().firstValue("content-security-policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        // Nothing inline for the policy to block: every script and style is a file of its own.
        assertThat(page.body()).contains("<script src=\"status.js\" defer></script>").contains("href=\"status.css\"")
                .doesNotContain("style=").doesNotContain("onclick").doesNotContain("<style");
        assertThat(page.body().split("<script").length - 1).isEqualTo(1);
        assertThat(get("/.porter/status.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/.porter/status.js").headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        HttpResponse<String> root = get("/.porter/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("location")).hasValue("status");
        assertThat(get("/.porter/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/.porter/healthz")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        HttpResponse<String> health = get("/.porter/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(health.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(get("/.porter/readyz").body()).isEqualTo("ready\n");
        // The application still gets everything else, dot-names included.
        assertThat(get("/hello").body()).isEqualTo("hello");
        assertThat(get("/.porterx/healthz").statusCode()).isEqualTo(404);
    }

    @Test
    void anotherPrefix() throws Exception {
        start(StatusPage.defaults().withPrefix("/_admin/"));
        assertThat(get("/_admin/healthz").body()).isEqualTo("ok\n");
        assertThat(get("/.porter/healthz").statusCode()).isEqualTo(404);
    }

    @Test
    void prometheusTextParsesStrictlyAndCounts() throws Exception {
        start(StatusPage.defaults());
        for (int i = 0; i < 10; i++) get("/hello");
        for (int i = 0; i < 3; i++) get("/missing");
        HttpResponse<String> res = get("/.porter/metrics");
        assertThat(res.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        PrometheusLines p = PrometheusLines.parse(res.body());
        assertThat(p.types).containsEntry("porter_http_responses_total", "counter")
                .containsEntry("porter_http_request_duration_seconds", "histogram")
                .containsEntry("porter_connections_open", "gauge");
        assertThat(p.help).containsKeys("porter_http_responses_total", "porter_http_request_duration_seconds");
        assertThat(p.value("porter_http_responses_total", "class", "2xx")).isEqualTo(10);
        assertThat(p.value("porter_http_responses_total", "class", "4xx")).isEqualTo(3);
        assertThat(p.value("porter_http_errors_total", "code", "404")).isEqualTo(3);
        assertThat(p.value("porter_http_request_duration_seconds_count")).isEqualTo(13);
        assertThat(p.value("porter_http_request_duration_seconds_sum")).isPositive();
        assertThat(p.value("porter_connections_open")).isGreaterThanOrEqualTo(1);
        assertThat(p.value("porter_connections", "state", "handling")).as("this very request").isGreaterThanOrEqualTo(1);
        assertThat(p.value("porter_ready")).isEqualTo(1);
        assertThat(p.value("porter_jvm_heap_used_bytes")).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusJsonHasTheFigures() throws Exception {
        start(StatusPage.defaults());
        for (int i = 0; i < 5; i++) get("/hello");
        get("/missing");
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(inSlow.await(20, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> res = get("/.porter/status.json");
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
        Map<String, Object> s = (Map<String, Object>) Json.parse(res.body());
        assertThat(s).containsKeys("time", "started", "uptimeSeconds", "ready", "requests", "connections", "threads", "heap");
        assertThat(s.get("ready")).isEqualTo(true);
        Map<String, Object> requests = (Map<String, Object>) s.get("requests");
        assertThat(requests).containsKeys("total", "perSecond", "perSecondLastMinute", "latencyMs", "byClass", "errors");
        assertThat((Map<String, Object>) requests.get("latencyMs")).containsKeys("windowSeconds", "count", "p50", "p90", "p99", "max");
        assertThat((Map<String, Object>) requests.get("errors")).containsEntry("404", 1L);
        Map<String, Object> connections = (Map<String, Object>) s.get("connections");
        assertThat((Map<String, Object>) connections.get("byState")).containsKeys("handshake", "idle", "reading", "handling", "writing", "parked");
        List<Map<String, Object>> listed = (List<Map<String, Object>>) connections.get("listed");
        assertThat(listed).allSatisfy(c -> assertThat(c).containsKeys("id", "peer", "ageSeconds", "state", "bytesIn", "bytesOut", "tls", "activity"));
        assertThat(listed).anySatisfy(c -> {
            assertThat(c.get("activity")).isEqualTo("GET /slow HTTP/1.1");
            assertThat(c.get("state")).isEqualTo("handling");
            assertThat((Long) c.get("bytesIn")).isPositive();
        });
        assertThat((Map<String, Object>) s.get("threads")).containsKeys("platform", "daemon", "peakPlatform", "connectionThreads");
        assertThat((Map<String, Object>) s.get("heap")).containsKeys("used", "committed", "max");
        release.countDown();
        assertThat(slow.get(20, TimeUnit.SECONDS).body()).isEqualTo("slow done");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWebSocketConversationShowsItsUpgradeRequestAsItsActivity() throws Exception {
        // Without it the conversation was listed as an idle keep-alive connection with no request at all.
        start(StatusPage.defaults());
        java.net.http.WebSocket ws = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new java.net.http.WebSocket.Listener() {
                }).get(20, TimeUnit.SECONDS);
        try {
            Map<String, Object> s = (Map<String, Object>) Json.parse(get("/.porter/status.json").body());
            List<Map<String, Object>> listed = (List<Map<String, Object>>) ((Map<String, Object>) s.get("connections")).get("listed");
            assertThat(listed).anySatisfy(c -> assertThat(c.get("activity")).isEqualTo("GET /ws HTTP/1.1"));
        } finally {
            ws.abort();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWebSocketConversationWaitingForAMessageIsIdleNotHandling() throws Exception {
        // docs/status.md: "in state idle while it waits for a message". It showed as handling: 2,000 quiet
        // WebSocket clients looked like 2,000 requests being worked on, on the page and in porter_connections.
        start(StatusPage.defaults());
        java.net.http.WebSocket ws = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new java.net.http.WebSocket.Listener() {
                }).get(20, TimeUnit.SECONDS);
        try {
            Await.until("the conversation is listed as idle while it waits", () -> {
                try {
                    Map<String, Object> s = (Map<String, Object>) Json.parse(get("/.porter/status.json").body());
                    List<Map<String, Object>> listed = (List<Map<String, Object>>) ((Map<String, Object>) s.get("connections")).get("listed");
                    return listed.stream().anyMatch(c -> "GET /ws HTTP/1.1".equals(c.get("activity")) && "idle".equals(c.get("state")));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            ws.abort();
        }
    }

    @Test
    void readyzTurns503WhenAGracefulStopBeginsWhileAnInFlightRequestFinishes() throws Exception {
        start(StatusPage.defaults().withDrainDelay(Duration.ofSeconds(3)));
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(inSlow.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(get("/.porter/readyz").statusCode()).isEqualTo(200);
        Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(20)));
        // During the drain delay the server still accepts: a load balancer polling readyz sees 503 and drains.
        HttpResponse<String> ready = freshClientGet("/.porter/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("stopping\n");
        assertThat(freshClientGet("/.porter/healthz").statusCode()).as("alive, just not ready").isEqualTo(200);
        assertThat(freshClientGet("/.porter/status.json").body()).contains("\"ready\":false");
        // Then the welcome socket closes; the request in flight still finishes.
        Await.until("the server stops accepting", () -> {
            try {
                freshClientGet("/.porter/healthz");
                return false;
            } catch (ConnectException e) {
                return true;
            } catch (Exception e) {
                return e.getCause() instanceof ConnectException || e instanceof IOException;
            }
        });
        release.countDown();
        HttpResponse<String> done = slow.get(20, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).isEqualTo("slow done");
        stopper.join();
    }

    @Test
    void http2ResponsesAreCountedToo() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.porter.http.testing.Processes.onPath("curl"), "curl is not installed");
        start(StatusPage.defaults());
        String base = "http://127.0.0.1:" + server.port();
        dev.porter.http.testing.Processes.Result r = dev.porter.http.testing.Processes.run(Duration.ofSeconds(20), "curl", "-sS",
                "--http2-prior-knowledge", "-w", "|%{http_version}", base + "/hello");
        assertThat(r.stdout()).isEqualTo("hello|2");
        PrometheusLines p = PrometheusLines.parse(get("/.porter/metrics").body());
        assertThat(p.value("porter_http_responses_total", "class", "2xx")).isEqualTo(1);
        assertThat(p.value("porter_http_request_duration_seconds_count")).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void http2ConnectionsStreamsAndResetsAreCountedWithRealClients() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.porter.http.testing.Processes.onPath("curl"), "curl is not installed");
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.porter.http.testing.Processes.onPath("nghttp"), "nghttp is not installed");
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.porter.http.testing.Processes.run(Duration.ofSeconds(20),
                "python3", "-c", "import h2").exit() == 0, "python3-h2 is not installed");
        start(StatusPage.defaults());
        String base = "http://127.0.0.1:" + server.port();
        // nghttp: three streams on one connection (h2c, prior knowledge). (curl 7.88 cannot reuse an h2c prior-knowledge
        // connection for a second URL: "Error in the HTTP2 framing layer", against nginx too.)
        dev.porter.http.testing.Processes.Result r = dev.porter.http.testing.Processes.run(Duration.ofSeconds(20), "nghttp",
                base + "/hello?1", base + "/hello?2", base + "/hello?3");
        assertThat(r.stdout()).isEqualTo("hellohellohello");
        Await.until("curl's connection is counted as ended", () -> http2Figure("connectionsOpen") == 0L);
        Map<String, Object> h = http2(get("/.porter/status.json").body());
        assertThat(h).containsEntry("connections", 1L).containsEntry("streams", 3L).containsEntry("streamsOpen", 0L)
                .containsEntry("resetsReceived", 0L).containsEntry("resetsSent", 0L);

        // A stream open now: the page and the metrics show it while its handler runs.
        CompletableFuture<dev.porter.http.testing.Processes.Result> slow = CompletableFuture.supplyAsync(() ->
                dev.porter.http.testing.Processes.run(Duration.ofSeconds(30), "curl", "-sS", "--http2-prior-knowledge", base + "/slow"));
        assertThat(inSlow.await(20, TimeUnit.SECONDS)).isTrue();
        PrometheusLines p = PrometheusLines.parse(get("/.porter/metrics").body());
        assertThat(p.types).containsEntry("porter_http2_connections_open", "gauge").containsEntry("porter_http2_streams_open", "gauge")
                .containsEntry("porter_http2_connections_total", "counter").containsEntry("porter_http2_streams_total", "counter")
                .containsEntry("porter_http2_resets_received_total", "counter").containsEntry("porter_http2_resets_sent_total", "counter");
        assertThat(p.value("porter_http2_connections_open")).isEqualTo(1);
        assertThat(p.value("porter_http2_streams_open")).isEqualTo(1);
        assertThat(p.value("porter_http2_streams_total")).isEqualTo(4);
        release.countDown();
        assertThat(slow.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("slow done");

        // python3-h2: one reset each way (see the script), then a plain request.
        java.nio.file.Path script = java.nio.file.Files.createTempFile("h2_resets_client", ".py");
        try (java.io.InputStream in = StatusPageTest.class.getResourceAsStream("h2_resets_client.py")) {
            java.nio.file.Files.write(script, in.readAllBytes());
        }
        try {
            r = dev.porter.http.testing.Processes.run(Duration.ofSeconds(30), "python3", script.toString(),
                    Integer.toString(server.port()));
        } finally {
            java.nio.file.Files.delete(script);
        }
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("reset 1 NO_ERROR", "response 5 200");
        Await.until("every HTTP/2 connection is counted as ended", () -> http2Figure("connectionsOpen") == 0L);
        p = PrometheusLines.parse(get("/.porter/metrics").body());
        assertThat(p.value("porter_http2_connections_total")).isEqualTo(3);
        assertThat(p.value("porter_http2_streams_total")).isEqualTo(7);
        assertThat(p.value("porter_http2_streams_open")).isZero();
        assertThat(p.value("porter_http2_resets_received_total")).isEqualTo(1);
        assertThat(p.value("porter_http2_resets_sent_total")).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> http2(String statusJson) {
        return (Map<String, Object>) ((Map<String, Object>) Json.parse(statusJson)).get("http2");
    }

    private long http2Figure(String name) {
        try {
            return (Long) http2(get("/.porter/status.json").body()).get(name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A new connection each time, as a load balancer's health check makes. */
    private HttpResponse<String> freshClientGet(String path) throws Exception {
        try (HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
