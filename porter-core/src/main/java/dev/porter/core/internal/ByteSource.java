package dev.porter.core.internal;

import java.io.IOException;

/**
 * What lies beneath a connection's {@link InputBuffer}: where its bytes come from. The plain socket is one
 * ({@link SocketSource}); a TLS transport is another, handing up bytes it decrypted. The buffer above, and every
 * protocol above that, cannot tell them apart. Blocking; one reading thread at a time.
 */
interface ByteSource {

    /**
     * Reads at least one byte, blocking without a socket timeout; the {@link Watchdog} enforces
     * {@code timeoutNanos} from outside (an untimed read is much cheaper on a virtual thread).
     *
     * @return the count read, or -1 at end of stream
     * @throws java.net.SocketTimeoutException if the deadline passed (the input is then shut down)
     */
    int read(byte[] dst, int off, int len, long timeoutNanos) throws IOException;

    /**
     * Reads at least one byte or gives up after {@code timeoutNanos} with the connection still usable.
     *
     * @throws java.net.SocketTimeoutException if nothing arrived in time
     */
    int readWithin(byte[] dst, int off, int len, long timeoutNanos) throws IOException;

    /** @return {@link System#nanoTime()} deadline of the blocking read in progress, or 0 when not reading */
    long readingUntil();

    /**
     * @return true if bytes already received wait here for a read (TLS records not yet handed up), so the
     *         connection must not wait on the socket (or park) before reading them
     */
    default boolean buffered() {
        return false;
    }
}
