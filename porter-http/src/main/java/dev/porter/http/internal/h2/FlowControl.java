package dev.porter.http.internal.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;

import java.io.IOException;

/**
 * The settings both ends announced and the connection-level flow control that follows from them, server side:
 * sends our SETTINGS and opens the connection window at the start (§3.4, §6.9.2), applies the peer's SETTINGS
 * (§6.5.3) — a new initial window size moves every open stream's send window (§6.9.2) — and counts received DATA
 * against our connection window, opening it again as it runs low (§6.9.1). Per-stream receive windows are the
 * streams' ({@link Http2Stream}); send windows are waited on in the {@link Http2Writer}. Used by the connection's
 * reader thread only.
 */
final class FlowControl {

    private final Http2Writer writer;
    /** The connection window we keep open for the peer. */
    private final int connectionWindow;
    private final Settings ours = new Settings();
    private final Settings peer = new Settings();
    /** Our receive window for the whole connection: replenished as DATA arrives (streams bound the buffering). */
    private long receiveWindow;

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
     * Counts a DATA frame against the connection window, reopening it once half is used. The connection window is
     * replenished as data arrives, not as handlers read: each stream's own window bounds what is buffered.
     *
     * @param flow the frame's whole payload length, padding included (§6.9.1)
     * @throws Http2Exception FLOW_CONTROL_ERROR, a connection error, if the peer overran the window
     */
    void received(int flow) throws IOException {
        if (flow > receiveWindow) throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
        receiveWindow -= flow;
        if (receiveWindow < connectionWindow / 2) {
            writer.windowUpdate(0, (int) (connectionWindow - receiveWindow));
            receiveWindow = connectionWindow;
        }
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
