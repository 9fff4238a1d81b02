package dev.porter.http.internal.proxy;

import dev.porter.http.ProxyConfig;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses a backend for one attempt (RFC-free, policy only): among the usable ones, the sticky one if the client
 * has one, else in turn or the least busy. When none is usable, every backend is a candidate again (as nginx does):
 * a backend marked down may be back, and trying it beats refusing every request. Thread-safe.
 */
final class Balancer {

    private final List<Backend> backends;
    private final ProxyConfig.Balance balance;
    private final boolean activeChecks;
    private final long downTimeNanos;
    private final AtomicInteger next = new AtomicInteger();

    Balancer(List<Backend> backends, ProxyConfig.Balance balance, boolean activeChecks, long downTimeNanos) {
        this.backends = List.copyOf(backends);
        this.balance = balance;
        this.activeChecks = activeChecks;
        this.downTimeNanos = downTimeNanos;
    }

    List<Backend> backends() {
        return backends;
    }

    /**
     * @param exclude  a backend already tried for this request, or null
     * @param cookieId the backend id from the sticky cookie, or null
     * @param client   the client's address to hash for stickiness, or null
     * @return the backend, or null if {@code exclude} was the only one
     */
    Backend pick(Backend exclude, String cookieId, String client) {
        long now = System.nanoTime();
        int n = backends.size();
        boolean anyUsable = false;
        for (Backend b : backends) {
            if (b != exclude && b.usable(now, activeChecks, downTimeNanos)) {
                anyUsable = true;
                break;
            }
        }
        if (cookieId != null) {
            for (Backend b : backends) {
                if (b.id().equals(cookieId) && b != exclude && (!anyUsable || b.usable(now, activeChecks, downTimeNanos))) return b;
            }
        }
        if (client != null) {
            // The hash picks a slot among all backends, so a client keeps its backend while others come and go.
            int start = Math.floorMod(client.hashCode() * 0x9E3779B9, n);
            for (int i = 0; i < n; i++) {
                Backend b = backends.get((start + i) % n);
                if (candidate(b, exclude, anyUsable, now)) return b;
            }
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        Backend best = null;
        for (int i = 0; i < n; i++) {
            Backend b = backends.get((start + i) % n);
            if (!candidate(b, exclude, anyUsable, now)) continue;
            if (balance == ProxyConfig.Balance.ROUND_ROBIN) return b;
            if (best == null || b.active() < best.active()) best = b;
        }
        return best;
    }

    private boolean candidate(Backend b, Backend exclude, boolean anyUsable, long now) {
        return b != exclude && (!anyUsable || b.usable(now, activeChecks, downTimeNanos));
    }
}
