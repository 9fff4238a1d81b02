package dev.porter.http.proxy;

import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Choosing a backend: round robin, least connections, stickiness by cookie and by client address, health checks. */
class ProxyBalanceTest {

    private final List<HttpServer> backends = new ArrayList<>();
    private HttpServer server;
    private ProxyHandler proxy;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (proxy != null) proxy.close();
        backends.forEach(HttpServer::close);
    }

    /** @return the URLs of {@code n} backends answering their own name (a, b, c...) */
    private String[] named(int n) {
        String[] urls = new String[n];
        for (int i = 0; i < n; i++) {
            String name = String.valueOf((char) ('a' + i));
            HttpServer s = TestHttp.start((req, res) -> res.send(name));
            backends.add(s);
            urls[i] = "http://127.0.0.1:" + s.port();
        }
        return urls;
    }

    private void start(ProxyConfig.Builder config) {
        proxy = ProxyHandler.of(config.build());
        server = TestHttp.start(proxy);
    }

    private WireResponse get(String extraFields) {
        try (HttpWire wire = HttpWire.connect(server)) {
            return wire.send("GET / HTTP/1.1\r\nHost: x\r\n" + extraFields + "\r\n").readResponse();
        }
    }

    private String answers(int n, String extraFields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(get(extraFields).text());
        return sb.toString();
    }

    @Test
    void roundRobinTakesEachBackendInTurn() {
        start(ProxyConfig.builder(named(3)));
        assertThat(answers(6, "")).isEqualTo("abcabc");
    }

    @Test
    void leastConnectionsAvoidsTheBusyBackend() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        HttpServer slow = TestHttp.start((req, res) -> {
            holding.countDown();
            release.await(10, TimeUnit.SECONDS);
            res.send("slow");
        });
        backends.add(slow);
        String fast = named(1)[0];
        start(ProxyConfig.builder("http://127.0.0.1:" + slow.port(), fast).balance(ProxyConfig.Balance.LEAST_CONNECTIONS));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> held = pool.submit(() -> get("").text());
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(proxy.backends().get(0).active()).as("the held exchange counts").isEqualTo(1);
            assertThat(answers(4, "")).as("all to the idle backend while the other is busy").isEqualTo("aaaa");
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
        }
    }

    @Test
    void aStickyCookieKeepsAClientOnItsBackend() {
        start(ProxyConfig.builder(named(3)).sticky(ProxyConfig.Sticky.COOKIE));
        WireResponse first = get("");
        String setCookie = first.header("Set-Cookie");
        assertThat(setCookie).startsWith("porter_upstream=").contains("Path=/").contains("HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String again = answers(5, "Cookie: theme=dark; " + cookie + "\r\n");
        assertThat(again).isEqualTo(first.text().repeat(5));
        assertThat(get("Cookie: " + cookie + "\r\n").has("Set-Cookie")).as("no new cookie while it holds").isFalse();
        assertThat(get("Cookie: porter_upstream=unknown\r\n").has("Set-Cookie")).as("a stale cookie is replaced").isTrue();
    }

    @Test
    void stickinessByAddressSendsOneClientToOneBackend() {
        start(ProxyConfig.builder(named(3)).sticky(ProxyConfig.Sticky.CLIENT_ADDRESS).trustedProxy("127.0.0.1"));
        String one = get("X-Forwarded-For: 198.51.100.1\r\n").text();
        assertThat(answers(4, "X-Forwarded-For: 198.51.100.1\r\n")).isEqualTo(one.repeat(4));
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 30; i++) seen.append(get("X-Forwarded-For: 198.51.100." + i + "\r\n").text());
        assertThat(seen.chars().distinct().count()).as("different clients spread over the backends").isGreaterThan(1);
    }

    @Test
    void healthChecksTakeABackendOutAfterFallFailuresAndBackAfterRiseSuccesses() throws Exception {
        AtomicInteger health = new AtomicInteger(200);
        HttpServer a = TestHttp.start((req, res) -> {
            if (req.path().equals("/healthz")) res.send(dev.porter.http.Status.of(health.get()), "health\n");
            else res.send("a");
        });
        backends.add(a);
        String b = named(2)[1];
        start(ProxyConfig.builder("http://127.0.0.1:" + a.port(), b)
                .health(new ProxyConfig.HealthCheck("/healthz", Duration.ofMillis(50), Duration.ofSeconds(1), 2, 2)));
        health.set(503);
        awaitUp(0, false);
        assertThat(answers(4, "")).isEqualTo("bbbb");
        health.set(200);
        awaitUp(0, true);
        assertThat(answers(4, "")).contains("a");
    }

    @Test
    void aBackendDownAfterARefusedConnectionIsBackAtItsFirstGoodCheck() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        HttpServer a = TestHttp.start((req, res) -> {
            if (req.path().equals("/healthz")) checks.incrementAndGet();
            res.send("a");
        });
        int port = a.port();
        a.close();
        String b = named(2)[1];
        start(ProxyConfig.builder("http://127.0.0.1:" + port, b)
                .health(new ProxyConfig.HealthCheck("/healthz", Duration.ofMillis(100), Duration.ofSeconds(1), 5, 5)));
        assertThat(get("").text()).as("refused by a, retried on b").isEqualTo("b");
        assertThat(proxy.backends().get(0).up()).isFalse();
        HttpServer again = HttpServer.start(dev.porter.http.HttpConfig.builder().host("127.0.0.1").port(port).build(), (req, res) -> {
            if (req.path().equals("/healthz")) checks.incrementAndGet();
            res.send("a");
        });
        backends.add(again);
        awaitUp(0, true);
        assertThat(checks.get()).as("one good check, not rise=5, ends a passive down").isLessThan(5);
    }

    private void awaitUp(int index, boolean up) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.backends().get(index).up() != up) {
            assertThat(System.nanoTime()).as("backend " + index + " up=" + up + " within 10 s").isLessThan(until);
            Thread.sleep(5);
        }
    }
}
