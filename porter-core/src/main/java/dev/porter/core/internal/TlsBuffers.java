package dev.porter.core.internal;

import java.nio.ByteBuffer;

/**
 * The three buffers of one TLS connection, each taken from a pool when it has bytes to hold and given back when
 * empty, so that an idle connection parks holding none of them — only the engine's session state (docs/tls.md
 * measures it). {@code netIn} holds received TLS records not yet decrypted, {@code appIn} decrypted bytes not yet
 * handed up, {@code netOut} encrypted records on their way out. A large body borrows a bulk buffer (several
 * records per write) and a file a direct one for its plaintext, each for one write only.
 *
 * <p>No lock of its own: the input pair belongs to the reading thread, {@code netOut} to whoever holds the
 * {@link TlsRecordWriter}'s lock.
 */
final class TlsBuffers {

    /** Room for one TLS record with its overhead (the engine's packet size is 16,709 bytes for TLS 1.3/1.2). */
    static final int BUFFER_SIZE = 17 * 1024;
    /** The most plaintext one TLS record carries (RFC 8446 §5.1: 2^14 bytes). */
    static final int RECORD_PLAINTEXT = 16 * 1024;
    private static final BufferPool POOL = new BufferPool(BUFFER_SIZE, 1024);
    /**
     * Records per bulk write: a large body goes as this many records per syscall (64 KiB of plaintext). Measured
     * against one record per write: about half the CPU per MiB (docs/tls.md, "Performance"); eight were no better
     * within this machine's noise.
     */
    static final int BULK_RECORDS = 4;
    /** Plaintext read from a file per batch: as many full records as a bulk buffer holds encrypted. */
    static final int FILE_CHUNK = BULK_RECORDS * RECORD_PLAINTEXT;
    /** Room for {@link #BULK_RECORDS} records and the short last record of a body, which joins their write. */
    private static final BufferPool BULK_POOL = new BufferPool((BULK_RECORDS + 1) * BUFFER_SIZE, 64);
    /** Direct: a file read into a heap buffer goes through a temporary direct one first (one more copy). */
    private static final BufferPool FILE_POOL = new BufferPool(FILE_CHUNK, 64, true);

    /** Received bytes in [0, position). */
    private ByteBuffer netIn;
    /** Decrypted bytes in [position, limit). */
    private ByteBuffer appIn;
    private ByteBuffer netOut;

    /** @return true if received bytes wait to be decrypted */
    boolean received() {
        return netIn != null && netIn.position() > 0;
    }

    /** @return true if decrypted bytes wait to be handed up */
    boolean decrypted() {
        return appIn != null && appIn.hasRemaining();
    }

    /** Hands up decrypted bytes; call only when {@link #decrypted()}. @return the count copied */
    int take(byte[] dst, int off, int len) {
        int n = Math.min(len, appIn.remaining());
        appIn.get(dst, off, n);
        return n;
    }

    /** @return the buffer of received records, taken from the pool if there was none */
    ByteBuffer netIn() {
        if (netIn == null) netIn = POOL.acquire();
        return netIn;
    }

    /** @return the buffer of decrypted bytes, taken from the pool if there was none */
    ByteBuffer appIn() {
        if (appIn == null) appIn = POOL.acquire();
        return appIn;
    }

    /** @return the buffer for encrypted output, taken from the pool if there was none (under the write lock) */
    ByteBuffer netOut() {
        if (netOut == null) netOut = POOL.acquire();
        return netOut;
    }

    /**
     * @return a buffer for several encrypted records sent in one write (a large body), to be given back with
     *         {@link #releaseBulk} at once
     */
    static ByteBuffer bulk() {
        return BULK_POOL.acquire();
    }

    static void releaseBulk(ByteBuffer b) {
        BULK_POOL.release(b);
    }

    /** @return a buffer for one batch of file bytes, to be given back with {@link #releaseFileChunk} at once */
    static ByteBuffer fileChunk() {
        return FILE_POOL.acquire();
    }

    static void releaseFileChunk(ByteBuffer b) {
        FILE_POOL.release(b);
    }

    /** A record larger than {@code netIn}: a bigger one (at least {@code atLeast} bytes) keeps what it held. */
    void growNetIn(int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, netIn.capacity() * 2));
        netIn.flip();
        bigger.put(netIn);
        netIn = bigger;
    }

    /** The engine's plaintext did not fit: an empty {@code appIn} of {@code size} bytes instead. */
    void enlargeAppIn(int size) {
        appIn = ByteBuffer.allocate(size).flip();
    }

    /** The engine's record did not fit: an empty {@code netOut} of {@code size} bytes instead. */
    void enlargeNetOut(int size) {
        netOut = ByteBuffer.allocate(size);
    }

    /** Gives back {@code appIn} and {@code netIn} if they hold nothing (the reading thread, before a wait). */
    void releaseInput() {
        if (appIn != null && !appIn.hasRemaining()) {
            POOL.release(appIn);
            appIn = null;
        }
        if (netIn != null && netIn.position() == 0) {
            POOL.release(netIn);
            netIn = null;
        }
    }

    /** Gives back {@code netOut} (under the write lock: a batch is sent whole, so it is empty between writes). */
    void releaseOutput() {
        if (netOut != null) {
            POOL.release(netOut);
            netOut = null;
        }
    }
}
