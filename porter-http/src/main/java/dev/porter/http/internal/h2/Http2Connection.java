package dev.porter.http.internal.h2;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.Handler;
import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * frames ({@link FrameParser}), keeps the connection's state (settings, HPACK, flow control, streams) and starts
 * each request on a virtual thread of its own ({@link StreamExchange}), where the application's {@link Handler}
 * runs in plain blocking style exactly as over HTTP/1.1. Everything sent goes through the {@link Http2Writer}.
 *
 * <p>Defences, each bounded by {@link Http2Config}: concurrent streams (more are refused), a reset budget (rapid
 * reset, CVE-2023-44487), a control-frame budget (SETTINGS, PING, PRIORITY, empty frames), CONTINUATION frames
 * per field block and its size (CVE-2024-27316), the decoded header list (HPACK bomb), receive windows (a client
 * cannot make the server buffer more than a window per stream), a write stall limit (zero-window stall).
 */
public final class Http2Connection {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpServer");
    /** While streams are running, a quiet connection is not idle: its handlers are working. */
    private static final Duration BUSY_IDLE = Duration.ofHours(1);
    /** While streams are running, the reader looks up this often to see whether they all ended. */
    private static final Duration BUSY_SLICE = Duration.ofSeconds(1);
    /**
     * Streams we reset whose identifiers are remembered once they are gone: the peer may have sent DATA or
     * trailers before it saw the reset, and those are ignored (§5.1) rather than taken as errors.
     */
    private static final int RECENT_RESETS = 256;
    /** How long, and for how many bytes, a connection closed for an error keeps reading before it closes. */
    private static final long LINGER_NANOS = 1_000_000_000L;
    private static final int LINGER_DISCARD_BYTES = 256 * 1024;
    /** How long streams still running may finish once the input ended (a graceful stop bounds it too). */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Connection c;
    private final HttpConfig config;
    private final Http2Config h2;
    private final Handler handler;
    private final Http2Writer writer;
    private final FrameParser parser;
    private final HpackDecoder decoder;
    private final Settings ours = new Settings();
    private final Settings peer = new Settings();
    private final Map<Integer, Http2Stream> streams = new ConcurrentHashMap<>();
    private final ReentrantLock endedLock = new ReentrantLock();
    private final Condition streamEnded = endedLock.newCondition();
    private final boolean secure;
    private final long bodyTimeoutNanos;
    private final Budget resets;
    private final Budget controlFrames;
    private int lastStreamId;
    /** Ring of the identifiers of streams we reset, most recent last; guarded by {@code this}. */
    private final int[] recentResets = new int[RECENT_RESETS];
    private int recentResetCount;
    private boolean goingAway;
    /** Our receive window for the whole connection: replenished as DATA arrives (streams bound the buffering). */
    private long receiveWindow;
    /** A field block being collected across CONTINUATION frames. */
    private byte[] block = new byte[0];
    private int blockLength;
    private int blockStream;
    private int blockFrames;
    private boolean blockEndStream;

    public Http2Connection(Connection c, HttpConfig config, Handler handler) {
        this.c = c;
        this.config = config;
        this.h2 = config.http2();
        this.handler = handler;
        this.writer = new Http2Writer(c, c.config().writeTimeout().toNanos());
        this.parser = new FrameParser(h2.maxFrameSize());
        this.decoder = new HpackDecoder(Settings.DEFAULT_HEADER_TABLE_SIZE, config.maxHeaderBytes());
        this.secure = c.tls().isPresent();
        this.bodyTimeoutNanos = c.config().readTimeout().toNanos();
        long window = h2.budgetWindow().toNanos();
        this.resets = new Budget(h2.resetBudget(), window);
        this.controlFrames = new Budget(h2.controlFrameBudget(), window);
        ours.maxConcurrentStreams(h2.maxConcurrentStreams()).initialWindowSize(h2.streamWindow())
                .maxFrameSize(h2.maxFrameSize()).maxHeaderListSize(config.maxHeaderBytes()).enablePush(false);
    }

    Connection connection() { return c; }
    HttpConfig config() { return config; }
    Http2Writer writer() { return writer; }
    boolean secure() { return secure; }
    long bodyTimeoutNanos() { return bodyTimeoutNanos; }
    int streamWindow() { return h2.streamWindow(); }
    Handler handler() { return handler; }

    void wakeWriters() {
        writer.wakeWriters();
    }

