package dev.porter.http.proxy;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a proxy test started (backends, proxies, clients), closed after each test in the reverse order, so that a
 * proxy stops before the backends behind it; and what the backends saw, as they note it. Registered with
 * {@code @RegisterExtension}.
 */
final class ProxyFixture implements AfterEachCallback {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final LinkedBlockingQueue<String> backendSaw = new LinkedBlockingQueue<>();

    /** @return {@code c}, closed after the test */
    <T extends AutoCloseable> T later(T c) {
        closing.add(c);
        return c;
    }

    /** @return a Porter server on 127.0.0.1 whose one handler is a {@link ProxyHandler} of {@code config} */
    HttpServer proxy(ProxyConfig.Builder config) {
        return proxy(config, HttpConfig.builder());
    }

    /** As {@link #proxy(ProxyConfig.Builder)}, on a server of {@code server}'s settings. */
    HttpServer proxy(ProxyConfig.Builder config, HttpConfig.Builder server) {
        ProxyHandler handler = later(ProxyHandler.of(config.build()));
        return later(TestHttp.start(server, handler));
    }

    /** @return the {@code ws://} URI of {@code path} on {@code s} */
    static URI ws(HttpServer s, String path) {
        return URI.create("ws://127.0.0.1:" + s.port() + path);
    }

    /** Notes what a backend saw (from its handler's thread), for {@link #saw()}. */
    void backendSaw(String what) {
        backendSaw.add(what);
    }

    /** @return the oldest note of {@link #backendSaw} not taken yet, waiting up to 10 s; fails without one */
    String saw() throws InterruptedException {
        String s = backendSaw.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("the backend reported").isNotNull();
        return s;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
        } finally {
            closing.clear();
        }
    }
}
