package dev.porter.http.internal.client;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.http1.ChunkedDecoder;
import dev.porter.http.internal.http1.ChunkedInput;
import dev.porter.http.internal.http1.ClientErrors;
import dev.porter.http.internal.http1.ResponseFraming;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A response body bounded by its framing ({@link ResponseFraming}), read from the network as the caller reads.
 * Reaching the end hands the connection back through the {@link Completion} (reusable if the response allows it);
 * a failure, or closing with more than a small rest unread, closes the connection. Reading past the end returns
 * -1, never bytes of another response. Not thread-safe.
 */
public final class ResponseBody extends ClientBody {

    /** Learns once how the body ended: the connection is reusable, or it must be closed. */
    @FunctionalInterface
    interface Completion {
        void finished(boolean reusable);
    }

    /** Unread body drained on close to keep the connection; more than this closes it instead. */
    static final int DRAIN_LIMIT = 64 * 1024;
    private static final long DRAIN_NANOS = 1_000_000_000L;
    /** Reads at least this large with nothing buffered go straight into the caller's array. */
    private static final int DIRECT_READ = 32 * 1024;

    private final Connection c;
    private final ResponseFraming framing;
    private final ReadBuffer in;
    private final ChunkedInput<HttpClientException> chunks;
    private final Completion completion;
    private final long deadline;
    private final Duration timeout;
    private final Duration readTimeout;
    private long remaining;
    private long received;
    private boolean finished;
    private boolean failed;
    private boolean reported;

    /**
     * @param deadline whole-request deadline ({@link System#nanoTime()}) or 0, with its {@code timeout} for messages
     */
    ResponseBody(Connection c, ResponseFraming framing, int maxTrailerBytes, int maxTrailerCount,
                 Completion completion, long deadline, Duration timeout, Duration readTimeout) {
        this.c = c;
        this.framing = framing;
        this.completion = completion;
        this.deadline = deadline;
        this.timeout = timeout;
        this.readTimeout = readTimeout;
        this.remaining = framing.length();
        this.in = c.input();
        this.chunks = framing.kind() == ResponseFraming.Kind.CHUNKED ? new ChunkedInput<>(in,
                new ChunkedDecoder<>(ClientErrors.INSTANCE, maxTrailerBytes, maxTrailerCount, false)) : null;
        if (framing.kind() == ResponseFraming.Kind.NONE || (framing.kind() == ResponseFraming.Kind.LENGTH && remaining == 0)) {
            finish(framing.persistent());
        }
    }

    /** @return true once the whole body was read */
    boolean finished() {
        return finished;
    }

    /** @return the trailer fields (empty unless a chunked body was read to its end) */
    @Override
    public Headers trailers() {
        return chunks == null ? new Headers() : chunks.decoder.trailers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished) return -1;
        if (failed) throw new IOException("the response body was closed or failed earlier");
        if (len == 0) return 0;
        try {
            return switch (framing.kind()) {
                case LENGTH -> readFixed(b, off, len);
                case CHUNKED -> readChunked(b, off, len);
                default -> readUntilClose(b, off, len);
            };
        } catch (IOException e) {
            abort();
            throw ClientErrors.translate(e, c, deadline, timeout, readTimeout);
        }
    }

    private int readFixed(byte[] b, int off, int len) throws IOException {
        directIfLarge(len);
        int n = c.input().read(b, off, (int) Math.min(len, remaining), ReadBuffer.Wait.IN_MESSAGE);
        if (n < 0) {
            throw new HttpClientException.IncompleteResponse("connection closed after " + received + " of "
                    + framing.length() + " body bytes (Content-Length)", false);
        }
        remaining -= n;
        received += n;
        if (remaining == 0) finish(framing.persistent());
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        if (!chunks.toData()) {
            finish(framing.persistent());
            return -1;
        }
        int n = chunks.readData(b, off, len);
        received += n;
        return n;
    }

    private int readUntilClose(byte[] b, int off, int len) throws IOException {
        directIfLarge(len);
        int n = c.input().read(b, off, len, ReadBuffer.Wait.IN_MESSAGE);
        if (n < 0) {
            finish(false); // RFC 9112 §6.3 (8): the close ends the body and the connection
            return -1;
        }
        received += n;
        return n;
    }

    /** A large read with nothing buffered skips the connection's buffer: one copy less on big downloads. */
    private void directIfLarge(int len) {
        if (len >= DIRECT_READ) in.release();
    }

    @Override
    public int available() {
        if (finished || failed) return 0;
        return switch (framing.kind()) {
            case LENGTH -> (int) Math.min(c.input().available(), remaining);
            case CHUNKED -> chunks.available();
            default -> c.input().available();
        };
    }

    /**
     * Ends the body early: a small rest (at most {@link #DRAIN_LIMIT} bytes, read within a second) is drained so
     * the connection can be reused; anything else closes the connection.
     */
    @Override
    public void close() {
        if (finished || failed) return;
        boolean small = framing.kind() == ResponseFraming.Kind.CHUNKED
                || (framing.kind() == ResponseFraming.Kind.LENGTH && remaining <= DRAIN_LIMIT);
        if (small && framing.persistent()) {
            long until = System.nanoTime() + DRAIN_NANOS;
            c.input().deadline(deadline != 0 && deadline - until < 0 ? deadline : until);
            byte[] skip = new byte[8192];
            long left = DRAIN_LIMIT;
            try {
                while (!finished && left > 0) {
                    int n = read(skip, 0, (int) Math.min(skip.length, left));
                    if (n < 0) break;
                    left -= n;
                }
            } catch (IOException e) {
                // Draining is best effort: the connection is closed below instead of reused.
                failed = true;
            }
            if (finished) return;
        }
        abort();
    }

    private void finish(boolean reusable) {
        finished = true;
        report(reusable);
    }

    private void abort() {
        failed = true;
        report(false);
    }

    private void report(boolean reusable) {
        if (reported) return;
        reported = true;
        completion.finished(reusable);
    }
}
