package dev.porter.core.internal;

import java.nio.ByteBuffer;

/**
 * The three buffers of one TLS connection, each taken from a pool when it has bytes to hold and given back when
 * empty, so that an idle connection parks holding none of them — only the engine's session state (docs/tls.md
 * measures it). {@code netIn} holds received TLS records not yet decrypted, {@code appIn} decrypted bytes not yet
 * handed up, {@code netOut} one encrypted batch on its way out.
 *
 * <p>No lock of its own: the input pair belongs to the reading thread, {@code netOut} to whoever holds the
 * {@link TlsRecordLayer}'s write lock.
 */
final class TlsBuffers {

    /** Room for one TLS record with its overhead (the engine's packet size is 16,709 bytes for TLS 1.3/1.2). */
    static final int BUFFER_SIZE = 17 * 1024;
    private static final BufferPool POOL = new BufferPool(BUFFER_SIZE, 1024);

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
