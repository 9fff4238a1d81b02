package dev.porter.http.internal.h2;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.Handler;
import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.internal.Linger;
import dev.porter.http.internal.status.Metrics;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static dev.porter.http.internal.h2.FrameType.CONTINUATION;
import static dev.porter.http.internal.h2.FrameType.DATA;
import static dev.porter.http.internal.h2.FrameType.GOAWAY;
import static dev.porter.http.internal.h2.FrameType.HEADERS;
import static dev.porter.http.internal.h2.FrameType.PING;
import static dev.porter.http.internal.h2.FrameType.PRIORITY;
import static dev.porter.http.internal.h2.FrameType.RST_STREAM;
import static dev.porter.http.internal.h2.FrameType.SETTINGS;
import static dev.porter.http.internal.h2.FrameType.WINDOW_UPDATE;

/**
 * One HTTP/2 connection (RFC 9113), server side. The connection's own virtual thread is the reader: it parses
 * frames ({@link FrameParser}) and dispatches them to the connection's state — field blocks to the
 * {@link FieldBlockReader} (HPACK), settings and the connection window to {@link FlowControl}, streams to the
 * {@link StreamTable}, which starts each request on a virtual thread of its own ({@link StreamExchange}), where
 * the application's {@link Handler} runs in plain blocking style exactly as over HTTP/1.1. Everything sent goes
 * through the {@link Http2Writer}. This class keeps the connection's life: the preface, waiting for input, the
 * GOAWAY and drain at the end, and the lingering close after an error.
 *
 * <p>Defences, each bounded by {@link Http2Config}: concurrent streams (more are refused), a reset budget (rapid
 * reset, CVE-2023-44487), a control-frame budget (SETTINGS, PING, PRIORITY, empty frames), CONTINUATION frames
 * per field block and its size (CVE-2024-27316), the decoded header list (HPACK bomb), receive windows (a client
 * cannot make the server buffer more than the connection window, opened again only as bodies are consumed), a write
 * stall limit (zero-window stall).
 */
public final class Http2Connection {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpServer");
    /** While streams are running, a quiet connection is not idle: its handlers are working. */
    private static final Duration BUSY_IDLE = Duration.ofHours(1);
    /** While streams are running, the reader looks up this often to see whether they all ended. */
    private static final Duration BUSY_SLICE = Duration.ofSeconds(1);
    /** How long, and for how many bytes, a connection closed for an error keeps reading before it closes. */
    private static final long LINGER_NANOS = 1_000_000_000L;
    private static final int LINGER_DISCARD_BYTES = 256 * 1024;
    /** How long streams still running may finish once the input ended (a graceful stop bounds it too). */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Connection c;
    /** The client closed its side (not a graceful stop shutting the input): its streams' answers go nowhere useful. */
    private volatile boolean clientClosed;
    private final HttpConfig config;
    private final Http2Config h2;
    private final Handler handler;
    private final Http2Writer writer;
    private final FrameParser parser;
    private final Budget controlFrames;
    private final FlowControl flow;
    private final FieldBlockReader blocks;
    private final StreamTable streams;
    /** When the reader may wait without a timer (a connection whose frames come back to back). */
    private final ReaderWatch watch;
    private final boolean secure;
    private final long bodyTimeoutNanos;
    /** The strict-transport-security value every response carries, or null (made once, not per response). */
    private final String hsts;
    /** A GOAWAY was sent or received: no new stream starts, the connection ends once the running ones did. */
    private boolean goingAway;
    /** Where every response is counted for the status page, or null when it is off. */
    private final Metrics metrics;
    /** Our SETTINGS went out (once per connection, not again when it resumes from a park). */
    private boolean started;
    private boolean settingsSeen;

    private enum Input { MORE, ENDED, PARKED } // what a wait for input ended with

