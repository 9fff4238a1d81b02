package dev.porter.http.internal.status;

import dev.porter.core.Server;
import dev.porter.core.ServerStats;
import dev.porter.http.Handler;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.StatusPage;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The status page of one server: its counters ({@link Metrics}, fed by the protocols), the per-second
 * {@link Sampler}, readiness, and the handler in front of the application's that answers under the prefix
 * ({@link StatusRoutes}). The application's requests pass through untouched: the prefix test is a
 * {@code startsWith} on the raw path, which needs no decoding (the prefix holds only unreserved characters).
 */
public final class StatusService implements Handler {

    private final StatusPage page;
    /** The page's prefix, read on every request. */
    private final String prefix;
    private final Handler app;
    private final Metrics metrics = new Metrics();
    private final Sampler sampler = new Sampler(metrics);
    private final Instant started = Instant.now();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final StatusRoutes routes;
    private volatile Server server;

    public StatusService(StatusPage page, Handler app) {
        this.page = page;
        this.prefix = page.prefix();
        this.app = app;
        this.routes = new StatusRoutes(this);
    }

    /** @return what the protocols count every response into */
    public Metrics metrics() {
        return metrics;
    }

    /** Binds the service to the started server and starts sampling. */
    public void attach(Server s) {
        server = s;
        sampler.start();
    }

    /**
     * A graceful stop begins: readyz answers 503 from now on; then, if the page asks for a drain delay, keeps
     * serving for that long so a load balancer polling readyz takes the node out before it stops accepting.
     */
    public void beginStop() {
        if (!stopping.compareAndSet(false, true)) return;
        long nanos = page.drainDelay().toNanos();
        if (nanos == 0) return;
        try {
            Thread.sleep(page.drainDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sampling (the server stopped). */
    public void close() {
        stopping.set(true);
        sampler.stop();
    }

    StatusPage page() {
        return page;
    }

    /** @return false once a graceful stop began */
    boolean ready() {
        Server s = server;
        return !stopping.get() && (s == null || !s.isStopping());
    }

    /** @return every figure, now */
    Snapshot snapshot() {
        Server s = server;
        ServerStats stats = s == null ? new ServerStats(0, 0, 0, 0, 0) : s.stats();
        return Snapshot.take(started, ready(), sampler.latest(), metrics, stats,
                s == null ? List.of() : s.connections(), page.maxConnectionsListed());
    }

    /** For tests: a sampler tick now. */
    void tick() {
        sampler.tick();
    }

    @Override
    public void handle(Request req, Response res) throws Exception {
        String raw = req.rawPath();
        if (raw != null && raw.startsWith(prefix)) {
            routes.handle(raw.substring(prefix.length()), req, res);
        } else {
            app.handle(req, res);
        }
    }
}
