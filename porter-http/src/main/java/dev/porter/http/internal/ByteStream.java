package dev.porter.http.internal;

import dev.porter.core.Connection;
import dev.porter.core.InputWatch;
import dev.porter.core.ReadBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The two-way byte stream a protocol runs on after a switch: a whole connection after an HTTP/1.1 {@code 101}, or
 * one HTTP/2 stream after an extended CONNECT's {@code 200} (RFC 8441 §5: the stream stands for the TCP connection
 * of RFC 6455). The WebSocket sessions use only this seam, so the same session code serves both.
 *
 * <p>Reading belongs to one thread at a time; {@link #write}/{@link #flush} may come from others (each call is
 * atomic, as on a {@link Connection}); {@link #close} from any thread.
 */
public interface ByteStream {

    /** @return the input, as a connection's: bytes are consumed from it, {@code fill} waits for more */
    ReadBuffer input();

    /**
     * Waits up to {@code linger} for input without consuming it.
     *
     * @return true if a byte is buffered or the peer ended its side; false if nothing arrived in time
     */
    boolean awaitInput(Duration linger) throws IOException;

    /** @return true if {@link #awaitInputWatched} is available: a whole connection (an HTTP/2 stream has none) */
    default boolean watchesWaits() {
        return false;
    }

    /**
     * Waits for input without a timer, as {@link Connection#awaitInputWatched}: {@code watch} tells the core's
     * watchdog when the wait turns idle and gets the peer to speak.
     *
     * @return as {@link Connection#awaitInputWatched}
     * @throws UnsupportedOperationException unless {@link #watchesWaits()}
     */
    default boolean awaitInputWatched(InputWatch watch) throws IOException {
        throw new UnsupportedOperationException("no watched wait on " + this);
    }

    /** Buffers bytes for sending; may block while the peer does not read (back-pressure). */
    void write(byte[] b, int off, int len) throws IOException;

    /** Sends everything buffered. */
    void flush() throws IOException;

    /** Ends our side in order (TCP FIN; HTTP/2 END_STREAM); reading goes on. */
    void shutdownOutput() throws IOException;

    /** Ends the stream at once: closes the connection, or resets an HTTP/2 stream not ended in order (CANCEL). */
    void close();

    /** @return true while the server stops gracefully (a conversation then says goodbye, 1001) */
    boolean isDraining();

    /** Bounds every wait for bytes; only a whole connection has its own (an HTTP/2 stream ignores it). */
    void setIdleTimeout(Duration timeout);

    InetSocketAddress remoteAddress();

    /** @return the stream of a whole connection */
    static ByteStream of(Connection c) {
        return new ByteStream() {
            @Override public ReadBuffer input() { return c.input(); }
            @Override public boolean awaitInput(Duration linger) throws IOException { return c.awaitInput(linger); }
            @Override public boolean watchesWaits() { return true; }
            @Override public boolean awaitInputWatched(InputWatch w) throws IOException { return c.awaitInputWatched(w); }
            @Override public void write(byte[] b, int off, int len) throws IOException { c.write(b, off, len); }
            @Override public void flush() throws IOException { c.flush(); }
            @Override public void shutdownOutput() throws IOException { c.shutdownOutput(); }
            @Override public void close() { c.close(); }
            @Override public boolean isDraining() { return c.isDraining(); }
            @Override public void setIdleTimeout(Duration timeout) { c.setIdleTimeout(timeout); }
            @Override public InetSocketAddress remoteAddress() { return c.remoteAddress(); }
            @Override public String toString() { return c.toString(); }
        };
    }
}
