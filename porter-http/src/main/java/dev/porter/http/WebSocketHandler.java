package dev.porter.http;

/**
 * Runs one WebSocket conversation, on the connection's own virtual thread, from the moment the handshake's
 * {@code 101 Switching Protocols} left until it returns. See {@link WebSocket} for reading and writing.
 *
 * <p>When it returns, the conversation is closed with 1000 (unless it was already closed), waiting up to
 * {@link WebSocketConfig#closeTimeout()} for the peer's Close. When it throws, the conversation is closed with
 * 1011 (internal error) and the exception is logged, unless the connection had already failed. One handler
 * instance serves every conversation of its route concurrently, so it must be thread-safe.
 */
@FunctionalInterface
public interface WebSocketHandler {

    /** Serves one conversation. */
    void handle(WebSocket ws) throws Exception;
}