    /**
     * Speaks HTTP/2 until the peer goes away, a connection error, or a graceful stop drains it.
     *
     * @param prefaceExpected true when the client preface is still unread (h2c prior knowledge, h2 over TLS)
     */
    public void serve(boolean prefaceExpected) throws IOException {
        ReadBuffer in = c.input();
        try {
            writer.settings(ours, new Settings());
            receiveWindow = Settings.DEFAULT_WINDOW_SIZE;
            if (h2.connectionWindow() > Settings.DEFAULT_WINDOW_SIZE) {
                writer.windowUpdate(0, h2.connectionWindow() - Settings.DEFAULT_WINDOW_SIZE);
                receiveWindow = h2.connectionWindow();
            }
            if (prefaceExpected) readPreface(in);
            boolean settingsSeen = false;
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
                    if (!await(in, in.available() > 0)) {
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
                    if (id % 2 == 0 || id > lastStreamId) {
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
                writer.goAway(lastStreamId, e.error(), e.getMessage());
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
                writer.goAway(lastStreamId, Http2Error.NO_ERROR, "idle timeout");
            } catch (IOException ignored) {
                // The peer is gone: nothing to tell.
            }
        } finally {
            IOException gone = new IOException("the HTTP/2 connection closed");
            for (Http2Stream s : streams.values()) s.cancel(gone);
            c.close();
        }
    }

    /**
     * The input ended: the client closed its side, or a graceful stop shut it while the reader waited. A stop still
     * owes the client its GOAWAY (§6.8: it tells which streams were processed; later ones were not and may be
     * retried). Streams whose request is incomplete can never complete now: they are cancelled rather than left
     * waiting for the body timeout; the others finish ({@link #drain}).
     */
    private void endOfInput() throws IOException {
        if (c.isDraining() && !goingAway) {
            goingAway = true;
            writer.goAway(lastStreamId, Http2Error.NO_ERROR, "server stopping");
        }
        IOException ended = new IOException("the connection's input ended before the request was complete");
        for (Http2Stream s : streams.values()) {
            if (!s.remoteEnded()) s.cancel(ended);
        }
    }

    /**
     * Waits for more bytes. Inside a frame that is the read timeout. Between frames with no stream open, the
     * keep-alive timeout. While streams are open the wait is in slices, checked in between: a stream ending does
     * not wake a thread blocked in a read, and without the slices the connection would keep the wait it started
     * with while busy — idle for an hour after its last stream ended, or never closing after the client's
     * GOAWAY (§6.8) once its streams were done.
     *
     * @return false at the end of the input (or a graceful stop, or the client's GOAWAY with no stream left)
     */
    private boolean await(ReadBuffer in, boolean insideFrame) throws IOException {
        if (insideFrame) return in.fill(ReadBuffer.Wait.IN_MESSAGE, parser.needed() + 1);
        while (true) {
            if (c.isDraining() && !goingAway) {
                goingAway = true;
                writer.goAway(lastStreamId, Http2Error.NO_ERROR, "server stopping");
            }
            if (goingAway && streams.isEmpty()) return false;
            if (streams.isEmpty()) {
                // No stream can start before the client sends something: the whole keep-alive wait at once.
                c.setIdleTimeout(config.keepAliveTimeout());
                return in.fill(ReadBuffer.Wait.NEXT_MESSAGE, parser.needed() + 1);
            }
            c.setIdleTimeout(BUSY_IDLE);
            // A stop cuts every wait short and no more input can be read then: the fill reports the end.
            if (c.isDraining()) return in.fill(ReadBuffer.Wait.NEXT_MESSAGE, parser.needed() + 1);
            if (c.awaitInput(BUSY_SLICE)) {
                if (in.available() > 0) return true;
                return in.fill(ReadBuffer.Wait.NEXT_MESSAGE, parser.needed() + 1); // the end of the input
            }
        }
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
        IOException gone = new IOException("the HTTP/2 connection failed");
        for (Http2Stream s : streams.values()) s.cancel(gone);
        c.flush();
        c.shutdownOutput();
        ReadBuffer in = c.input();
        in.deadline(System.nanoTime() + LINGER_NANOS);
        in.consume(in.available());
        byte[] skip = new byte[8192];
        for (int discarded = 0; discarded < LINGER_DISCARD_BYTES; ) {
            int n = in.read(skip, 0, skip.length, ReadBuffer.Wait.IN_MESSAGE);
            if (n < 0) break;
            discarded += n;
        }
    }

    /** After the input ended: the streams still running finish (their answers may still reach the peer). */
    private void drain() {
        long left = DRAIN.toNanos();
        endedLock.lock();
        try {
            while (!streams.isEmpty() && left > 0 && c.isOpen()) left = streamEnded.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endedLock.unlock();
        }
    }

    // ---- frames ----------------------------------------------------------------------------------------------

    private void frame() throws IOException {
        Http2Exception streamError = parser.streamError();
        if (streamError != null) throw streamError;
        switch (parser.type()) {
            case DATA -> data();
            case HEADERS -> headers();
            case CONTINUATION -> continuation();
            case RST_STREAM -> rstStream();
            case SETTINGS -> settings();
            case PING -> {
                spend(controlFrames, "PING");
                if (!parser.ack()) writer.pingAck(parser.pingData());
            }
            case GOAWAY -> goingAway = true;
            case WINDOW_UPDATE -> windowUpdate();
            case PRIORITY -> spend(controlFrames, "PRIORITY"); // §5.3.2: accepted and ignored
            default -> spend(controlFrames, "unknown frames"); // §5.5: ignored
        }
    }

    private void data() throws IOException {
        int id = parser.streamId();
        int flow = parser.length();
        if (flow > receiveWindow) throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
        receiveWindow -= flow;
        if (receiveWindow < h2.connectionWindow() / 2) {
            writer.windowUpdate(0, (int) (h2.connectionWindow() - receiveWindow));
            receiveWindow = h2.connectionWindow();
        }
        if (flow == 0 && !parser.endStream()) spend(controlFrames, "empty DATA frames");
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (id > lastStreamId) throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "DATA on an idle stream");
            if (wasReset(id)) return; // §5.1: sent before the peer saw our RST_STREAM; ignored
            throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "DATA on a closed stream");
        }
        if (s.resetByPeer) throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "DATA after RST_STREAM (§5.1)");
        if (s.resetSent) return;
        s.data(parser.buffer(), parser.contentStart(), parser.contentEnd(), flow, parser.endStream());
    }

    private void headers() {
        if (parser.length() == 0 && !parser.endHeaders()) spend(controlFrames, "empty HEADERS frames");
        blockStream = parser.streamId();
        blockEndStream = parser.endStream();
        blockFrames = 0;
        blockLength = 0;
        if (parser.endHeaders()) {
            fieldBlock(parser.buffer(), parser.contentStart(), parser.contentEnd());
        } else {
            append();
        }
    }

    private void continuation() {
        if (++blockFrames > h2.maxContinuationFrames()) {
            throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "too many CONTINUATION frames");
        }
        if (parser.length() == 0 && !parser.endHeaders()) spend(controlFrames, "empty CONTINUATION frames");
        append();
        if (parser.endHeaders()) fieldBlock(block, 0, blockLength);
    }

    /** Collects a fragment; the block may not grow past the header limit and one frame (CVE-2024-27316). */
    private void append() {
        int n = parser.contentEnd() - parser.contentStart();
        if (blockLength + n > config.maxHeaderBytes() + h2.maxFrameSize()) {
            throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "field block too large");
        }
        if (block.length < blockLength + n) block = java.util.Arrays.copyOf(block, Math.max(blockLength + n, block.length * 2));
        System.arraycopy(parser.buffer(), parser.contentStart(), block, blockLength, n);
        blockLength += n;
    }

    /** A complete field block: a new request, or trailers of one in progress. */
    private void fieldBlock(byte[] b, int from, int to) {
        int id = blockStream;
        RequestFields fields = new RequestFields();
        Http2Exception tooLarge = null;
        try {
            // Always decoded, even for a stream that will be refused: the HPACK context is the connection's.
            decoder.decode(b, from, to, id, fields);
        } catch (Http2Exception e) {
            if (e.isConnectionError()) throw e;
            tooLarge = e;
        }
        if (block.length > 64 * 1024) block = new byte[0]; // do not keep a large block buffer for the connection
        Http2Stream existing = streams.get(id);
        if (existing != null) {
            if (existing.resetByPeer) throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "HEADERS after RST_STREAM (§5.1)");
            if (existing.resetSent) return; // §5.1: ignored (decoded above, for the HPACK context)
            if (existing.remoteEnded()) {
                // §5.1: half-closed (remote) accepts only WINDOW_UPDATE, PRIORITY and RST_STREAM.
                throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "HEADERS after END_STREAM (§5.1)");
            }
            // Trailers (§8.1): they must end the stream and carry no pseudo-header field; their fields are not
            // passed on.
            if (!blockEndStream) throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, "trailers without END_STREAM");
            if (tooLarge == null) fields.validateTrailers(id);
            existing.endRemote();
            return;
        }
        if (id % 2 == 0) {
            throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "HEADERS on even stream " + id + " (§5.1.1)");
        }
        if (id <= lastStreamId && wasReset(id)) return; // §5.1: trailers of a stream we reset; ignored
        if (id < lastStreamId) {
            // §5.1.1: a new stream's identifier must be greater than every one the client used before.
            throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR,
                    "HEADERS on stream " + id + " after stream " + lastStreamId + " (§5.1.1)");
        }
        if (id == lastStreamId) {
            // §5.1: the stream is closed (its exchange is over): a frame after END_STREAM.
            throw Http2Exception.connection(Http2Error.STREAM_CLOSED, "HEADERS on closed stream " + id + " (§5.1)");
        }
        lastStreamId = id;
        if (goingAway) return; // §6.8: streams after our GOAWAY are ignored
        // §5.1.2: the limit counts every open stream, those answered 431 too (each holds a thread until its answer
        // is out, which a client that keeps its window shut can delay to the write timeout).
        if (streams.size() >= h2.maxConcurrentStreams()) {
            spend(resets, "refused streams");
            throw Http2Exception.stream(id, Http2Error.REFUSED_STREAM, "too many concurrent streams");
        }
        if (tooLarge != null) {
            // The header list is over our limit: answer 431 on the stream, as HTTP/1.1 would.
            StreamExchange.start(this, newStream(id, -1), fields.tooLarge(config.maxHeaderBytes()), blockEndStream);
            return;
        }
        fields.validate(id);
        Http2Stream s = newStream(id, fields.contentLength());
        StreamExchange.start(this, s, fields, blockEndStream);
    }

    private Http2Stream newStream(int id, long declaredLength) {
        Http2Stream s = new Http2Stream(id, this, h2.streamWindow(), peer.initialWindowSize(), declaredLength);
        streams.put(id, s);
        return s;
    }

    /** Called when a stream's exchange is over: its slot is free again. */
    void ended(Http2Stream s) {
        if (s.resetSent) noteReset(s.id);
        streams.remove(s.id);
        endedLock.lock();
        try {
            streamEnded.signalAll();
        } finally {
            endedLock.unlock();
        }
    }

    private void rstStream() {
        spend(resets, "stream resets");
        Http2Stream s = streams.get(parser.streamId());
        if (s == null) {
            if (parser.streamId() > lastStreamId) {
                throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
            }
            return;
        }
        s.localEnded = true;
        s.resetByPeer = true;
        s.cancel(new IOException("stream reset by the client (" + Http2Error.of(parser.errorCode()) + ")"));
    }

    private void settings() throws IOException {
        spend(controlFrames, "SETTINGS");
        if (parser.ack()) return;
        int before = peer.initialWindowSize();
        peer.apply(parser.buffer(), parser.payloadStart(), parser.payloadEnd(), false);
        writer.peerSettings(peer);
        if (peer.initialWindowSize() != before) writer.adjustStreamWindows(streams.values(), peer.initialWindowSize() - before);
        writer.settingsAck();
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
        } else if (id > lastStreamId) {
            // §5.1: on an idle stream only HEADERS and PRIORITY may arrive. (On a closed one WINDOW_UPDATE is
            // ignored, §6.9: the peer may have sent it before it saw the end.)
            throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + id + " (§5.1)");
        }
    }

    /** Resets a stream after a stream error (§5.4.2). */
    private void resetStream(int id, Http2Error error, String why) throws IOException {
        LOG.log(System.Logger.Level.DEBUG, () -> "HTTP/2 stream " + id + " reset: " + error + " " + why);
        Http2Stream s = streams.get(id);
        if (s != null) {
            s.localEnded = true;
            s.resetSent = true;
            s.cancel(new IOException("stream reset: " + why));
        } else {
            noteReset(id);
        }
        writer.rstStream(id, error);
    }

    /** Remembers a stream we reset, once it has no {@link Http2Stream} any more (or never had one). */
    private synchronized void noteReset(int id) {
        recentResets[recentResetCount++ % RECENT_RESETS] = id;
    }

    /** @return true if we reset stream {@code id} recently */
    private synchronized boolean wasReset(int id) {
        for (int i = 0, n = Math.min(recentResetCount, RECENT_RESETS); i < n; i++) {
            if (recentResets[i] == id) return true;
        }
        return false;
    }

    private static void spend(Budget budget, String what) {
        if (!budget.spend()) throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "too many " + what);
    }

    /** Events allowed per window of time; counted from the first event of each window. */
    private static final class Budget {
        private final int allowed;
        private final long windowNanos;
        private long windowStart = System.nanoTime();
        private int spent;

        Budget(int allowed, long windowNanos) {
            this.allowed = allowed;
            this.windowNanos = windowNanos;
        }

        boolean spend() {
            long now = System.nanoTime();
            if (now - windowStart > windowNanos) {
                windowStart = now;
                spent = 0;
            }
            return ++spent <= allowed;
        }
    }
}
