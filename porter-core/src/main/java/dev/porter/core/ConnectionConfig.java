package dev.porter.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of one connection. Immutable; change a value with the {@code withX} methods.
 *
 * @param idleTimeout   longest wait for input while no unread byte is buffered (between messages); then the
 *                      read fails with {@link java.net.SocketTimeoutException} and a server closes the connection.
 *                      Default 5 minutes.
 * @param readTimeout   longest wait of one read in the middle of a message (a line or frame already started).
 *                      Default 30 seconds.
 * @param writeTimeout  longest one write may block because the peer does not read; then the connection is
 *                      closed. Default 30 seconds.
 * @param maxLineLength longest line {@link Connection#readLine()} accepts, in bytes, without the line end.
 *                      Default 8192.
 * @param maxFrameSize  largest frame {@link Connection#readFrame()} accepts, in bytes. Default 1 MiB.
 */
public record ConnectionConfig(Duration idleTimeout, Duration readTimeout, Duration writeTimeout,
                               int maxLineLength, int maxFrameSize) {

    /** Validates every value. */
    public ConnectionConfig {
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(writeTimeout, "writeTimeout");
        if (maxLineLength < 1) throw new IllegalArgumentException("maxLineLength must be >= 1: " + maxLineLength);
        if (maxFrameSize < 0) throw new IllegalArgumentException("maxFrameSize must be >= 0: " + maxFrameSize);
    }

    /** The defaults: idle 5 min, read 30 s, write 30 s, lines up to 8192 bytes, frames up to 1 MiB. */
    public static ConnectionConfig defaults() {
        return new ConnectionConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(30), 8192, 1 << 20);
    }

    /** @return a copy with this idle timeout */
    public ConnectionConfig withIdleTimeout(Duration d) {
        return new ConnectionConfig(d, readTimeout, writeTimeout, maxLineLength, maxFrameSize);
    }

    /** @return a copy with this read timeout */
    public ConnectionConfig withReadTimeout(Duration d) {
        return new ConnectionConfig(idleTimeout, d, writeTimeout, maxLineLength, maxFrameSize);
    }

    /** @return a copy with this write timeout */
    public ConnectionConfig withWriteTimeout(Duration d) {
        return new ConnectionConfig(idleTimeout, readTimeout, d, maxLineLength, maxFrameSize);
    }

    /** @return a copy with this maximum line length */
    public ConnectionConfig withMaxLineLength(int n) {
        return new ConnectionConfig(idleTimeout, readTimeout, writeTimeout, n, maxFrameSize);
    }

    /** @return a copy with this maximum frame size */
    public ConnectionConfig withMaxFrameSize(int n) {
        return new ConnectionConfig(idleTimeout, readTimeout, writeTimeout, maxLineLength, n);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
}
