package dev.porter.http.internal;

import dev.porter.core.ReadBuffer;

import java.io.IOException;

/**
 * The read at the end of a lingering close, alike for HTTP/1.1 (RFC 9112 §9.6), HTTP/2 (after a GOAWAY) and
 * WebSocket (RFC 6455 §7.1.1): once our side is half-closed, what the peer still sends is read and dropped for a
 * while, because closing a socket with unread input makes the kernel answer with a reset, which can destroy our
 * last bytes (a response, a GOAWAY, a Close frame) before the peer reads them.
 */
public final class Linger {

    private Linger() {
    }

    /**
     * Reads and discards input until the peer closes, {@code nanos} pass or {@code maxBytes} were read, whichever
     * comes first. Call it after {@code shutdownOutput}; the caller closes the connection afterwards, whatever
     * happened.
     *
     * @throws IOException if the read failed or the time ran out (the lingering is over either way)
     */
    public static void discardInput(ReadBuffer in, long nanos, int maxBytes) throws IOException {
        in.deadline(System.nanoTime() + nanos);
        in.consume(in.available());
        byte[] skip = new byte[8192];
        for (int discarded = 0; discarded < maxBytes; ) {
            int n = in.read(skip, 0, skip.length, ReadBuffer.Wait.IN_MESSAGE);
            if (n < 0) break;
            discarded += n;
        }
    }
}
