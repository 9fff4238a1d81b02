package dev.porter.http.internal.h2;

import dev.porter.core.Connection;
import dev.porter.http.internal.status.Metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything an HTTP/2 connection sends, from the reader thread and every stream's handler thread at once.
 *
 * <p>One lock ({@link #writeLock}) orders the frames: a field block is HPACK-encoded and written under it, so the
 * peer's decoder sees blocks in the order the encoder made them (RFC 7541 §2.2), and a HEADERS frame and its
 * CONTINUATIONs are never split by another stream's frames (RFC 9113 §6.10). A writer that sees another waiting
 * leaves the flush to it, and a stream's last frame leaves it to the other streams still answering for one yield
 * ({@link #finishResponse}), so frames of several streams leave in one write.
 *
 * <p>Flow control (§5.2, §6.9): DATA waits for room in both the stream's and the connection's send windows
 * ({@link SendWindows}), up to the write timeout.
 */
final class Http2Writer {

    private final Connection c;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final SendWindows windows;
    private final HpackEncoder encoder = new HpackEncoder(Settings.DEFAULT_HEADER_TABLE_SIZE);
    /** DATA up to this size is copied after its frame header and sent in one write; larger goes from its array. */
    private static final int SMALL_DATA = 2048;
    private volatile int peerMaxFrameSize = Settings.MIN_MAX_FRAME_SIZE;
    private static final byte[] NO_SCRATCH = new byte[0];
    /** Head and small DATA frames are encoded here; grown by {@link #room}, dropped while parked ({@link #release}). */
    private byte[] scratch = NO_SCRATCH;
    /** A writer left its flush to one waiting behind it; guarded by {@link #writeLock}. */
    private boolean flushOwed;
    /** A stream's thread yields in {@link #finishResponse} and flushes when it is back; guarded by {@link #writeLock}. */
    private boolean yielding;
    /** Exchanges started whose last frame is not written yet (see {@link #finishResponse}). */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** Where resets sent are counted (the status page), or null. */
    private final Metrics metrics;

    Http2Writer(Connection c, long stallNanos, Metrics metrics) {
        this.c = c;
        this.metrics = metrics;
        this.windows = new SendWindows(stallNanos);
    }

    /** Applies the peer's SETTINGS that concern sending (frame size, header table size). */
    void peerSettings(Settings peer) {
        peerMaxFrameSize = peer.maxFrameSize();
        writeLock.lock();
        try {
            encoder.peerMaxTableSize(peer.headerTableSize());
        } finally {
            writeLock.unlock();
        }
    }

    int peerMaxFrameSize() {
        return peerMaxFrameSize;
    }

    // ---- control frames --------------------------------------------------------------------------------------

    void settings(Settings ours, Settings previous) throws IOException {
        byte[] b = new byte[FrameParser.HEADER_LENGTH + 6 * Settings.IDS.length];
        send(b, FrameWriter.settings(b, 0, ours, previous), true);
    }

    void settingsAck() throws IOException {
        byte[] b = new byte[FrameParser.HEADER_LENGTH];
        send(b, FrameWriter.settingsAck(b, 0), true);
    }

    /** A PING of our own (§6.7): the peer answers it with an ACK. */
    void ping(long data) throws IOException {
        byte[] b = new byte[FrameParser.HEADER_LENGTH + 8];
        send(b, FrameWriter.ping(b, 0, data, false), true);
    }

    void pingAck(long data) throws IOException {
        byte[] b = new byte[FrameParser.HEADER_LENGTH + 8];
        send(b, FrameWriter.ping(b, 0, data, true), true);
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        byte[] b = new byte[FrameParser.HEADER_LENGTH + 4];
        send(b, FrameWriter.windowUpdate(b, 0, streamId, increment), true);
    }

    void rstStream(int streamId, Http2Error error) throws IOException {
        byte[] b = new byte[FrameParser.HEADER_LENGTH + 4];
        send(b, FrameWriter.rstStream(b, 0, streamId, error), true);
        if (metrics != null) metrics.count(Metrics.H2_RESETS_SENT);
    }

    void goAway(int lastStreamId, Http2Error error, String debug) throws IOException {
        byte[] d = debug == null ? new byte[0] : debug.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = new byte[FrameParser.HEADER_LENGTH + 8 + d.length];
        send(b, FrameWriter.goAway(b, 0, lastStreamId, error, d, 0, d.length), true);
    }

    // ---- field blocks ----------------------------------------------------------------------------------------

    /**
     * Encodes and sends a field block (an interim 100, or trailers) as HEADERS and, if it is larger than the peer's
     * frame size, CONTINUATION frames; then flushes.
     *
     * @param fields name, value, name, value…: names in lower case, pseudo-fields first
     * @throws IOException if the stream was reset: nothing is sent on it then (§5.1: no frames but PRIORITY on a
     *                     closed stream)
     */
    void headers(Http2Stream stream, List<String> fields, boolean endStream) throws IOException {
        headers(stream, FieldSource.of(fields), endStream, true);
    }

    /**
     * Encodes and sends a field block as HEADERS (and CONTINUATION frames if it is larger than the peer's frame
     * size), encoded straight into the frame buffer.
     *
     * @param flush false when more frames of this stream follow at once (they flush)
     * @throws IOException if the stream was reset: nothing is sent on it then (§5.1)
     */
    void headers(Http2Stream stream, FieldSource fields, boolean endStream, boolean flush) throws IOException {
        int max = fields.maxLength();
        if (endStream) stream.closingLocally();
        writeLock.lock();
        try {
            int n = encodeHeaders(stream, fields, max, endStream, 0);
            if (n > 0) c.write(scratch, 0, n);
        } finally {
            if (endStream) finishResponse(stream);
            else finishWrite(flush);
        }
    }

    /**
     * A whole response at once: its head, then its body as DATA frames, the last one ending the stream. What the
     * flow-control windows allow now goes out with the head, under one lock and in one write; the rest as
     * {@link #data} sends it.
     *
     * @param len 1 or more
     */
    void response(Http2Stream stream, FieldSource head, byte[] body, int off, int len) throws IOException {
        int max = head.maxLength();
        int n = windows.tryAcquire(stream, Math.min(len, peerMaxFrameSize));
        if (n == len) stream.closingLocally();
        writeLock.lock();
        try {
            int end = encodeHeaders(stream, head, max, false, SMALL_DATA);
            if (n > 0) {
                // A small body goes in the same write as the head; a large one from where it is, without a copy.
                boolean small = n <= SMALL_DATA;
                byte[] b = scratch;
                end = FrameWriter.header(b, end, n, FrameType.DATA, n == len ? FrameType.FLAG_END_STREAM : 0, stream.id);
                if (small) System.arraycopy(body, off, b, end, n);
                c.write(b, 0, small ? end + n : end);
                if (!small) c.write(body, off, n);
            } else {
                c.write(scratch, 0, end);
            }
        } finally {
            if (n == len) finishResponse(stream);
            else finishWrite(false);
        }
        if (n < len) data(stream, body, off + n, len - n, true);
    }

    /**
     * Encodes HEADERS (and CONTINUATION) frames at the start of the scratch array, under the write lock, with room
     * for {@code extra} more bytes and a frame header after them.
     *
     * @return the bytes to send; 0 for an interim head after the final one, which is not sent
     */
    private int encodeHeaders(Http2Stream stream, FieldSource fields, int max, boolean endStream, int extra)
            throws IOException {
        // Checked under the write lock, where nothing else of this stream is sent: a reset that arrived before
        // this point keeps the block off the wire (the HPACK context is untouched: nothing was encoded yet).
        stream.throwIfCancelled();
        boolean interim = fields.interim();
        if (interim && stream.finalHeadSent) {
            // §8.1: a response is 1xx heads, then the final one: never an interim one after it (a handler that
            // answered and then reads a body the client held back for a 100 gets no 100 now).
            return 0;
        }
        if (!interim) stream.finalHeadSent = true;
        int frameSize = peerMaxFrameSize;
        int blockMax = HpackEncoder.MAX_START_LENGTH + max;
        // Encoded in place after the first frame header; FrameWriter moves fragments up for CONTINUATION headers.
        byte[] b = room(FrameWriter.headersLength(blockMax, frameSize) + 2 * FrameParser.HEADER_LENGTH + extra);
        int from = FrameParser.HEADER_LENGTH;
        int end = fields.encode(encoder, b, encoder.startBlock(b, from));
        return FrameWriter.headers(b, 0, stream.id, endStream, b, from, end - from, frameSize);
    }

    // ---- data ------------------------------------------------------------------------------------------------

    /**
     * Sends {@code len} bytes as DATA frames within the flow-control windows, waiting for the peer to open them.
     *
     * @throws IOException if the stream was reset or the peer kept the window shut for the whole write timeout
     */
    void data(Http2Stream stream, byte[] src, int off, int len, boolean endStream) throws IOException {
        if (len == 0) {
            if (endStream) emptyData(stream);
            return;
        }
        while (len > 0) {
            int want = Math.min(len, peerMaxFrameSize);
            int n = windows.tryAcquire(stream, want);
            if (n == 0) {
                // §6.9: the peer opens its window only for data it received. Frames written by this call (or any
                // other) may still sit in the connection's buffer: send them before waiting, or both sides wait
                // for each other until the write timeout resets the stream.
                flushBuffered();
                n = windows.acquire(stream, want);
            }
            boolean last = endStream && n == len;
            if (last) stream.closingLocally();
            writeLock.lock();
            try {
                // A small frame in one write; a large one's payload from where it is, without a copy.
                byte[] b = room(FrameParser.HEADER_LENGTH + SMALL_DATA);
                int end = FrameWriter.header(b, 0, n, FrameType.DATA, last ? FrameType.FLAG_END_STREAM : 0, stream.id);
                if (n <= SMALL_DATA) {
                    System.arraycopy(src, off, b, end, n);
                    c.write(b, 0, end + n);
                } else {
                    c.write(b, 0, end);
                    c.write(src, off, n);
                }
            } finally {
                if (last) finishResponse(stream);
                else finishWrite(len - n == 0);
            }
            off += n;
            len -= n;
        }
    }

    /**
     * Sends {@code length} bytes of a file as DATA frames, the last one ending the stream: up to
     * {@link DataBatch#MAX_FRAMES} frames per batch, their payloads read from the file in one read into a direct
     * {@link DataBatch} and sent with their headers in one gathering write. The windows are taken before the batch
     * is borrowed (a stream waiting for one holds no buffer), the file is read outside the write lock.
     *
     * <p>With {@code content} (the file held in direct memory, or null) the payloads are slices of it: no read,
     * and up to {@link DataBatch#MEMORY_FRAMES} frames per gathering write.
     *
     * @throws IOException if the file is shorter than {@code length}, the stream was reset, or the peer kept its
     *                     window shut for the whole write timeout
     */
    void file(Http2Stream stream, FileChannel file, ByteBuffer content, long position, long length) throws IOException {
        boolean memory = content != null;
        int maxFrames = memory ? DataBatch.MEMORY_FRAMES : DataBatch.MAX_FRAMES;
        int maxPayload = memory ? DataBatch.MEMORY_PAYLOAD : DataBatch.PAYLOAD;
        int frameMax = Math.min(peerMaxFrameSize, maxPayload);
        int[] sizes = new int[maxFrames];
        long sent = 0;
        while (sent < length) {
            long start = sent;
            int frames = 0;
            boolean last = false;
            while (!last && frames < maxFrames && sent - start < maxPayload) {
                int want = (int) Math.min(Math.min(frameMax, maxPayload - (sent - start)), length - sent);
                int n = windows.tryAcquire(stream, want);
                if (n == 0) {
                    if (frames > 0) break; // send what is ready; the window is waited for on the next batch
                    flushBuffered(); // §6.9: what we sent may be what the peer waits for before opening it
                    n = windows.acquire(stream, want);
                }
                sizes[frames++] = n;
                sent += n;
                last = sent == length;
            }
            if (last) stream.closingLocally();
            DataBatch batch = DataBatch.acquire();
            try {
                for (int i = 0; i < frames; i++) batch.frame(sizes[i], last && i == frames - 1, stream.id);
                if (content != null) batch.point(content, (int) (position + start));
                else batch.read(file, position + start);
                writeLock.lock();
                try {
                    stream.throwIfCancelled();
                    c.send(batch.frames());
                    stream.fileBytesSent = sent;
                } finally {
                    if (last) finishResponse(stream);
                    else finishWrite(false);
                }
            } finally {
                batch.release();
            }
        }
    }

    private void emptyData(Http2Stream stream) throws IOException {
        stream.closingLocally();
        writeLock.lock();
        try {
            byte[] b = room(FrameParser.HEADER_LENGTH);
            c.write(b, 0, FrameWriter.data(b, 0, stream.id, b, 0, 0, true));
        } finally {
            finishResponse(stream);
        }
    }

    /** Sends what is buffered (or leaves it to a writer about to flush anyway). */
    private void flushBuffered() throws IOException {
        writeLock.lock();
        finishWrite(true);
    }

    /** Opens the connection's send window ({@code stream} null) or a stream's (§6.9). */
    void windowOpened(Http2Stream stream, int increment) {
        windows.opened(stream, increment);
    }

    /** A change of SETTINGS_INITIAL_WINDOW_SIZE moves every open stream's window by the difference (§6.9.2). */
    void adjustStreamWindows(Iterable<Http2Stream> streams, int delta) {
        windows.adjust(streams, delta);
    }

    /** Wakes writers waiting for a window (their stream was cancelled). */
    void wakeWriters() {
        windows.wake();
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    private void send(byte[] b, int len, boolean flush) throws IOException {
        writeLock.lock();
        try {
            c.write(b, 0, len);
        } finally {
            finishWrite(flush);
        }
    }

    /** @return the bytes of scratch array this connection holds now (tests: a parked connection holds none) */
    int heldBytes() {
        writeLock.lock();
        try {
            return scratch.length;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Drops the scratch array: the connection parks (docs/http2.md: without thread or buffers). An array kept for
     * the connection's life cost every idle connection 16 KiB, several times what the rest of it holds; the next
     * answer after the park allocates one of the size it needs.
     */
    void release() {
        writeLock.lock();
        try {
            scratch = NO_SCRATCH;
        } finally {
            writeLock.unlock();
        }
    }

    /** @return a scratch array of at least {@code n} bytes; only under the write lock */
    private byte[] room(int n) {
        if (scratch.length < n) scratch = new byte[n];
        return scratch;
    }

    // ---- batching the answers of several streams into one write ---------------------------------------------

    /** A stream's exchange starts (on the reader thread, before its handler's thread does). */
    void exchangeStarted(Http2Stream stream) {
        stream.unanswered = true;
        unanswered.incrementAndGet();
    }

    /** A stream's exchange is over (on its thread): no longer counted, if its last frame did not say so already. */
    void exchangeEnded(Http2Stream stream) {
        if (stream.unanswered) {
            stream.unanswered = false;
            unanswered.decrementAndGet();
        }
    }

    /**
     * Releases the write lock after a stream's last frame, and sees that it is flushed. When other exchanges are
     * still at work (under {@code -m 10}, the other streams of the same read), the flush is left to them for one
     * {@link Thread#yield}: the threads already runnable write their answers into the same buffer meanwhile and
     * the last one out flushes them all in one write. Bounded: a handler that is slow (blocked, not runnable)
     * delays nobody's answer by more than that one yield, after which this thread flushes what is still owed.
     *
     * <p>One thread at a time yields: an answer written while another stream's thread is yielding is left to it
     * (that thread flushes everything owed when it comes back), so this thread ends without a yield of its own.
     * A virtual thread's first yield copies its stack into a new chunk, and every stream is a new thread: ten
     * answers batched this way cost one or two yields instead of nine.
     */
    private void finishResponse(Http2Stream stream) throws IOException {
        boolean counted = stream.unanswered;
        if (counted) {
            stream.unanswered = false;
            counted = unanswered.decrementAndGet() > 0;
        }
        if (!counted || !Thread.currentThread().isVirtual()) {
            finishWrite(true);
            return;
        }
        flushOwed = true;
        if (yielding) {
            // Checked and set under the write lock, as the yielder clears it before it flushes: never left unsent.
            writeLock.unlock();
            return;
        }
        yielding = true;
        writeLock.unlock();
        try {
            Thread.yield();
        } finally {
            writeLock.lock();
            yielding = false;
            finishWrite(false);
        }
    }

    /** Releases the write lock, flushing unless another writer is about to write (it will flush for both). */
    private void finishWrite(boolean flush) throws IOException {
        boolean others = writeLock.hasQueuedThreads();
        boolean want = flush || flushOwed;
        flushOwed = want && others;
        writeLock.unlock();
        if (want && !others) c.flush();
    }
}
