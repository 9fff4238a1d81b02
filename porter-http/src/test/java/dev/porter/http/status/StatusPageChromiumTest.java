package dev.porter.http.status;

import dev.porter.core.testing.RawClient;
import dev.porter.http.EventStream;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.Status;
import dev.porter.http.StatusPage;
import dev.porter.http.testing.Cdp;
import dev.porter.http.testing.Processes;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page in headless Chromium (driven over DevTools by {@link Cdp}): it loads under its strict
 * Content-Security-Policy without a single violation or console error, its EventSource fills it with live figures
 * (the update counter the page keeps goes up, the totals match the traffic made before), and it renders in light,
 * dark ({@code prefers-color-scheme}) and on a phone-sized screen. With {@code -Dporter.status.screenshots=DIR} the
 * three screenshots are written there (how docs/img/status-*.png are made). Skipped without Chromium.
 */
class StatusPageChromiumTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private Cdp browser;
    private RawClient parked;
    private Thread load;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.onPath("chromium"), "chromium is not installed (.ci/run installs it)");
        Router router = new Router()
                .get("/hello", (req, res) -> res.send("hello"))
                .get("/fail", (req, res) -> {
                    throw new IllegalStateException("a handler that fails, for the status page's 500 count");
                })
                .get("/ticks", (req, res) -> {
                    EventStream events = res.eventStream();
                    for (int n = 1; ; n++) {
                        events.send("tick " + n);
                        Thread.sleep(500);
                    }
                });
        server = TestHttp.start(HttpConfig.builder().statusPage(StatusPage.defaults()), router);
        traffic();
        browser = Cdp.launch("chromium", dir.resolve("profile"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (load != null) {
            load.interrupt();
            load.join();
        }
        if (browser != null) browser.close();
        if (parked != null) parked.close();
        if (server != null) server.close();
    }

    /** Requests of every kind, a keep-alive connection left idle, and an event stream that stays open. */
    private void traffic() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String base = "http://127.0.0.1:" + server.port();
            for (int i = 0; i < 40; i++) client.send(HttpRequest.newBuilder(URI.create(base + "/hello")).build(), HttpResponse.BodyHandlers.discarding());
            for (int i = 0; i < 6; i++) client.send(HttpRequest.newBuilder(URI.create(base + "/missing")).build(), HttpResponse.BodyHandlers.discarding());
            for (int i = 0; i < 2; i++) client.send(HttpRequest.newBuilder(URI.create(base + "/fail")).build(), HttpResponse.BodyHandlers.discarding());
        }
        // A steady trickle while the page is open, so requests per second and the sparkline show something.
        String base = "http://127.0.0.1:" + server.port();
        load = Thread.ofVirtual().start(() -> {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                for (int i = 0; i < 3000 && !Thread.currentThread().isInterrupted(); i++) {
                    client.send(HttpRequest.newBuilder(URI.create(base + (i % 25 == 0 ? "/missing" : "/hello"))).build(),
                            HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // the server stopped at the end of the test
            }
        });
        parked = RawClient.connect(server.address());
        parked.send("GET /ticks HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(parked.readLine()).isEqualTo("HTTP/1.1 200 OK");
    }

    private void waitForUpdates(int atLeast) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Object n = browser.eval("Number(document.body.dataset.updates || 0)");
            if (n instanceof Number k && k.intValue() >= atLeast) return;
            assertThat(System.nanoTime() - deadline).as("the page got %s updates, wanted %s; problems: %s", n, atLeast,
                    browser.problems()).isNegative();
            Thread.sleep(100);
        }
    }

    private byte[] screenshot(int width, int height, double scale, boolean mobile, String scheme, String file) throws Exception {
        browser.send("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
                + ",\"deviceScaleFactor\":" + scale + ",\"mobile\":" + mobile + "}");
        browser.send("Emulation.setEmulatedMedia", "{\"features\":[{\"name\":\"prefers-color-scheme\",\"value\":\"" + scheme + "\"}]}");
        int now = ((Number) browser.eval("Number(document.body.dataset.updates || 0)")).intValue();
        waitForUpdates(now + 1); // a fresh update laid out at this size
        Map<String, Object> shot = browser.send("Page.captureScreenshot", "{\"format\":\"png\"}");
        byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        String out = System.getProperty("porter.status.screenshots");
        if (out != null && !out.isBlank()) {
            Files.createDirectories(Path.of(out));
            Files.write(Path.of(out, file), png);
        }
        return png;
    }

    private String text(String id) throws Exception {
        return (String) browser.eval("document.getElementById('" + id + "').textContent");
    }

    @Test
    void thePageFillsItselfLiveUnderItsStrictPolicyInLightDarkAndOnAPhone() throws Exception {
        browser.send("Runtime.enable", null);
        browser.send("Log.enable", null);
        browser.send("Page.enable", null);
        browser.send("Emulation.setDeviceMetricsOverride", "{\"width\":1280,\"height\":800,\"deviceScaleFactor\":1,\"mobile\":false}");
        browser.send("Page.navigate", "{\"url\":" + Cdp.quote("http://127.0.0.1:" + server.port() + "/.porter/status") + "}");
        waitForUpdates(3);

        assertThat(text("live")).isEqualTo("live");
        assertThat(text("ready")).isEqualTo("ready");
        // 40 + 6 + 2 responses before the page, plus the page's own requests (page, css, js): at least 48.
        assertThat(Integer.parseInt(text("total").replace(",", ""))).isGreaterThanOrEqualTo(48);
        assertThat(text("errors")).contains("404").contains("500");
        assertThat(Integer.parseInt(text("open"))).isGreaterThanOrEqualTo(2);
        assertThat(text("conns")).contains("GET /ticks HTTP/1.1").contains("GET /.porter/status/events HTTP/1.1");
        assertThat(text("p50")).isNotEqualTo("–");
        assertThat(text("rps")).isNotEqualTo("–");
        assertThat(browser.eval("document.body.dataset.cspViolations || 'none'")).isEqualTo("none");

        screenshot(1280, 800, 1, false, "light", "status-light.png");
        assertThat(browser.eval("getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(246, 247, 249)");
        screenshot(1280, 800, 1, false, "dark", "status-dark.png");
        assertThat(browser.eval("getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(13, 17, 23)");
        screenshot(390, 844, 2, true, "light", "status-phone.png");
        // On a phone the cards stack in one column: the page is no wider than the screen.
        assertThat(((Number) browser.eval("document.documentElement.scrollWidth")).intValue()).isLessThanOrEqualTo(390);

        List<String> problems = browser.problems().stream().filter(p -> !p.contains("favicon.ico")).toList();
        assertThat(problems).as("console errors, CSP violations, exceptions").isEmpty();
    }
}
