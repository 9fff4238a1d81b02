package dev.porter.http.internal;

import dev.porter.http.HttpConfig;

import java.io.IOException;

/**
 * A response that can hand its connection to another protocol (RFC 9110 §7.8, §15.2.2: 101 Switching Protocols),
 * as the HTTP/1.1 server's responses can. A handler that accepts an upgrade sets status 101 and the fields the
 * new protocol's handshake needs, calls {@link #switchProtocols}, and returns; the server then writes and flushes
 * that response, logs it, and runs the {@link Takeover} on the connection's own thread. When the takeover returns,
 * the connection is closed: it never goes back to HTTP. The explicit hand-over replaces any reach into the
 * server's fields, and the handler's own stack has unwound before the new protocol starts.
 */
public interface ProtocolSwitch {

    /** What runs the connection after the 101 response left. */
    @FunctionalInterface
    interface Takeover {
        /**
         * Speaks the new protocol until it ends. Bytes the client sent after the request head (pipelined ahead of
         * the 101) are still in {@code c.input()}.
         */
        void run(ByteStream c) throws IOException;
    }

    /**
     * @return true if the request is an HTTP/2 extended CONNECT (RFC 8441 §4): the switch is accepted with status
     *         200 rather than 101, and the takeover speaks on the request's stream; false for an HTTP/1.1 request
     */
    default boolean extendedConnect() {
        return false;
    }

    /** @return the server's configuration, for the limits of the protocol that takes over */
    HttpConfig config();

    /**
     * Asks the server to switch after the handler returns. Takes effect only if the handler returns normally with
     * status 101 (200 on an {@link #extendedConnect()}) and the request has no body; otherwise the response is sent
     * as usual and the takeover dropped.
     *
     * @throws IllegalStateException if the response is already committed
     */
    void switchProtocols(Takeover takeover);
}
