package dev.porter.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of every WebSocket conversation on an {@link HttpServer} ({@link HttpConfig#websocket()}). See
 * docs/websocket.md.
 *
 * @param maxMessageSize largest message received, in bytes, after joining fragments and inflating; larger closes
 *                       the connection with 1009. Default 16 MiB
 * @param maxFrameSize   largest single frame received; larger closes with 1009 as soon as its header arrives.
 *                       Default 16 MiB (one frame may carry a whole message)
 * @param idleTimeout    longest silence from the peer (not a byte, not even a pong) while the handler waits in
 *                       {@link WebSocket#receive()}; then the server closes with 1001 (going away). Default 90 s
 * @param pingInterval   silence after which the server sends a ping, and again each interval while the silence
 *                       lasts, so a live peer's pong keeps the conversation under the idle timeout and proxies see
 *                       traffic (checked every 100 ms on a connection of its own). Default 30 s
 * @param sendTimeout    longest one message may take to send (the peer not reading); then the connection is
 *                       dropped without a Close frame (the peer reads nothing) and the sender gets an
 *                       {@link java.io.IOException}. Checked every 100 ms. Default 30 s
 * @param closeTimeout   how long the server waits for the peer's Close after sending its own. Default 5 s
 * @param deflate        accept permessage-deflate (RFC 7692) when the client offers it. Default true
 */
public record WebSocketConfig(int maxMessageSize, int maxFrameSize, Duration idleTimeout, Duration pingInterval,
                              Duration sendTimeout, Duration closeTimeout, boolean deflate) {

    /** Validates every value. */
    public WebSocketConfig {
        if (maxMessageSize < 125 || maxMessageSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxMessageSize must be 125..2^31-9: " + maxMessageSize);
        }
        if (maxFrameSize < 125) throw new IllegalArgumentException("maxFrameSize must be >= 125: " + maxFrameSize);
        positive(idleTimeout, "idleTimeout");
        positive(pingInterval, "pingInterval");
        positive(sendTimeout, "sendTimeout");
        positive(closeTimeout, "closeTimeout");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }

    /** @return the defaults: 16 MiB messages and frames, idle 90 s, ping 30 s, send 30 s, close 5 s, deflate on */
    public static WebSocketConfig defaults() {
        return new WebSocketConfig(16 << 20, 16 << 20, Duration.ofSeconds(90), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(5), true);
    }

    /** @return a copy with these size limits */
    public WebSocketConfig withSizes(int maxMessage, int maxFrame) {
        return new WebSocketConfig(maxMessage, maxFrame, idleTimeout, pingInterval, sendTimeout, closeTimeout, deflate);
    }

    /** @return a copy with this idle timeout and ping interval */
    public WebSocketConfig withKeepAlive(Duration idle, Duration ping) {
        return new WebSocketConfig(maxMessageSize, maxFrameSize, idle, ping, sendTimeout, closeTimeout, deflate);
    }

    /** @return a copy with this send timeout */
    public WebSocketConfig withSendTimeout(Duration d) {
        return new WebSocketConfig(maxMessageSize, maxFrameSize, idleTimeout, pingInterval, d, closeTimeout, deflate);
    }

    /** @return a copy with this close timeout */
    public WebSocketConfig withCloseTimeout(Duration d) {
        return new WebSocketConfig(maxMessageSize, maxFrameSize, idleTimeout, pingInterval, sendTimeout, d, deflate);
    }

    /** @return a copy with permessage-deflate accepted or not */
    public WebSocketConfig withDeflate(boolean on) {
        return new WebSocketConfig(maxMessageSize, maxFrameSize, idleTimeout, pingInterval, sendTimeout, closeTimeout, on);
    }
}