    /** @param metrics where responses are counted (the status page), or null */
    public Http2Connection(Connection c, HttpConfig config, Handler handler, Metrics metrics) {
        this.metrics = metrics;
        this.c = c;
        this.config = config;
        this.h2 = config.http2();
        this.handler = handler;
        this.writer = new Http2Writer(c, c.config().writeTimeout().toNanos(), metrics);
        this.parser = new FrameParser(h2.maxFrameSize());
        this.controlFrames = new Budget(h2.controlFrameBudget(), h2.budgetWindow().toNanos());
        this.flow = new FlowControl(writer, config);
        this.blocks = new FieldBlockReader(parser, config.maxHeaderBytes(), h2.maxFrameSize(),
                h2.maxContinuationFrames(), controlFrames);
        this.streams = new StreamTable(this, flow, h2, config.maxHeaderBytes());
        this.watch = new ReaderWatch(streams, writer);
        this.secure = c.tls().isPresent();
        this.bodyTimeoutNanos = c.config().readTimeout().toNanos();
        this.hsts = secure && config.strictTransportSecurity() != null
                ? "max-age=" + config.strictTransportSecurity().toSeconds() : null;
    }

    Connection connection() { return c; }

    /** @return true once the client closed its side of the connection (see {@link Http2Request#look}) */
    boolean clientClosed() { return clientClosed; }
    HttpConfig config() { return config; }
    Http2Writer writer() { return writer; }
    /** @return bytes of field block buffer the reader keeps now (tests: a parked connection keeps none) */
    int fieldBlockBytes() { return blocks.heldBytes(); }
    boolean secure() { return secure; }
    String hsts() { return hsts; }
    long bodyTimeoutNanos() { return bodyTimeoutNanos; }
    int streamWindow() { return h2.streamWindow(); }
    Handler handler() { return handler; }
    Metrics metrics() { return metrics; }

    /** The status view's label while streams run (computed only when someone looks). */
    @Override
    public String toString() {
        int n = streams.openCount();
        return "HTTP/2, " + n + (n == 1 ? " stream" : " streams");
    }

    void wakeWriters() {
        writer.wakeWriters();
    }

