package dev.porter.http.internal.proxy;

import dev.porter.core.ClientTls;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.internal.client.ClientEngine;
import dev.porter.http.internal.client.Route;
import dev.porter.http.HttpVersion;
import dev.porter.http.ProxyConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Active health checks: one virtual thread per backend, a GET of the check path at once and then every interval;
 * a 2xx or 3xx answer within the timeout is a success ({@link Backend#checked} counts rise and fall). A check
 * uses its own client (one idle connection per backend), so it never waits behind proxied traffic; when the proxy
 * sends PROXY headers, a check's connection opens with the "proxy's own connection" one ({@link BackendHello#local()}).
 */
final class HealthChecks implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.ProxyHandler");

    private final ProxyConfig.HealthCheck check;
    private final ClientEngine client;
    private final Route.Preface preface;
    private final List<Thread> threads = new ArrayList<>();

    HealthChecks(ProxyConfig.HealthCheck check, List<Backend> backends, Route.Preface preface, ClientTls tls) {
        this.check = check;
        this.preface = preface;
        this.client = new ClientEngine(ClientConfig.builder().connectTimeout(check.timeout()).readTimeout(check.timeout())
                .requestTimeout(check.timeout()).maxIdlePerHost(1).followRedirects(false).userAgent("porter-health-check")
                .httpVersion(HttpVersion.HTTP_1_1).tls(tls).build());
        for (Backend b : backends) {
            threads.add(Thread.ofVirtual().name("porter-health-" + b.base()).start(() -> loop(b)));
        }
    }

    private void loop(Backend b) {
        String uri = b.base() + check.path();
        while (!Thread.currentThread().isInterrupted()) {
            runOnce(b, uri);
            try {
                Thread.sleep(check.interval());
            } catch (InterruptedException e) {
                return; // closed
            }
        }
    }

    private void runOnce(Backend b, String uri) {
        // Closing the response drains a small body (the connection is kept) or closes a large one.
        try (ClientResponse r = client.send(ClientRequest.get(uri), preface)) {
            int code = r.statusCode();
            b.checked(code >= 200 && code < 400, check.rise(), check.fall(), "GET " + check.path() + " answered " + code);
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) return;
            LOG.log(System.Logger.Level.DEBUG, "health check of {0} failed: {1}", b, e.toString());
            b.checked(false, check.rise(), check.fall(), "GET " + check.path() + " failed: " + e.getMessage());
        }
    }

    /** Stops the checks and closes their connections. */
    @Override
    public void close() {
        for (Thread t : threads) t.interrupt();
        client.close();
    }
}
