package dev.porter.http.internal.client;

import dev.porter.core.Connection;
import dev.porter.http.ClientConfig;
import dev.porter.http.internal.http1.ResponseHead;

/** A client connection and what the pool knows about it. Used by one exchange at a time. */
final class PooledConnection {

    final Connection c;
    final Route route;
    /** True once the connection carried an exchange before the current one (so it may have gone stale). */
    boolean reused;
    /** {@link System#nanoTime()} when it was last given back to the pool. */
    long idleSince;
    /** The response head of the last prepared exchange, parsed into again by the next one. */
    private ResponseHead head;

    PooledConnection(Connection c, Route route) {
        this.c = c;
        this.route = route;
    }

    /**
     * @return a response head for a prepared exchange (the proxy's), keeping its fields as bytes: this connection's
     *         own, emptied. Its response is done with before the connection is lent again (the relay reads the head,
     *         then the body, whose end gives the connection back), so no allocation per exchange.
     */
    ResponseHead preparedHead(ClientConfig config) {
        if (head == null) {
            head = new ResponseHead(config.maxHeaderBytes(), config.maxHeaderCount(), config.listener() != null, true);
        } else {
            head.renew();
        }
        return head;
    }

    @Override
    public String toString() {
        return route + " " + c;
    }
}
