package dev.porter.http.internal.h2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One batch of a file's DATA frames in a direct buffer: the frames' headers at the front, their payloads read from
 * the file after them in one positional read, and views that put them in wire order for one gathering
 * {@link dev.porter.core.Connection#send send}. Direct, so the file's bytes are copied once on the way in (page
 * cache to this buffer) and once on the way out (to the socket, or to TLS's records), where a heap array costs
 * the JDK's temporary direct buffer on both sides. A file the static file cache holds in direct memory is not
 * read at all: the payload views are slices of it ({@link #point}), and a batch may then carry
 * {@link #MEMORY_FRAMES} frames. docs/http2.md ("Performance") measures both.
 *
 * <p>Borrowed for one batch and given back at once ({@link #acquire}, {@link #release}): a stream waiting for its
 * flow-control window, and an idle connection, hold none. A small process-wide pool keeps them; an empty pool
 * allocates, a full one lets a returned batch go. Not thread-safe: one writer uses a batch at a time.
 */
final class DataBatch {

    /** Most frames per batch read from a file. */
    static final int MAX_FRAMES = 4;
    /** Most payload bytes per batch read from a file: four frames of the default (and smallest) SETTINGS_MAX_FRAME_SIZE. */
    static final int PAYLOAD = MAX_FRAMES * Settings.MIN_MAX_FRAME_SIZE;
    /**
     * Most frames per batch pointing at content in memory: no buffer bounds it there, and a larger gathering
     * write means fewer system calls and lock hand-offs per response (256 KiB measured cheaper than 64 KiB and
     * than 128 KiB, docs/http2.md). A read batch stays at 64 KiB: read into a larger buffer measured dearer.
     */
    static final int MEMORY_FRAMES = 16;
    /** Most payload bytes per batch pointing at content in memory. */
    static final int MEMORY_PAYLOAD = MEMORY_FRAMES * Settings.MIN_MAX_FRAME_SIZE;
    private static final int HEADERS = Math.max(MAX_FRAMES, MEMORY_FRAMES) * FrameParser.HEADER_LENGTH;
    private static final DataBatch[] POOL = new DataBatch[64];
    private static int pooled;
    private static final ReentrantLock POOL_LOCK = new ReentrantLock();

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(HEADERS + PAYLOAD);
    private final byte[] header = new byte[FrameParser.HEADER_LENGTH];
    /** Header and payload views of each frame, in wire order; the first {@code 2 * frames} are sent. */
    private final ByteBuffer[] views = new ByteBuffer[2 * Math.max(MAX_FRAMES, MEMORY_FRAMES)];
    /** This batch's own payload views; {@link #point} puts slices of cached content in their place for one send. */
    private final ByteBuffer[] payloads = new ByteBuffer[MAX_FRAMES];
    private final int[] lengths = new int[Math.max(MAX_FRAMES, MEMORY_FRAMES)];
    private ByteBuffer[] sending;
    private int frames;
    private int payload;

    private DataBatch() {
        for (int i = 0; i < views.length; i++) views[i] = buffer.duplicate();
        for (int i = 0; i < MAX_FRAMES; i++) payloads[i] = buffer.duplicate();
    }

    /** @return an empty batch, to be given back with {@link #release} after its one send */
    static DataBatch acquire() {
        POOL_LOCK.lock();
        try {
            if (pooled > 0) {
                DataBatch b = POOL[--pooled];
                POOL[pooled] = null;
                b.frames = 0;
                b.payload = 0;
                return b;
            }
        } finally {
            POOL_LOCK.unlock();
        }
        return new DataBatch();
    }

    void release() {
        POOL_LOCK.lock();
        try {
            if (pooled < POOL.length) POOL[pooled++] = this;
        } finally {
            POOL_LOCK.unlock();
        }
    }

    /**
     * Adds a DATA frame of {@code length} payload bytes: at most {@link #PAYLOAD} bytes in {@link #MAX_FRAMES} frames
     * in all for a batch to {@link #read}, {@link #MEMORY_FRAMES} frames for one to {@link #point}.
     */
    void frame(int length, boolean endStream, int streamId) {
        FrameWriter.header(header, 0, length, FrameType.DATA, endStream ? FrameType.FLAG_END_STREAM : 0, streamId);
        int h = frames * FrameParser.HEADER_LENGTH;
        buffer.put(h, header);
        views[2 * frames].limit(h + FrameParser.HEADER_LENGTH).position(h);
        lengths[frames] = length;
        frames++;
        payload += length;
    }

    /**
     * Reads the payload of every frame added from {@code file}, from {@code position} on, into this batch's buffer.
     *
     * @throws IOException if the file ends first
     */
    void read(FileChannel file, long position) throws IOException {
        for (int i = 0, p = HEADERS; i < frames; p += lengths[i++]) {
            views[2 * i + 1] = payloads[i].limit(p + lengths[i]).position(p);
        }
        buffer.limit(HEADERS + payload).position(HEADERS);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position() - HEADERS) < 0) {
                throw new IOException("file shorter than its announced length");
            }
        }
    }

    /**
     * Points the payload of every frame added at {@code content} (a file held in direct memory), from
     * {@code position} on, instead of reading: the bytes go to the socket or to TLS from there, never copied.
     */
    void point(ByteBuffer content, int position) {
        for (int i = 0; i < frames; i++) {
            views[2 * i + 1] = content.slice(position, lengths[i]);
            position += lengths[i];
        }
    }

    /** @return the frames, in wire order, for one gathering write */
    ByteBuffer[] frames() {
        if (2 * frames == views.length) return views;
        if (sending == null || sending.length != 2 * frames) sending = new ByteBuffer[2 * frames];
        System.arraycopy(views, 0, sending, 0, 2 * frames);
        return sending;
    }
}
