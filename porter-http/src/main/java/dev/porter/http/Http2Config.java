package dev.porter.http;

import java.time.Duration;

/**
 * HTTP/2 (RFC 9113) on an {@link HttpServer}: whether it is spoken, and the limits that keep one client from
 * taking more than its share. Every limit has a default a browser, {@code curl} or {@code h2load} never reaches.
 * See docs/http2.md.
 *
 * @param enabled              speak HTTP/2: {@code h2} chosen by ALPN over TLS (preferred to {@code http/1.1}), and
 *                             {@code h2c} with prior knowledge on a cleartext port (recognized by its preface, so
 *                             one port serves both). Default true
 * @param maxConcurrentStreams our SETTINGS_MAX_CONCURRENT_STREAMS: streams open at once per connection; more are
 *                             refused (RST_STREAM REFUSED_STREAM, §5.1.2). Default 100
 * @param streamWindow         our SETTINGS_INITIAL_WINDOW_SIZE: request body bytes a stream may send before its
 *                             handler reads them (so a slow handler holds at most this much, §5.2). Default 65,535
 * @param connectionWindow     the connection's receive window (§6.9.1): request body bytes all the streams of one
 *                             connection may send before their handlers read them. It opens again only as bodies
 *                             are consumed (read, or dropped when a stream is reset or its handler returns without
 *                             reading), so it bounds what one connection can make the server hold, however many
 *                             streams it opens; it also caps the upload throughput of one connection (this many
 *                             bytes per round trip). Default 1 MiB
 * @param maxFrameSize         our SETTINGS_MAX_FRAME_SIZE (16,384..16,777,215). Default 16,384
 * @param resetBudget          streams a client may cancel (RST_STREAM) or have refused per {@code budgetWindow};
 *                             more is a rapid-reset attack (CVE-2023-44487): GOAWAY ENHANCE_YOUR_CALM. Default 200
 * @param controlFrameBudget   SETTINGS, PING, PRIORITY, empty DATA and unknown frames a client may send per
 *                             {@code budgetWindow}; more is a flood: GOAWAY ENHANCE_YOUR_CALM. Default 1,000
 * @param budgetWindow         the period both budgets count over. Default 10 s
 * @param maxContinuationFrames CONTINUATION frames one field block may span (CVE-2024-27316); the block's size is
 *                             also bounded by {@link HttpConfig#maxHeaderBytes()} plus one frame. Default 32
 * @param extendedConnect      send SETTINGS_ENABLE_CONNECT_PROTOCOL=1 (RFC 8441 §3) and accept extended CONNECT
 *                             with {@code :protocol websocket}: WebSocket over an HTTP/2 stream, run by the same
 *                             {@code Router.websocket} endpoints as over HTTP/1.1 (docs/websocket.md). Sent whatever
 *                             the routes: the setting only lets a client try, and a path without a WebSocket
 *                             endpoint answers an error status (never a 2xx). Off, {@code :protocol} is a malformed
 *                             request (§4). Default true
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int streamWindow, int connectionWindow,
                          int maxFrameSize, int resetBudget, int controlFrameBudget, Duration budgetWindow,
                          int maxContinuationFrames, boolean extendedConnect) {

    /** Validates every value. */
    public Http2Config {
        if (maxConcurrentStreams < 1) throw new IllegalArgumentException("maxConcurrentStreams must be >= 1");
        if (streamWindow < 1) throw new IllegalArgumentException("streamWindow must be >= 1");
        if (connectionWindow < 65_535) throw new IllegalArgumentException("connectionWindow must be >= 65,535");
        if (maxFrameSize < 16_384 || maxFrameSize > 16_777_215) {
            throw new IllegalArgumentException("maxFrameSize must be 16,384..16,777,215: " + maxFrameSize);
        }
        if (resetBudget < 1 || controlFrameBudget < 1 || maxContinuationFrames < 1) {
            throw new IllegalArgumentException("budgets must be >= 1");
        }
        if (budgetWindow.isNegative() || budgetWindow.isZero()) throw new IllegalArgumentException("budgetWindow must be positive");
    }

    /** @return the defaults */
    public static Http2Config defaults() {
        return new Http2Config(true, 100, 65_535, 1 << 20, 16_384, 200, 1_000, Duration.ofSeconds(10), 32, true);
    }

    /** @return HTTP/2 switched off: HTTP/1.1 only */
    public static Http2Config disabled() {
        Http2Config d = defaults();
        return new Http2Config(false, d.maxConcurrentStreams, d.streamWindow, d.connectionWindow, d.maxFrameSize,
                d.resetBudget, d.controlFrameBudget, d.budgetWindow, d.maxContinuationFrames, d.extendedConnect);
    }

    /** @return a copy allowing this many concurrent streams per connection */
    public Http2Config withMaxConcurrentStreams(int n) {
        return new Http2Config(enabled, n, streamWindow, connectionWindow, maxFrameSize, resetBudget,
                controlFrameBudget, budgetWindow, maxContinuationFrames, extendedConnect);
    }

    /** @return a copy with these receive windows (stream, connection) */
    public Http2Config withWindows(int stream, int connection) {
        return new Http2Config(enabled, maxConcurrentStreams, stream, connection, maxFrameSize, resetBudget,
                controlFrameBudget, budgetWindow, maxContinuationFrames, extendedConnect);
    }

    /** @return a copy with these flood budgets per window */
    public Http2Config withBudgets(int resets, int controlFrames, Duration window) {
        return new Http2Config(enabled, maxConcurrentStreams, streamWindow, connectionWindow, maxFrameSize, resets,
                controlFrames, window, maxContinuationFrames, extendedConnect);
    }

    /** @return a copy with extended CONNECT (RFC 8441, WebSocket over HTTP/2) offered or not */
    public Http2Config withExtendedConnect(boolean on) {
        return new Http2Config(enabled, maxConcurrentStreams, streamWindow, connectionWindow, maxFrameSize, resetBudget,
                controlFrameBudget, budgetWindow, maxContinuationFrames, on);
    }
}
