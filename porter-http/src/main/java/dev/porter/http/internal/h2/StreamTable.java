package dev.porter.http.internal.h2;

import dev.porter.core.Connection;
import dev.porter.http.Http2Config;
import dev.porter.http.internal.status.Metrics;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streams of one HTTP/2 connection, server side, and the rules for their life: a field block opens a stream
 * or ends one with trailers (§5.1, §8.1), new stream identifiers only grow (§5.1.1), at most
 * {@code maxConcurrentStreams} run at once (§5.1.2, more are refused), resets are budgeted (rapid reset,
 * CVE-2023-44487), and streams we reset are remembered for a while so that frames the peer sent before it saw the
 * reset are ignored (§5.1). The reader thread opens and resets streams; each handler's thread ends its own.
 */
final class StreamTable {

    /**
     * Streams we reset whose identifiers are remembered once they are gone: the peer may have sent DATA or
     * trailers before it saw the reset, and those are ignored (§5.1) rather than taken as errors.
     */
    private static final int RECENT_RESETS = 256;

    private final Http2Connection connection;
    private final FlowControl flow;
    private final int maxConcurrentStreams;
    private final int streamWindow;
    private final int maxHeaderBytes;
    private final Budget resets;
    private final StreamMap streams = new StreamMap();
    /**
     * Streams that count toward {@code maxConcurrentStreams}: those in the map less the ones already closed by
     * both ends whose handler is still finishing (§5.1.2 counts open and half-closed streams only).
     */
    private final AtomicInteger counted = new AtomicInteger();
    private final ReentrantLock endedLock = new ReentrantLock();
    private final Condition streamEnded = endedLock.newCondition();
    /** The highest stream identifier the client used; the reader thread's. */
    private int lastStreamId;
    /** Ring of the identifiers of streams we reset, most recent last; guarded by {@code this}. */
    private final int[] recentResets = new int[RECENT_RESETS];
    private int recentResetCount;
    /** A thread waits in {@link #awaitAllEnded}: ending streams signal it (set once, at the connection's end). */
    private volatile boolean drainWaiting;

    StreamTable(Http2Connection connection, FlowControl flow, Http2Config h2, int maxHeaderBytes) {
        this.connection = connection;
        this.flow = flow;
        this.maxConcurrentStreams = h2.maxConcurrentStreams();
        this.streamWindow = h2.streamWindow();
        this.maxHeaderBytes = maxHeaderBytes;
        this.resets = new Budget(h2.resetBudget(), h2.budgetWindow().toNanos());
    }

    Http2Stream get(int id) { return streams.get(id); }
    boolean isEmpty() { return streams.isEmpty(); }
    List<Http2Stream> open() { return streams.snapshot(); }
    int openCount() { return streams.size(); }
    int lastStreamId() { return lastStreamId; }

    /** Cancels every stream still running (the connection is going). */
    void cancelAll(IOException why) {
        for (Http2Stream s : streams.snapshot()) s.cancel(why);
    }

    /** Cancels the streams whose request is incomplete: it can never complete once the input ended. */
    void cancelIncomplete(IOException why) {
        for (Http2Stream s : streams.snapshot()) {
            if (!s.remoteEnded()) s.cancel(why);
        }
    }