    /**
     * Speaks HTTP/2 until the peer goes away, a connection error, or a graceful stop drains it — or until the
     * connection has been idle for {@link HttpConfig#idleLinger()} with no stream open, when it parks: it gives
     * back its thread and buffers like an idle HTTP/1.1 connection, and {@link #serve} is called again (with the
     * same object, which keeps the HPACK tables and settings) when the client sends more.
     *
     * @param prefaceExpected true when the client preface is still unread (h2c prior knowledge, h2 over TLS);
     *                        ignored when resuming
     * @return true if the connection parked ({@link Connection#parkUntilReadable()} was called): the caller returns
     *         without closing it; false once the connection is over and closed
     */
    public boolean serve(boolean prefaceExpected) throws IOException {
        ReadBuffer in = c.input();
        boolean parked = false;
        try {
            if (!started) {
                started = true;
                count(Metrics.H2_CONNECTIONS);
                flow.start();
                if (prefaceExpected) readPreface(in);
            }
            while (true) {
                int start = in.start();
                if (!settingsSeen && in.available() >= 5) {
                    // §3.4: the client preface is the magic AND a SETTINGS frame; anything else first is an
                    // invalid preface (checked on the header, before its length can be judged as a frame's).
                    byte[] a = in.array();
                    if ((a[start + 3] & 0xff) != SETTINGS || (a[start + 4] & FrameType.FLAG_ACK) != 0) {
                        throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR,
                                "invalid connection preface: SETTINGS must follow the magic (RFC 9113 §3.4)");
                    }
                    settingsSeen = true;
                }
                int n = parser.parse(in.array(), start, in.end());
                if (n == 0) {
                    watch.waitStarts();
                    Input next = await(in, in.available() > 0);
                    watch.waitEnded();
                    if (next == Input.PARKED) {
                        parked = true;
                        return true;
                    }
                    if (next == Input.ENDED) {
                        endOfInput();
                        break;
                    }
                    continue;
                }
                try {
                    frame();
                } catch (Http2Exception e) {
                    if (e.isConnectionError()) throw e;
                    int id = e.streamId();
                    if (id % 2 == 0 || id > streams.lastStreamId()) {
                        // §5.1: RST_STREAM is never sent on an idle stream (nor on an even one, which this server
                        // never opens): the error on it (a bad PRIORITY or WINDOW_UPDATE) ends the connection
                        // instead, as §5.4.1 allows for any stream error.
                        throw Http2Exception.connection(e.error(), e.getMessage() + " (idle stream " + id + ")");
                    }
                    resetStream(id, e.error(), e.getMessage());
                }
                in.consume(n);
                if (goingAway && streams.isEmpty()) break;
            }
            drain();
            try {
                // FIN after the last answers, and what the client still sent read away: closing with unread input
                // would make the kernel send a reset that can destroy the answers in flight (as over HTTP/1.1).
                lingeringClose();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.TRACE, "HTTP/2 lingering close ended: {0}", e.getMessage());
            }
        } catch (Http2Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "HTTP/2 connection error with " + c.remoteAddress() + ": " + e);
            try {
                writer.goAway(streams.lastStreamId(), e.error(), e.getMessage());
                lingeringClose();
            } catch (IOException ignored) {
                // The peer is gone as well: the close below is all that is left.
            }
        } catch (SocketTimeoutException e) {
            LOG.log(System.Logger.Level.TRACE, "HTTP/2 connection idle: {0}", e.getMessage());
            try {
                // §6.8: a GOAWAY before closing tells the client that nothing after the last stream was processed,
                // so a request it sent just now can be retried on a new connection. (The output is still usable
                // after a read timeout.)
                writer.goAway(streams.lastStreamId(), Http2Error.NO_ERROR, "idle timeout");
            } catch (IOException ignored) {
                // The peer is gone: nothing to tell.
            }
        } finally {
            if (!parked) {
                streams.cancelAll(new IOException("the HTTP/2 connection closed"));
                c.close();
                count(Metrics.H2_CONNECTIONS_ENDED);
            }
        }
        return false;
    }

    /** Parked past its idle timeout: a GOAWAY first (RFC 9113 §9.1: an endpoint closing the connection SHOULD send
     *  one), so a request the client sent just now is known not to be processed. */
    public void expired() throws IOException {
        count(Metrics.H2_CONNECTIONS_ENDED); // the core closes it next, without serving it again
        writer.goAway(streams.lastStreamId(), Http2Error.NO_ERROR, "idle timeout");
    }

    /** Counts an HTTP/2 event for the status page, if it is on ({@link Metrics#count}). */
    void count(int counter) {
        if (metrics != null) metrics.count(counter);
    }

    /**
     * The input ended: the client closed its side, or a graceful stop shut it while the reader waited. A stop still
     * owes the client its GOAWAY (§6.8: it tells which streams were processed; later ones were not and may be
     * retried). Streams whose request is incomplete can never complete now: they are cancelled rather than left
     * waiting for the body timeout; the others finish ({@link #drain}).
     */
    private void endOfInput() throws IOException {
        if (!c.isDraining()) clientClosed = true;
        if (c.isDraining() && !goingAway) {
            goingAway = true;
            writer.goAway(streams.lastStreamId(), Http2Error.NO_ERROR, "server stopping");
        }
        streams.cancelIncomplete(new IOException("the connection's input ended before the request was complete"));
    }

    /**
     * Waits for more bytes: inside a frame, the read timeout. Between frames, a connection whose frames come back to
     * back waits untimed, watched by the core ({@link ReaderWatch}); otherwise, with no stream open, the keep-alive
     * wait ({@link HttpConfig#idleLinger()} on the thread, then parked), and while streams are open a timed wait in
     * slices, checked in between: a stream ending does not wake a thread blocked in a read, and without the slices
     * the reader would not see its last stream end (to park, or to close after the client's GOAWAY, §6.8).
     *
     * @return {@link Input#ENDED} at the end of the input (or a graceful stop, or the client's GOAWAY with no stream
     *         left), {@link Input#PARKED} once parked
     */
    private Input await(ReadBuffer in, boolean insideFrame) throws IOException {
        if (insideFrame) return more(in.fill(ReadBuffer.Wait.IN_MESSAGE, parser.needed() + 1));
        while (true) {
            if (c.isDraining() && !goingAway) {
                goingAway = true;
                writer.goAway(streams.lastStreamId(), Http2Error.NO_ERROR, "server stopping");
            }
            if (goingAway && streams.isEmpty()) return Input.ENDED;
            // For the status view: busy while streams run (one field write per wait, no allocation).
            c.activity(streams.isEmpty() ? null : this);
            if (watch.hot() && !goingAway) {
                // Untimed, watched by the core (ReaderWatch): it lingers and parks once nudged after its streams end.
                c.setIdleTimeout(config.keepAliveTimeout());
                if (c.awaitInputWatched(watch)) return arrived(in);
                continue;
            }
            if (streams.isEmpty()) {
                // No stream can start before the client sends something: the keep-alive wait, first holding the
                // thread for a short linger (a browser's next request often comes at once), then parked.
                c.setIdleTimeout(config.keepAliveTimeout());
                if (!c.isDraining() && !c.awaitInput(config.idleLinger()) && !c.isDraining() && streams.isEmpty()) {
                    writer.release();
                    blocks.release();
                    c.parkUntilReadable();
                    return Input.PARKED;
                }
                return arrived(in); // what the linger brought, or the keep-alive wait
            }
            c.setIdleTimeout(BUSY_IDLE);
            // Busy, not idle: a graceful stop must not shut this input, since the streams still running need the
            // client's WINDOW_UPDATEs to finish (§6.8: a GOAWAY lets streams in flight complete). The stop is seen
            // at the top of this loop within a slice.
            if (c.awaitInputWhileBusy(BUSY_SLICE)) return arrived(in); // input, or the end of it
        }
    }

    private static Input more(boolean filled) { return filled ? Input.MORE : Input.ENDED; }

    /** After a wait said input arrived: what it brought, else a read (the end of the input, or a wait after all). */
    private Input arrived(ReadBuffer in) throws IOException {
        return in.available() > 0 ? Input.MORE : more(in.fill(ReadBuffer.Wait.NEXT_MESSAGE, parser.needed() + 1));
    }

    private void readPreface(ReadBuffer in) throws IOException {
        while (true) {
            int m = FrameParser.expectPreface(in.array(), in.start(), in.end());
            if (m > 0) {
                in.consume(m);
                return;
            }
            if (!in.fill(ReadBuffer.Wait.IN_MESSAGE, FrameParser.PREFACE.length)) {
                throw new IOException("connection closed inside the HTTP/2 preface");
            }
        }
    }

    /**
     * After a connection error's GOAWAY (§5.4.1: then close): sends it, half-closes, and reads what the client still
     * sends for a moment before the socket closes. Closing with unread input makes the kernel answer with a reset,
     * which can destroy the GOAWAY before the client reads it; a client flooding frames would then never learn
     * why it was cut off.
     */
    private void lingeringClose() throws IOException {
        streams.cancelAll(new IOException("the HTTP/2 connection failed"));
        c.flush();
        c.shutdownOutput();
        Linger.discardInput(c.input(), LINGER_NANOS, LINGER_DISCARD_BYTES);
    }

    /** After the input ended: the streams still running finish (their answers may still reach the peer). */
    private void drain() { streams.awaitAllEnded(DRAIN.toNanos(), c); }

    // ---- frames ----------------------------------------------------------------------------------------------

    private void frame() throws IOException {
        Http2Exception streamError = parser.streamError();
        if (streamError != null) throw streamError;
        switch (parser.type()) {
            case DATA -> data();
            case HEADERS -> fieldBlock(blocks.headers());
            case CONTINUATION -> fieldBlock(blocks.continuation());
            case RST_STREAM -> {
                count(Metrics.H2_RESETS_RECEIVED);
                flow.consumed(streams.resetByPeer(parser.streamId(), parser.errorCode()));
            }
            case SETTINGS -> {
                controlFrames.spend("SETTINGS");
                flow.settings(parser, streams.open());
            }
            case PING -> {
                controlFrames.spend("PING");
                if (!parser.ack()) writer.pingAck(parser.pingData());
            }
            case GOAWAY -> goingAway = true;
            case WINDOW_UPDATE -> windowUpdate();
            case PRIORITY -> controlFrames.spend("PRIORITY"); // §5.3.2: accepted and ignored
            default -> controlFrames.spend("unknown frames"); // §5.5: ignored
        }
    }

    /**
     * A DATA frame: counted against the connection window, and what is not kept for a handler — padding, DATA on a
     * stream that is closed, reset, or in error — given back at once (§6.9: it counts all the same, and a peer that
     * sent it before it saw the reset must not lose that window for good).
     */
    private void data() throws IOException {
        int flowLength = parser.length();
        flow.received(flowLength);
        int kept;
        try {
            kept = dataOnStream(flowLength);
        } catch (Http2Exception e) {
            if (!e.isConnectionError()) flow.consumed(flowLength);
            throw e;
        }
        flow.consumed(flowLength - kept);
    }

    /** @return the content bytes the stream kept for its handler */
    private int dataOnStream(int flowLength) {
        int id = parser.streamId();
        if (flowLength == 0 && !parser.endStream()) controlFrames.spend("empty DATA frames");
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (id > streams.lastStreamId()) throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "DATA on an idle stream");
            if (streams.wasReset(id)) return 0; // §5.1: sent before the peer saw our RST_STREAM; ignored
            throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "DATA on a closed stream");
        }
        if (s.resetByPeer) throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "DATA after RST_STREAM (§5.1)");
        if (s.resetSent) return 0;
        return s.data(parser.buffer(), parser.contentStart(), parser.contentEnd(), flowLength, parser.endStream());
    }

    /** A field block, once complete (null while CONTINUATION frames are to follow). */
    private void fieldBlock(FieldBlockReader.Block block) {
        if (block != null) streams.fieldBlock(block, goingAway);
    }

    /** Gives {@code n} bytes of request body, read or dropped, back to the connection window (any thread). */
    void bodyConsumed(int n) throws IOException {
        flow.consumed(n);
    }

    /** Called when a stream's exchange is over: its slot is free again. */
    void ended(Http2Stream s) {
        streams.ended(s);
    }

    /** A stream closed (§5.1) before its exchange is over: it no longer counts toward the limit (§5.1.2). */
    void streamClosed() {
        streams.closed();
    }

    private void windowUpdate() {
        int id = parser.streamId();
        if (id == 0) {
            writer.windowOpened(null, parser.windowIncrement());
            return;
        }
        Http2Stream s = streams.get(id);
        if (s != null) {
            writer.windowOpened(s, parser.windowIncrement());
        } else if (id > streams.lastStreamId()) {
            // §5.1: on an idle stream only HEADERS and PRIORITY may arrive. (On a closed one WINDOW_UPDATE is
            // ignored, §6.9: the peer may have sent it before it saw the end.)
            throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + id + " (§5.1)");
        }
    }

    /** Resets a stream after a stream error (§5.4.2). */
    private void resetStream(int id, Http2Error error, String why) throws IOException {
        LOG.log(System.Logger.Level.DEBUG, () -> "HTTP/2 stream " + id + " reset: " + error + " " + why);
        int dropped = streams.resetSent(id, why);
        writer.rstStream(id, error);
        flow.consumed(dropped);
    }
}
