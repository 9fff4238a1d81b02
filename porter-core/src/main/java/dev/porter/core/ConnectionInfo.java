package dev.porter.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * One connection of a {@link Server}, as {@link Server#connections()} saw it. A snapshot: the figures are read
 * without stopping the connection, so they may be a moment old, and the connection may have changed state or
 * closed since.
 *
 * @param id       the server's number for the connection, 1 for the first one accepted, never reused
 * @param peer     the client's address and port
 * @param since    when the connection was accepted
 * @param state    what it was doing
 * @param bytesIn  bytes the protocol received (after TLS decryption: application bytes, not bytes on the wire)
 * @param bytesOut bytes the protocol sent (before TLS encryption)
 * @param secure   true over TLS
 * @param activity what the protocol said it is busy with ({@link Connection#activity(Object)}), for HTTP the
 *                 request line of the request being handled; null between messages
 */
public record ConnectionInfo(long id, InetSocketAddress peer, Instant since, ConnectionState state, long bytesIn,
                             long bytesOut, boolean secure, String activity) {

    /** @return how long the connection has been open at {@code now} */
    public Duration age(Instant now) {
        Duration d = Duration.between(since, now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
