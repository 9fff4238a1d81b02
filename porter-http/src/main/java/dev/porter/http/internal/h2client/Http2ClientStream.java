package dev.porter.http.internal.h2client;

import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One request's stream on an {@link Http2ClientConnection} (RFC 9113 §5.1), client side: which sides ended, whether
 * it was reset or closed, and why it failed, between two threads. The connection's reader thread delivers what the
 * server sends ({@link #onHeaders}, {@link #onData}, {@link #onReset}, {@link #abort}, {@link #closeWith}), which
 * builds the {@link ResponseMessage} (heads, and the rules a response must keep) and fills the
 * {@link ResponseContent}; the caller's thread waits for the response head ({@link #awaitHead}) and reads the body
 * ({@link #read}), giving flow-control credit back as it reads. Guarded by its own lock; the send window is the
 * connection's.
 */
final class Http2ClientStream {

    final int id;
    /** The connection carried complete exchanges before this stream: a failure before any answer may be stale. */
    final boolean reusedConnection;
    /** The request was HEAD: the response has no content whatever its fields say (RFC 9110 §9.3.2). */
    final boolean head;
    /** Sends the WINDOW_UPDATEs for the content read. */
    private final Http2ClientWriter out;

    // ---- guarded by the ClientStreamTable's lock ----------------------------------------------------------------
    /** What we may still send on this stream (may go negative after a SETTINGS change, §6.9.2). */
    long sendWindow;
    /** Counted against the server's SETTINGS_MAX_CONCURRENT_STREAMS until both sides ended or a reset. */
    boolean counted = true;

    // ---- guarded by lock ----------------------------------------------------------------------------------------
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The heads, and the rules the response must keep. */
    private final ResponseMessage message;
    /** The content waiting for the caller, and our receive window. */
    private final ResponseContent content;
    private boolean endRemote;
    private boolean endLocal;
    private boolean reset;
    private boolean closed;
    private IOException failure;

    Http2ClientStream(Http2ClientWriter out, int id, boolean reusedConnection, boolean head, long sendWindow,
                      int recvWindow) {
        this.out = out;
        this.id = id;
        this.reusedConnection = reusedConnection;
        this.head = head;
        this.sendWindow = sendWindow;
        this.message = new ResponseMessage(id, head);
        this.content = new ResponseContent(id, recvWindow);
    }

    // ---- from the reader thread ---------------------------------------------------------------------------------

    /**
     * A complete field block: an interim or final response head, or trailers.
     *
     * @throws Http2Exception a stream error (the caller resets the stream)
     */
    void onHeaders(ResponseFields f, boolean endStream) {
        lock.lock();
        try {
            if (closed) return;
            if (message.fieldBlock(f, endStream)) endRemote = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * DATA for this stream: {@code flow} bytes against the windows (padding included), the content copied out.
     *
     * @throws Http2Exception a stream error (the caller resets the stream)
     */
    void onData(byte[] b, int from, int to, int flow, boolean endStream) {
        lock.lock();
        try {
            if (closed) return;
            content.receive(flow);
            int n = to - from;
            message.data(n, endRemote);
            content.padding(flow - n); // padding is never read: credited at once
            if (n > 0) content.add(b, from, n);
            if (endStream) {
                message.end();
                endRemote = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** RST_STREAM from the server (§6.4). */
    void onReset(Http2Error error) {
        lock.lock();
        try {
            if (closed) return;
            reset = true;
            if (error == Http2Error.NO_ERROR && endRemote) {
                // §8.1: the response is complete; the server only asks us to stop sending the request body.
                changed.signalAll();
                return;
            }
            if (error == Http2Error.REFUSED_STREAM || error == Http2Error.HTTP_1_1_REQUIRED) {
                failure = new Http2Retry("the server refused HTTP/2 stream " + id + " (" + error + ")", true,
                        error == Http2Error.HTTP_1_1_REQUIRED);
            } else {
                failure = new HttpClientException.IncompleteResponse("the server reset HTTP/2 stream " + id + " ("
                        + error + ")" + (message.answered() ? " inside the response" : " before answering"), !message.answered());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stream error we found: the stream fails with {@code e} (after the content already buffered) and is reset.
     *
     * @return true if a RST_STREAM should be sent: the stream was neither closed nor reset yet
     */
    boolean abort(IOException e) {
        lock.lock();
        try {
            if (failure == null && !endRemote) failure = e;
            boolean send = !closed && !reset;
            reset = true;
            changed.signalAll();
            return send;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The connection ended, or its GOAWAY left this stream unprocessed: closed without a RST_STREAM. A response
     * complete already stays readable.
     */
    void closeWith(IOException e) {
        lock.lock();
        try {
            if (failure == null && !endRemote) failure = e;
            reset = true;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return true once the final response head arrived (a field block now is trailers) */
    boolean hasFinalHead() {
        lock.lock();
        try {
            return message.answered();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the failure for this stream when the connection ended with {@code cause}: the stream's own verdict if
     *         it had one (a GOAWAY that left it unprocessed may close the socket under a caller still flushing its
     *         HEADERS, and the request must stay retryable)
     */
    IOException connectionEnded(IOException cause, String remote) {
        lock.lock();
        try {
            if (failure != null) return failure;
            return message.connectionEnded(cause, remote, reusedConnection);
        } finally {
            lock.unlock();
        }
    }

    // ---- from the caller's thread -------------------------------------------------------------------------------

    /** Our side ended: END_STREAM sent, or we stopped sending. @return true if the stream is now closed */
    boolean endLocal() {
        lock.lock();
        try {
            endLocal = true;
            return closeIfDone();
        } finally {
            lock.unlock();
        }
    }

    /** @return true if this call closed the stream: both sides ended, or a reset */
    boolean closeIfDone() {
        lock.lock();
        try {
            if (closed || !((endLocal && endRemote) || reset)) return false;
            closed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the stream reset by us. @return true if a RST_STREAM should be sent (it was not closed yet) */
    boolean resetLocally() {
        lock.lock();
        try {
            content.discard();
            if (closed || reset) return false;
            reset = true;
            if (failure == null) failure = new IOException("HTTP/2 stream " + id + " was cancelled");
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return true if the server ended or reset the stream: sending the request body is pointless */
    boolean remoteDone() {
        lock.lock();
        try {
            return reset || failure != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the final response head, giving each interim head to {@code interimHeads} first (on this thread).
     *
     * @param deadline whole-request deadline ({@link System#nanoTime()}) or 0
     * @throws IOException the stream's failure, or {@link StreamTimeout} naming which wait passed
     */
    ResponseFields awaitHead(long deadline, long readTimeoutNanos, Consumer<ResponseFields> interimHeads) throws IOException {
        while (true) {
            ResponseFields next;
            lock.lock();
            try {
                long until = System.nanoTime() + readTimeoutNanos;
                while (!message.hasInterim() && !message.answered() && failure == null) {
                    waitUntil(until, deadline);
                }
                next = message.nextInterim();
                if (next == null) {
                    if (message.answered()) return message.takeFinalHead();
                    throw failure;
                }
            } finally {
                lock.unlock();
            }
            interimHeads.accept(next);
        }
    }

    /** Waits on the condition until the earlier of {@code until} and {@code deadline}; the lock is held. */
    private void waitUntil(long until, long deadline) throws IOException {
        try {
            StreamTimeout.await(changed, until, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for HTTP/2 stream " + id);
        }
    }

    /**
     * Reads response content into {@code b}.
     *
     * @return bytes read, or -1 at the end of the content (the trailers are then known)
     */
    int read(byte[] b, int off, int len, long deadline, long readTimeoutNanos) throws IOException {
        int n;
        int credit;
        lock.lock();
        try {
            long until = System.nanoTime() + readTimeoutNanos;
            while (content.isEmpty() && !endRemote && failure == null) waitUntil(until, deadline);
            if (content.isEmpty()) {
                if (endRemote) return -1;
                throw failure;
            }
            n = content.read(b, off, len);
            credit = content.credit(!endRemote && !reset);
        } finally {
            lock.unlock();
        }
        if (credit > 0) out.credit(id, credit);
        return n;
    }

    /**
     * Waits up to {@code nanos} for content, the end of the stream or its failure, without consuming anything.
     *
     * @return true if a read would not block now
     */
    boolean awaitReadable(long nanos) throws IOException {
        lock.lock();
        try {
            long until = System.nanoTime() + nanos;
            while (content.isEmpty() && !endRemote && failure == null) {
                if (until - System.nanoTime() <= 0) return false;
                try {
                    changed.awaitNanos(until - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for HTTP/2 stream " + id);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return content bytes buffered, readable without blocking */
    int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, content.buffered());
        } finally {
            lock.unlock();
        }
    }

    /** @return true once the server ended the stream and every byte of content was read */
    boolean finished() {
        lock.lock();
        try {
            return endRemote && content.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** @return the trailers, empty until the content was read to its end */
    Headers trailers() {
        lock.lock();
        try {
            Headers t = message.trailers();
            return t != null && content.isEmpty() ? t : new Headers();
        } finally {
            lock.unlock();
        }
    }

    /** @return true if the server ended its side with the head (no content follows) */
    boolean endedWithHead() {
        lock.lock();
        try {
            return endRemote && message.received() == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "stream " + id;
    }
}
