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
 * the JDK's temporary direct buffer on both sides. docs/http2.md ("Performance") measures it.
 *
 * <p>Borrowed for one batch and given back at once ({@link #acquire}, {@link #release}): a stream waiting for its
 * flow-control window, and an idle connection, hold none. A small process-wide pool keeps them; an empty pool
 * allocates, a full one lets a returned batch go. Not thread-safe: one writer uses a batch at a time.
 */
final class DataBatch {

    /** Most frames per batch. */
    static final int MAX_FRAMES = 4;
    /** Most payload bytes per batch: four frames of the default (and smallest) SETTINGS_MAX_FRAME_SIZE. */
    static final int PAYLOAD = MAX_FRAMES * Settings.MIN_MAX_FRAME_SIZE;
    private static final int HEADERS = MAX_FRAMES * FrameParser.HEADER_LENGTH;
    private static final DataBatch[] POOL = new DataBatch[64];
    private static int pooled;
    private static final ReentrantLock POOL_LOCK = new ReentrantLock();

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(HEADERS + PAYLOAD);
    private final byte[] header = new byte[FrameParser.HEADER_LENGTH];
    /** Header and payload views of each frame, in wire order; the first {@code 2 * frames} are sent. */
    private final ByteBuffer[] views = new ByteBuffer[2 * MAX_FRAMES];
    private ByteBuffer[] sending;
    private int frames;
    private int payload;

    private DataBatch() {
        for (int i = 0; i < views.length; i++) views[i] = buffer.duplicate();
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

    /** Adds a DATA frame of {@code length} payload bytes (at most {@link #PAYLOAD} in all, {@link #MAX_FRAMES} frames). */
    void frame(int length, boolean endStream, int streamId) {
        FrameWriter.header(header, 0, length, FrameType.DATA, endStream ? FrameType.FLAG_END_STREAM : 0, streamId);
        int h = frames * FrameParser.HEADER_LENGTH;
        buffer.put(h, header);
        views[2 * frames].limit(h + FrameParser.HEADER_LENGTH).position(h);
        int p = HEADERS + payload;
        views[2 * frames + 1].limit(p + length).position(p);
        frames++;
        payload += length;
    }

    /**
     * Reads the payload of every frame added from {@code file}, from {@code position} on.
     *
     * @throws IOException if the file ends first
     */
    void read(FileChannel file, long position) throws IOException {
        buffer.limit(HEADERS + payload).position(HEADERS);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position() - HEADERS) < 0) {
                throw new IOException("file shorter than its announced length");
            }
        }
    }

    /** @return the frames, in wire order, for one gathering write */
    ByteBuffer[] frames() {
        if (frames == MAX_FRAMES) return views;
        if (sending == null || sending.length != 2 * frames) sending = new ByteBuffer[2 * frames];
        System.arraycopy(views, 0, sending, 0, 2 * frames);
        return sending;
    }
}
