package dev.porter.http.internal.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The settings both ends announced and the connection-level flow control that follows from them, server side:
 * sends our SETTINGS and opens the connection window at the start (§3.4, §6.9.2), applies the peer's SETTINGS
 * (§6.5.3) — a new initial window size moves every open stream's send window (§6.9.2) — and keeps our connection
 * receive window (§6.9.1): received DATA is counted against it, and it opens again only as that DATA is
 * <em>consumed</em> — read by a handler, or dropped (padding, DATA on a stream that is closed or reset, a body left
 * unread when its stream ends) — so the request bodies one connection can make the server hold are bounded by the
 * connection window, not by its streams times their windows. Per-stream receive windows are the streams'
 * ({@link Http2Stream}); send windows are waited on in the {@link Http2Writer}. Settings and {@link #received} are
 * the reader thread's; {@link #consumed} is called from any thread.
 */
final class FlowControl {

    private final Http2Writer writer;
    /** The connection window we keep open for the peer. */
    private final int connectionWindow;
    private final Settings ours = new Settings();
    private final Settings peer = new Settings();
    /** Guards the two counts below: the reader takes the window, handler threads give it back. */
    private final ReentrantLock windowLock = new ReentrantLock();
    /** Our receive window for the whole connection: what the peer may still send. */
    private long receiveWindow;
    /** Bytes consumed (read or dropped) since the last connection WINDOW_UPDATE. */
    private long consumedUnacked;

    FlowControl(Http2Writer writer, HttpConfig config) {
        Http2Config h2 = config.http2();
        this.writer = writer;
        this.connectionWindow = h2.connectionWindow();
        ours.maxConcurrentStreams(h2.maxConcurrentStreams()).initialWindowSize(h2.streamWindow())
                .maxFrameSize(h2.maxFrameSize()).maxHeaderListSize(config.maxHeaderBytes()).enablePush(false)
                .enableConnectProtocol(h2.extendedConnect());
    }

    /** Sends our SETTINGS, then a WINDOW_UPDATE for the connection window beyond the default 65,535 bytes. */
    void start() throws IOException {
        writer.settings(ours, new Settings());
        receiveWindow = Settings.DEFAULT_WINDOW_SIZE;
        if (connectionWindow > Settings.DEFAULT_WINDOW_SIZE) {
            writer.windowUpdate(0, connectionWindow - Settings.DEFAULT_WINDOW_SIZE);
            receiveWindow = connectionWindow;
        }
    }

    /**
     * Counts a DATA frame against the connection window. The window is not reopened here: only {@link #consumed}
     * does that, as what arrived is read or dropped.
     *
     * @param flow the frame's whole payload length, padding included (§6.9.1)
     * @throws Http2Exception FLOW_CONTROL_ERROR, a connection error, if the peer overran the window
     */
    void received(int flow) {
        windowLock.lock();
        try {
            if (flow > receiveWindow) throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
            receiveWindow -= flow;
        } finally {
            windowLock.unlock();
        }
    }

    /**
     * Gives {@code n} bytes of received DATA back to the connection window: a handler read them, or they were
     * dropped. Once half the window is consumed, a WINDOW_UPDATE reopens it (fewer, larger frames, as the streams
     * do). Every byte received must come back here exactly once, or the window shrinks for good and a well-behaved
     * peer stalls (§6.9).
     */
    void consumed(int n) throws IOException {
        if (n <= 0) return;
        int increment;
        windowLock.lock();
        try {
            consumedUnacked += n;
            if (consumedUnacked < connectionWindow / 2) return;
            increment = (int) consumedUnacked;
            consumedUnacked = 0;
            // Counted as open before the frame goes out: the peer cannot use it sooner, so the check in received
            // is never stricter than the window the peer knows.
            receiveWindow += increment;
        } finally {
            windowLock.unlock();
        }
        writer.windowUpdate(0, increment);
    }

    /**
     * A SETTINGS frame from the peer (the parser is on it): applied and acknowledged; an ACK of ours is ignored.
     *
     * @param open the streams whose send windows a new initial window size moves
     */
    void settings(FrameParser parser, Iterable<Http2Stream> open) throws IOException {
        if (parser.ack()) return;
        int before = peer.initialWindowSize();
        peer.apply(parser.buffer(), parser.payloadStart(), parser.payloadEnd(), false);
        writer.peerSettings(peer);
        if (peer.initialWindowSize() != before) writer.adjustStreamWindows(open, peer.initialWindowSize() - before);
        writer.settingsAck();
    }

    /** @return true if we sent SETTINGS_ENABLE_CONNECT_PROTOCOL=1: a request may carry {@code :protocol} (RFC 8441 §4) */
    boolean extendedConnect() {
        return ours.enableConnectProtocol();
    }

    /** @return the send window a new stream starts with: the peer's SETTINGS_INITIAL_WINDOW_SIZE */
    int peerInitialWindowSize() {
        return peer.initialWindowSize();
    }
}
