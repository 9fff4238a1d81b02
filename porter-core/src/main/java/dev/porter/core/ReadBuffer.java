package dev.porter.core;

import java.io.IOException;

/**
 * The input side of a {@link Connection} for protocols that parse bytes in place: the unread bytes are
 * {@code array()[start(), end())}; a parser scans them, {@link #consume consumes} what it used, and asks for more
 * with {@link #fill}. Whatever lies beneath (a plain socket, or TLS that decrypts first) is invisible here: the
 * bytes are always the conversation's own.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #array()}, {@link #start()} and {@link #end()} are valid until the next {@link #fill},
 *       {@link #read} or {@link #release}: a fill may compact the bytes to the front of the array or move them
 *       to a larger one, so read them again after it (never keep an index across a fill).</li>
 *   <li>Bytes before {@code start()} and from {@code end()} on are not the caller's; only the unread range may
 *       be read, and nothing may be written to the array.</li>
 *   <li>Waits are bounded: {@link Wait#NEXT_MESSAGE} by the connection's idle timeout (and, before it blocks,
 *       buffered output is flushed, so a peer never waits for an answer the server sits on), {@link Wait#IN_MESSAGE}
 *       by its read timeout; both also by the {@link #deadline}. A timeout raises
 *       {@link java.net.SocketTimeoutException}.</li>
 * </ul>
 *
 * <p>Thread-safety: belongs to the one thread reading the connection, like the connection's read methods (which
 * use the same bytes: mixing them with this view is allowed).
 */
public interface ReadBuffer {

    /** Which timeout bounds a wait for bytes. */
    enum Wait {
        /** Waiting for the first byte of a new message: the idle (keep-alive) timeout; a quiet connection holds no pooled buffer. */
        NEXT_MESSAGE,
        /** Inside a message: the read timeout. */
        IN_MESSAGE
    }

    /** @return the array holding the unread bytes; empty (never null) while nothing is buffered */
    byte[] array();

    /** @return the index of the first unread byte in {@link #array()} */
    int start();

    /** @return the index after the last unread byte in {@link #array()} */
    int end();

    /** @return the number of unread bytes: {@code end() - start()} */
    default int available() {
        return end() - start();
    }

    /**
     * Marks {@code n} unread bytes as used.
     *
     * @throws IllegalArgumentException if {@code n} is negative or more than {@link #available()}
     */
    void consume(int n);

    /**
     * Reads more bytes after {@link #end()}, blocking until at least one arrives. Keeps every unread byte;
     * may compact them or move them to a larger array holding up to {@code maxBuffered} unread bytes.
     *
     * @param maxBuffered the most unread bytes the caller needs held at once (its longest line or frame head);
     *                    a caller checks its own limit before asking for more
     * @return false at end of stream (nothing was added)
     * @throws IllegalStateException if {@code maxBuffered} unread bytes are already held
     */
    boolean fill(Wait wait, int maxBuffered) throws IOException;

    /**
     * Moves up to {@code len} bytes into {@code dst}: unread bytes first; with none, one blocking read (a large
     * read may go straight into {@code dst}, skipping the buffer).
     *
     * @return the count moved, at least 1 unless {@code len} is 0; -1 at end of stream
     */
    int read(byte[] dst, int off, int len, Wait wait) throws IOException;

    /**
     * Bounds every following wait by an absolute {@link System#nanoTime()} deadline (an HTTP header timeout, a
     * client's total timeout), in addition to the wait's own timeout.
     *
     * @param nanoTime the deadline, or 0 to remove it
     */
    void deadline(long nanoTime);

    /** Gives the buffer back to the shared pool if nothing unread is in it (before a long wait, or when done). */
    void release();
}
