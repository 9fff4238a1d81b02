package dev.porter.http.internal.client;

import dev.porter.core.Connection;

/** A client connection and what the pool knows about it. Used by one exchange at a time. */
final class PooledConnection {

    final Connection c;
    final Route route;
    /** True once the connection carried an exchange before the current one (so it may have gone stale). */
    boolean reused;
    /** {@link System#nanoTime()} when it was last given back to the pool. */
    long idleSince;

    PooledConnection(Connection c, Route route) {
        this.c = c;
        this.route = route;
    }

    @Override
    public String toString() {
        return route + " " + c;
    }
}
