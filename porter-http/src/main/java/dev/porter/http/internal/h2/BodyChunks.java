package dev.porter.http.internal.h2;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The content of DATA frames received on one stream and not read yet, in order: copied out of the reader's buffer
 * (which is reused). Small frames are packed into the last chunk, grown by doubling up to {@link #PACKED_CHUNK},
 * so content sent a byte per frame costs about its own size, not an array per frame (some 32 bytes of heap for
 * each byte a peer may send within its windows, RFC 9113 §6.9); a frame of that size or more is a chunk of its own,
 * copied once. Every chunk but the last is full. Not thread-safe: its owner's lock guards it.
 */
public final class BodyChunks {

    /** The size up to which small frames are packed into one chunk: an ordinary frame's payload. */
    static final int PACKED_CHUNK = 16_384;

    /** Made with the first content (most streams have none). */
    private ArrayDeque<byte[]> chunks;
    /** Read position in the first chunk. */
    private int pos;
    /** Bytes held in the last chunk. */
    private int lastFill;

    /** Keeps a copy of {@code n} bytes of {@code b} from {@code from}. */
    public void add(byte[] b, int from, int n) {
        if (n <= 0) return;
        if (chunks == null) chunks = new ArrayDeque<>(4);
        byte[] last = chunks.peekLast();
        if (last != null && last.length < PACKED_CHUNK && lastFill + n > last.length) {
            last = Arrays.copyOf(last, Math.min(PACKED_CHUNK, Math.max(lastFill + n, 2 * last.length)));
            chunks.pollLast();
            chunks.addLast(last);
        }
        if (last != null) {
            int k = Math.min(n, last.length - lastFill);
            System.arraycopy(b, from, last, lastFill, k);
            lastFill += k;
            from += k;
            n -= k;
        }
        if (n > 0) {
            byte[] copy = new byte[n];
            System.arraycopy(b, from, copy, 0, n);
            chunks.addLast(copy);
            lastFill = n;
        }
    }

    /** @return true if nothing waits to be read */
    public boolean isEmpty() {
        return chunks == null || chunks.isEmpty();
    }

    /**
     * Moves up to {@code len} bytes of what waits into {@code dst}.
     *
     * @return bytes moved (0 if nothing waits)
     */
    public int read(byte[] dst, int off, int len) {
        int n = 0;
        while (n < len && !isEmpty()) {
            byte[] c = chunks.peek();
            int end = chunks.size() == 1 ? lastFill : c.length;
            int k = Math.min(len - n, end - pos);
            System.arraycopy(c, pos, dst, off + n, k);
            n += k;
            pos += k;
            if (pos == end) {
                chunks.poll();
                pos = 0;
            }
        }
        return n;
    }

    /** @return the length of the arrays held, read or not (BodyChunksFuzzTest bounds it against what waits) */
    long capacity() {
        long sum = 0;
        if (chunks != null) for (byte[] c : chunks) sum += c.length;
        return sum;
    }

    /** @return the number of arrays held */
    int arrays() {
        return chunks == null ? 0 : chunks.size();
    }

    /** Drops everything that waits. */
    public void clear() {
        if (chunks != null) chunks.clear();
        pos = 0;
    }
}