    /**
     * A complete field block: a new request, or trailers of one in progress.
     *
     * @param goingAway a GOAWAY was sent or received: new streams are ignored (§6.8)
     * @throws Http2Exception a stream error to reset the stream with, or a connection error
     */
    void fieldBlock(FieldBlockReader.Block block, boolean goingAway) {
        int id = block.streamId();
        RequestFields fields = block.fields();
        Http2Stream existing = streams.get(id);
        if (existing != null) {
            if (existing.resetByPeer) throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "HEADERS after RST_STREAM (§5.1)");
            if (existing.resetSent) return; // §5.1: ignored (decoded, for the HPACK context)
            if (existing.remoteEnded()) {
                // §5.1: half-closed (remote) accepts only WINDOW_UPDATE, PRIORITY and RST_STREAM.
                throw Http2Exception.stream(id, Http2Error.STREAM_CLOSED, "HEADERS after END_STREAM (§5.1)");
            }
            // Trailers (§8.1): they must end the stream and carry no pseudo-header field; their fields are not
            // passed on.
            if (!block.endStream()) throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, "trailers without END_STREAM");
            if (block.tooLarge() == null) fields.validateTrailers(id);
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
        // is out, which a client that keeps its window shut can delay to the write timeout), and those the peer
        // reset until their handler has ended (rapid reset). A stream both ends closed is not counted any more.
        if (counted.get() >= maxConcurrentStreams) {
            resets.spend("refused streams");
            throw Http2Exception.stream(id, Http2Error.REFUSED_STREAM, "too many concurrent streams");
        }
        if (block.tooLarge() != null) {
            // The header list is over our limit: answer 431 on the stream, as HTTP/1.1 would.
            StreamExchange.start(connection, newStream(id, -1), fields.tooLarge(maxHeaderBytes), block.endStream());
            return;
        }
        fields.validate(id, flow.extendedConnect());
        Http2Stream s = newStream(id, fields.contentLength());
        StreamExchange.start(connection, s, fields, block.endStream());
    }

    private Http2Stream newStream(int id, long declaredLength) {
        Http2Stream s = new Http2Stream(id, connection, streamWindow, flow.peerInitialWindowSize(), declaredLength);
        streams.put(s);
        connection.count(Metrics.H2_STREAMS);
        counted.incrementAndGet();
        return s;
    }

    /** A stream closed by both ends (§5.1) while its handler finishes: its place is free for the next one. */
    void closed() {
        counted.decrementAndGet();
    }

    /** Called when a stream's exchange is over: its slot is free again. */
    void ended(Http2Stream s) {
        if (s.resetSent) noteReset(s.id);
        if (s.freeSlot()) counted.decrementAndGet();
        streams.remove(s.id);
        connection.count(Metrics.H2_STREAMS_ENDED);
        // Only a drain waits for streams to end: the lock and signal are skipped otherwise. (The remove above and
        // the flag are both ordered by monitors/volatiles: either this thread sees the flag, or the waiter, which
        // sets it before it looks, sees the stream gone.)
        if (!drainWaiting) return;
        endedLock.lock();
        try {
            streamEnded.signalAll();
        } finally {
            endedLock.unlock();
        }
    }

    /** Waits up to {@code nanos} for every stream to end, while {@code c} is open. */
    void awaitAllEnded(long nanos, Connection c) {
        long left = nanos;
        drainWaiting = true;
        endedLock.lock();
        try {
            while (!streams.isEmpty() && left > 0 && c.isOpen()) left = streamEnded.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            endedLock.unlock();
        }
    }

    /**
     * The peer reset stream {@code id} (RST_STREAM, §6.4); resets spend the reset budget.
     *
     * @return the unread body bytes dropped, for the caller to give back to the connection window
     * @throws Http2Exception PROTOCOL_ERROR, a connection error, on an idle stream; ENHANCE_YOUR_CALM past the budget
     */
    int resetByPeer(int id, int errorCode) {
        resets.spend("stream resets");
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (id > lastStreamId) {
                throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
            }
            return 0;
        }
        s.localEnded = true;
        s.resetByPeer = true;
        return s.cancel(new IOException("stream reset by the client (" + Http2Error.of(errorCode) + ")"));
    }

    /**
     * We reset stream {@code id} (the caller sends the RST_STREAM): its handler is cancelled, its id remembered.
     *
     * @return the unread body bytes dropped, for the caller to give back to the connection window
     */
    int resetSent(int id, String why) {
        Http2Stream s = streams.get(id);
        if (s != null) {
            s.localEnded = true;
            s.resetSent = true;
            return s.cancel(new IOException("stream reset: " + why));
        }
        noteReset(id);
        return 0;
    }

    /** Remembers a stream we reset, once it has no {@link Http2Stream} any more (or never had one). */
    private synchronized void noteReset(int id) {
        recentResets[recentResetCount++ % RECENT_RESETS] = id;
    }

    /** @return true if we reset stream {@code id} recently */
    synchronized boolean wasReset(int id) {
        for (int i = 0, n = Math.min(recentResetCount, RECENT_RESETS); i < n; i++) {
            if (recentResets[i] == id) return true;
        }
        return false;
    }
}
