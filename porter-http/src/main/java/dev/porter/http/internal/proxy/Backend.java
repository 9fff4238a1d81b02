package dev.porter.http.internal.proxy;

import dev.porter.http.HttpClientException;
import dev.porter.http.internal.client.Route;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One backend of an upstream group and what the proxy knows of it: up or down, exchanges in flight (for
 * least-connections), counters. Health changes come from active checks ({@link #checked}) and from failed
 * connections ({@link #refused}, passive). Thread-safe.
 */
public final class Backend {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.ProxyHandler");

    private final URI uri;
    private final String base;
    private final String id;
    /** The connection pool's key for this backend (without a PROXY preface). */
    private final Route route;
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean up = true;
    /** True while down because of a refused connection rather than failed checks: one good check ends it. */
    private boolean passive;
    private volatile long downSince;
    private int okInARow;
    private int failedInARow;

    Backend(URI uri) {
        this.uri = uri;
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        this.base = scheme + "://" + uri.getRawAuthority();
        // The sticky cookie's value: stable across restarts and orderings (String.hashCode is specified).
        this.id = Integer.toHexString(base.hashCode());
        Route r;
        try {
            r = Route.of(URI.create(base + "/"));
        } catch (HttpClientException.UnsupportedScheme e) {
            r = null; // every request to it fails as the client engine reports it
        }
        this.route = r;
    }

    /** @return the route to this backend, or null if no transport speaks its scheme */
    Route route() {
        return route;
    }

    /** @return the URI as configured */
    public URI uri() {
        return uri;
    }

    /** @return {@code scheme://authority}, to which a request's target is appended */
    String base() {
        return base;
    }

    /** @return the value naming this backend in the sticky cookie */
    String id() {
        return id;
    }

    /** @return true unless a check or a refused connection took it down */
    public boolean up() {
        return up;
    }

    /** @return exchanges in flight now */
    public int active() {
        return active.get();
    }

    /** @return exchanges forwarded so far (retries count once per backend tried) */
    public long forwarded() {
        return forwarded.sum();
    }

    /** @return exchanges that failed on this backend so far */
    public long failed() {
        return failed.sum();
    }

    /**
     * @param downTimeNanos without active checks, how long a refused backend is left out before it is tried again
     * @return true if requests may go here now
     */
    boolean usable(long now, boolean activeChecks, long downTimeNanos) {
        return up || (!activeChecks && now - downSince >= downTimeNanos);
    }

    void started() {
        active.incrementAndGet();
        forwarded.increment();
    }

    void ended() {
        active.decrementAndGet();
    }

    /** An exchange failed here (any kind). */
    void failedOnce() {
        failed.increment();
    }

    /** A connection was refused or timed out: down until the next good check (or {@code downTime}). */
    void refused(String why) {
        lock.lock();
        try {
            downSince = System.nanoTime();
            okInARow = 0;
            if (!up) return;
            up = false;
            passive = true;
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.WARNING, "backend {0} is down: {1}", base, why);
    }

    /** An exchange completed: a backend left out for a while (no active checks) is back. */
    void answered() {
        if (up) return;
        lock.lock();
        try {
            if (up || !passive) return; // a backend failing its checks comes back through them only
            up = true;
            passive = false;
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.INFO, "backend {0} is up again: it answered", base);
    }

    /** Records one active check's outcome, with HAProxy's rise/fall counting. */
    void checked(boolean ok, int rise, int fall, String detail) {
        boolean changed;
        lock.lock();
        try {
            if (ok) {
                okInARow++;
                failedInARow = 0;
                changed = !up && (passive || okInARow >= rise);
                if (changed) {
                    up = true;
                    passive = false;
                }
            } else {
                failedInARow++;
                okInARow = 0;
                changed = up && failedInARow >= fall;
                if (changed) {
                    up = false;
                    passive = false;
                    downSince = System.nanoTime();
                }
            }
        } finally {
            lock.unlock();
        }
        if (changed) {
            LOG.log(ok ? System.Logger.Level.INFO : System.Logger.Level.WARNING, "backend {0} is {1} ({2})", base,
                    ok ? "up" : "down", detail);
        }
    }

    @Override
    public String toString() {
        return base;
    }
}
