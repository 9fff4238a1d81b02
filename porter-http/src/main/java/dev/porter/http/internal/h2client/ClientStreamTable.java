package dev.porter.http.internal.h2client;

import dev.porter.http.HttpClientException;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;
import dev.porter.http.internal.h2.Settings;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state one HTTP/2 client connection shares between its reader thread and the callers' threads, under one
 * lock: the streams in progress by identifier, the identifiers given out (RFC 9113 §5.1.1), the slots of the
 * server's SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2), the server's SETTINGS, its GOAWAY (§6.8), whether the
 * connection still takes streams (for the pool: closing, retired, idle since when) and why it failed. A caller's
 * wait here (the server's SETTINGS, a free slot) is bounded by the read timeout and the request's deadline.
 *
 * <p>{@link SendWindows} shares the lock: whether DATA may go depends on the windows, the SETTINGS and the
 * connection's failure at once. The lock is taken before a stream's own.
 */
final class ClientStreamTable {

    /** What {@link #retireIfIdle} found. */
    enum Idle {
        /** The connection failed already (and is closed). */
        FAILED,
        /** Streams are in progress, or the last one ended too recently. */
        BUSY,
        /** Idle long enough: it takes no new streams now, and is the caller's to close. */
        RETIRED
    }

    private final String remote;
    private final long readTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Changed under the lock; the reader looks streams up without it. */
    private final Map<Integer, Http2ClientStream> streams = new ConcurrentHashMap<>();

    // ---- guarded by lock --------------------------------------------------------------------------------------------
    private final Settings peer = new Settings();
    private boolean peerSettingsSeen;
    private int nextStreamId = 1;
    private int active;
    /** The last stream identifier of the server's GOAWAY, or -1. */
    private int goAwayLast = -1;
    /** No new streams; close once the last one ends. */
    private boolean closing;
    /** Not shared (the pool keeps no idle connections, or is closed): close once the streams started end. */
    private boolean retireOnIdle;
    private IOException failure;
    private long completed;
    private long idleSince = System.nanoTime();

    ClientStreamTable(String remote, long readTimeoutNanos) {
        this.remote = remote;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    // ---- for the pool -----------------------------------------------------------------------------------------------

    /** @return true if new streams may start: no failure, no GOAWAY, not retired, identifiers left */
    boolean takesStreams() {
        lock.lock();
        try {
            return failure == null && goAwayLast < 0 && !closing && !retireOnIdle && nextStreamId > 0;
        } finally {
            lock.unlock();
        }
    }

    /** @return streams in progress */
    int active() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** Retires the connection if no stream has been in progress for {@code nanos} (or at all, with 0). */
    Idle retireIfIdle(long nanos) {
        lock.lock();
        try {
            if (failure != null) return Idle.FAILED;
            if (active > 0 || System.nanoTime() - idleSince < nanos) return Idle.BUSY;
            closing = true;
            return Idle.RETIRED;
        } finally {
            lock.unlock();
        }
    }

    /** No new streams; the connection is to close once the streams in progress end. @return true if there are none */
    boolean retireWhenIdle() {
        lock.lock();
        try {
            closing = true;
            return active == 0;
        } finally {
            lock.unlock();
        }
    }

    /** The connection is not pooled: it is to close once the streams started on it end. */
    void retireAfterStreams() {
        lock.lock();
        try {
            retireOnIdle = true;
        } finally {
            lock.unlock();
        }
    }

    // ---- the server's SETTINGS ------------------------------------------------------------------------------------

    /**
     * Waits for the server's first SETTINGS (§3.4).
     *
     * @param deadline whole-request deadline ({@link System#nanoTime()}) or 0, with its {@code timeout}
     * @throws HttpClientException the connection failed first (an HTTP/1.x answer, say), or a timeout
     */
    void awaitPeerSettings(long deadline, Duration timeout) throws IOException {
        lock.lock();
        try {
            long until = System.nanoTime() + readTimeoutNanos;
            while (!peerSettingsSeen && failure == null) {
                try {
                    await(until, deadline);
                } catch (StreamTimeout e) {
                    throw e.toClientTimeout(remote, timeout, readTimeoutNanos, "no HTTP/2 SETTINGS from " + remote);
                }
            }
            if (!peerSettingsSeen) {
                if (failure instanceof HttpClientException) throw failure;
                if (failure instanceof SocketTimeoutException) {
                    throw new HttpClientException.Timeout("no data from " + remote + " for "
                            + readTimeoutNanos / 1_000_000 + " ms (read timeout)", HttpClientException.Timeout.Kind.READ);
                }
                throw new HttpClientException.IncompleteResponse("server " + remote
                        + " closed the connection before its HTTP/2 SETTINGS" + (failure.getMessage() == null ? ""
                        : ": " + failure.getMessage()), true);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the server's SETTINGS frame in {@code parser} (not an acknowledgement).
     *
     * @return the server's header table size if our encoder must learn it (changed, or the first SETTINGS), else -1
     * @throws Http2Exception a connection error: a bad setting, or a stream window pushed past 2^31-1 (§6.9.2)
     */
    int applySettings(FrameParser parser) {
        lock.lock();
        try {
            int before = peer.initialWindowSize();
            int tableBefore = peer.headerTableSize();
            peer.apply(parser.buffer(), parser.payloadStart(), parser.payloadEnd(), true);
            long delta = (long) peer.initialWindowSize() - before;
            if (delta != 0) SendWindows.initialWindowChanged(streams.values(), delta);
            int tableSize = peer.headerTableSize() != tableBefore || !peerSettingsSeen ? peer.headerTableSize() : -1;
            peerSettingsSeen = true;
            changed.signalAll();
            return tableSize;
        } finally {
            lock.unlock();
        }
    }

    /** @return true if the server sent SETTINGS_ENABLE_CONNECT_PROTOCOL=1 (RFC 8441 §3): extended CONNECT allowed */
    boolean peerExtendedConnect() {
        lock.lock();
        try {
            return peer.enableConnectProtocol();
        } finally {
            lock.unlock();
        }
    }

    /** @return the server's SETTINGS_MAX_FRAME_SIZE */
    int peerMaxFrameSize() {
        lock.lock();
        try {
            return peer.maxFrameSize();
        } finally {
            lock.unlock();
        }
    }

    // ---- streams ----------------------------------------------------------------------------------------------------

    /**
     * Waits until the server's concurrency limit lets one more stream start, and takes the slot.
     *
     * @param listSize the request's header list size (§6.5.2), checked against the server's limit
     * @throws Http2Retry if the connection stopped taking streams
     */
    void acquireSlot(long listSize, long deadline, Duration timeout) throws IOException {
        lock.lock();
        try {
            if (listSize > peer.maxHeaderListSize()) {
                throw new IOException("the request's header list of " + listSize + " bytes is larger than the "
                        + "server's SETTINGS_MAX_HEADER_LIST_SIZE of " + peer.maxHeaderListSize());
            }
            long until = System.nanoTime() + readTimeoutNanos;
            while (true) {
                if (failure != null || goAwayLast >= 0 || closing || nextStreamId < 0) {
                    throw unprocessed("the connection stopped taking streams before the request was sent");
                }
                if (active < peer.maxConcurrentStreams()) break;
                try {
                    await(until, deadline);
                } catch (StreamTimeout e) {
                    throw e.toClientTimeout(remote, timeout, readTimeoutNanos, "no HTTP/2 stream became free on the "
                            + "connection to " + remote + " (the server allows " + peer.maxConcurrentStreams()
                            + " at once)");
                }
            }
            active++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a stream in the slot taken: the next identifier, the server's initial window. Called under the
     * writer's lock, so identifiers reach the wire in order (§5.1.1).
     *
     * @param recvWindow our initial window for the stream
     * @throws Http2Retry (the slot given back) if the connection stopped taking streams meanwhile
     */
    Http2ClientStream open(Http2ClientWriter out, boolean head, int recvWindow) throws Http2Retry {
        lock.lock();
        try {
            if (failure != null || goAwayLast >= 0 || nextStreamId < 0) {
                freeSlot();
                throw unprocessed("the connection stopped taking streams before the request was sent");
            }
            int id = nextStreamId;
            nextStreamId += 2; // past 2^31-1 it turns negative: no identifiers left (§5.1.1)
            Http2ClientStream s = new Http2ClientStream(out, id, completed > 0, head, peer.initialWindowSize(),
                    recvWindow);
            streams.put(id, s);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** @return the stream in progress with identifier {@code id}, or null */
    Http2ClientStream get(int id) {
        return streams.get(id);
    }

    /**
     * A stream is over: its slot is free.
     *
     * @return true if the connection is now to close: it was told to go once idle, and is
     */
    boolean closed(Http2ClientStream s) {
        lock.lock();
        try {
            streams.remove(s.id);
            if (s.counted) {
                s.counted = false;
                completed++;
                freeSlot();
            }
            return active == 0 && (closing || retireOnIdle || goAwayLast >= 0) && failure == null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A frame for a stream not in the table: fine if it was ours and is closed (frames in flight are ignored, §5.1).
     *
     * @throws Http2Exception PROTOCOL_ERROR, a connection error, if the stream is idle or even (we open odd ones)
     */
    void checkNotIdle(int id, String what) {
        boolean idle;
        lock.lock();
        try {
            idle = id % 2 == 0 || nextStreamId > 0 && id >= nextStreamId;
        } finally {
            lock.unlock();
        }
        if (idle) {
            throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, what + " on stream " + id
                    + ", which the client never opened (RFC 9113 §5.1)");
        }
    }

    /**
     * The server's GOAWAY: no new streams; those above {@code last} were not processed and fail with
     * {@link Http2Retry} (§8.7), {@code why} in the message.
     *
     * @return true if no stream is left in progress: the connection is to close now
     */
    boolean goAway(int last, String why) {
        List<Http2ClientStream> unprocessed = new ArrayList<>();
        boolean closeNow;
        boolean progressed;
        lock.lock();
        try {
            goAwayLast = goAwayLast < 0 ? last : Math.min(goAwayLast, last);
            progressed = progressed();
            for (Http2ClientStream s : streams.values()) {
                if (s.id > goAwayLast) unprocessed.add(s);
            }
            for (Http2ClientStream s : unprocessed) {
                streams.remove(s.id);
                if (s.counted) {
                    s.counted = false;
                    freeSlot();
                }
            }
            closeNow = active == 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Http2ClientStream s : unprocessed) s.closeWith(retry("HTTP/2 stream " + s.id + ": " + why, progressed));
        return closeNow;
    }

    /** The connection is over ({@code cause}, or null if the server closed it): every stream still open learns why. */
    void shutdown(IOException cause) {
        List<Http2ClientStream> open;
        lock.lock();
        try {
            if (failure == null) failure = cause != null ? cause : new IOException("closed by the server");
            open = new ArrayList<>(streams.values());
            for (Http2ClientStream s : open) s.counted = false;
            streams.clear();
            active = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Http2ClientStream s : open) s.closeWith(s.connectionEnded(cause, remote));
    }

    // ---- the lock, shared with SendWindows --------------------------------------------------------------------------

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** @return why the connection failed, or null; the lock is held */
    IOException failure() {
        return failure;
    }

    /**
     * Waits until the reader has ended the connection ({@link #shutdown}), at most until {@code until}: after a write
     * failed, what the server sent before it closed (a GOAWAY naming the last stream it processed) is read first.
     */
    void awaitShutdown(long until) throws InterruptedIOException {
        lock.lock();
        try {
            while (failure == null) {
                try {
                    StreamTimeout.await(changed, until, 0);
                } catch (StreamTimeout e) {
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting on HTTP/2 connection to " + remote);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every wait: something they wait for changed; the lock is held. */
    void signalAll() {
        changed.signalAll();
    }

    /** Waits until the earlier of {@code until} and {@code deadline}, or a change; the lock is held. */
    void await(long until, long deadline) throws IOException {
        try {
            StreamTimeout.await(changed, until, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on HTTP/2 connection to " + remote);
        }
    }

    /** The lock is held. */
    private void freeSlot() {
        active--;
        if (active == 0) idleSince = System.nanoTime();
        changed.signalAll();
    }

    /** @return an unprocessed-request retry for a stream that never started here; the lock is held */
    private Http2Retry unprocessed(String why) {
        return retry(why, progressed());
    }

    /** @return true if the server processed streams here: completed, or opened and at most its GOAWAY's last (not a §6.8 notice's 2^31-1 before any); the lock is held */
    private boolean progressed() {
        return completed > 0 || goAwayLast > 0 && (nextStreamId < 0 || goAwayLast < nextStreamId);
    }

    private static Http2Retry retry(String why, boolean progressed) {
        return new Http2Retry(why, true, false, progressed);
    }
}
