package dev.porter.http.internal.sse;

import dev.porter.http.EventStream;
import dev.porter.http.EventStreamClosedException;
import dev.porter.http.Response;
import dev.porter.http.ServerSentEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The {@link EventStream} of one response, over the response's own body stream (chunked or close-delimited on
 * HTTP/1.1, DATA frames on HTTP/2): the protocol's framing is not this class's business. Writes (events,
 * comments, heartbeats) are serialized by a lock, since the body streams beneath are single-writer; the lock is a
 * {@link ReentrantLock} so a virtual thread blocked in a write never pins its carrier.
 */
public final class SseStream implements EventStream {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpServer");
    private static final byte[] HEARTBEAT = EventEncoder.comment("heartbeat");

    /** Where the events go, or null when the response has no body (HEAD, 204, 304). */
    private final OutputStream body;
    private final Optional<String> lastEventId;
    private final long heartbeatNanos;
    /** What to do when a write failed: HTTP/1.1 closes the connection, whose framing is broken now. */
    private final Runnable onFailure;
    private final BooleanSupplier draining;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ScheduledFuture<?> heartbeat;
    /** Why the stream takes no more events, or null while it is open. */
    private volatile String closedBecause;
    private volatile long lastWrite = System.nanoTime();

    private SseStream(OutputStream body, String lastEventId, Duration heartbeat, Runnable onFailure,
                      BooleanSupplier draining) {
        this.body = body;
        this.lastEventId = Optional.ofNullable(lastEventId);
        this.heartbeatNanos = heartbeat.toNanos();
        this.onFailure = onFailure;
        this.draining = draining;
        if (body == null) closedBecause = "the response has no body (a HEAD request, or a status without content)";
    }

    /**
     * Sets the head fields of an event stream on a response not yet committed: the media type the format
     * requires, and no caching (a replayed stream would be stale). No Content-Encoding is ever added: a
     * compressing layer would hold events back.
     *
     * @throws IllegalArgumentException if {@code heartbeat} is negative
     * @throws IllegalStateException    if the response is committed
     */
    public static void prepareHead(Response res, Duration heartbeat) {
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (heartbeat.isNegative()) throw new IllegalArgumentException("heartbeat must not be negative: " + heartbeat);
        if (res.committed()) throw new IllegalStateException("response already committed");
        res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
    }

    /**
     * Starts the stream on a response whose head {@link #prepareHead} set and whose body stream is open: the head
     * leaves at once (the browser's EventSource opens on it), then the heartbeat starts.
     *
     * @param body        the response's body stream, or null if the response has no body
     * @param lastEventId the request's {@code Last-Event-ID}, or null
     * @param onFailure   run once if a write fails (the client left)
     * @param draining    true once a graceful stop began: the stream then ends at its next write
     */
    public static SseStream start(OutputStream body, String lastEventId, Duration heartbeat, Runnable onFailure,
                                  BooleanSupplier draining) throws IOException {
        SseStream s = new SseStream(body, lastEventId, heartbeat, onFailure, draining);
        if (body != null) {
            s.lock.lock();
            try {
                body.flush();
            } catch (IOException e) {
                s.failed(e);
                throw new EventStreamClosedException("the client went away", e);
            } finally {
                s.lock.unlock();
            }
            if (!heartbeat.isZero()) s.heartbeat = Heartbeats.every(heartbeat, s::beat);
        }
        return s;
    }

    @Override
    public void send(ServerSentEvent event) throws IOException {
        write(EventEncoder.event(Objects.requireNonNull(event, "event")));
    }

    @Override
    public void comment(String text) throws IOException {
        write(EventEncoder.comment(Objects.requireNonNull(text, "text")));
    }

    @Override
    public Optional<String> lastEventId() {
        return lastEventId;
    }

    @Override
    public boolean isOpen() {
        return closedBecause == null && !draining.getAsBoolean();
    }

    private void write(byte[] bytes) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            try {
                body.write(bytes);
                body.flush();
                lastWrite = System.nanoTime();
            } catch (IOException e) {
                failed(e);
                throw new EventStreamClosedException("the client went away: " + e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The caller holds the lock. */
    private void ensureOpen() throws EventStreamClosedException {
        String why = closedBecause;
        if (why == null && draining.getAsBoolean()) {
            // A graceful stop: end the stream cleanly; the browser reconnects (elsewhere) with Last-Event-ID.
            why = "the server is stopping";
            stop(why);
        }
        if (why != null) throw new EventStreamClosedException(why);
    }

    /** A heartbeat tick, on its own virtual thread: a comment, unless the stream spoke recently or is busy. */
    private void beat() {
        // Skip when something went out within half a period: the longest silence is then 1.5 periods.
        if (closedBecause != null || System.nanoTime() - lastWrite < heartbeatNanos / 2) return;
        if (!lock.tryLock()) return; // a write is in progress: the stream is not quiet
        try {
            if (closedBecause != null || draining.getAsBoolean()) return;
            body.write(HEARTBEAT);
            body.flush();
            lastWrite = System.nanoTime();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "event stream heartbeat failed: " + e);
            failed(e);
        } finally {
            lock.unlock();
        }
    }

    private void failed(IOException e) {
        if (closedBecause == null) {
            stop("the client went away: " + e.getMessage());
            onFailure.run();
        }
    }

    private void stop(String why) {
        if (closedBecause == null) closedBecause = why;
        ScheduledFuture<?> h = heartbeat;
        if (h != null) h.cancel(false);
    }

    /**
     * Called by the protocol when the handler returned, before it completes the response: from here on no write
     * (a heartbeat in particular) touches the body stream. Waits for a write in progress.
     */
    public void end() {
        lock.lock();
        try {
            stop("the event stream ended");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            boolean wasOpen = closedBecause == null;
            stop("the event stream was closed");
            if (wasOpen && body != null) body.close();
        } catch (IOException e) {
            onFailure.run();
            throw new EventStreamClosedException("the client went away: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
