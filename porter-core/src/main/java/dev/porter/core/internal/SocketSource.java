package dev.porter.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Bytes straight from a plain socket. Reads go through the socket adaptor's stream because only it honours
 * {@code SO_TIMEOUT} on a channel, which {@link #readWithin} needs; every other read is untimed and bounded by the
 * {@link Watchdog}, which shuts the input down when the deadline passes: the read then sees end-of-stream and
 * this reports the timeout, while the output stays usable (an HTTP server can still answer 408).
 */
final class SocketSource implements ByteSource {

    private final Socket socket;
    private final InputStream in;
    private final InetSocketAddress remote;
    private int soTimeoutMillis = -1;
    /** Deadline of the blocking read in progress (odd, so never 0), or 0 when not reading. */
    private volatile long readingUntil;
    /** Set by the watchdog when it cut a read or a write short. */
    private volatile boolean timedOut;
    /** Bytes read past a PROXY protocol header, handed out before the socket's next ones; null when none. */
    private byte[] replay;
    private int replayPos;

    SocketSource(Socket socket, InetSocketAddress remote) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.remote = remote;
    }

    @Override
    public long readingUntil() {
        return readingUntil;
    }

    /** @return true once a deadline was enforced on this connection */
    boolean timedOut() {
        return timedOut;
    }

    void markTimedOut() {
        timedOut = true;
    }

    /**
     * On a virtual thread a timed read costs a timer task per read (about a third of the CPU of a small HTTP
     * request here), hence no {@code SO_TIMEOUT}.
     */
    /** Hands {@code b[off, off + len)} out first, before any byte still in the socket. */
    void unread(byte[] b, int off, int len) {
        replay = java.util.Arrays.copyOfRange(b, off, off + len);
        replayPos = 0;
    }

    @Override
    public boolean buffered() {
        return replay != null;
    }

    private int fromReplay(byte[] dst, int off, int len) {
        int n = Math.min(len, replay.length - replayPos);
        System.arraycopy(replay, replayPos, dst, off, n);
        replayPos += n;
        if (replayPos == replay.length) replay = null;
        return n;
    }

    @Override
    public int read(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        if (replay != null && len > 0) return fromReplay(dst, off, len);
        if (soTimeoutMillis != 0) {
            socket.setSoTimeout(0);
            soTimeoutMillis = 0;
        }
        readingUntil = (System.nanoTime() + timeoutNanos) | 1;
        int n;
        try {
            n = in.read(dst, off, len);
        } catch (IOException e) {
            if (timedOut) throw timeout(timeoutNanos);
            throw e;
        } finally {
            readingUntil = 0;
        }
        if (n < 0 && timedOut) throw timeout(timeoutNanos);
        return n;
    }

    @Override
    public int readWithin(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        if (replay != null && len > 0) return fromReplay(dst, off, len);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        if (millis != soTimeoutMillis) {
            socket.setSoTimeout(millis);
            soTimeoutMillis = millis;
        }
        try {
            return in.read(dst, off, len);
        } catch (SocketTimeoutException e) {
            throw timeout("no data for " + millis + " ms");
        }
    }

    private SocketTimeoutException timeout(long timeoutNanos) {
        return timeout("no data for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    SocketTimeoutException timeout(String why) {
        return new SocketTimeoutException("read from " + remote + " timed out: " + why);
    }
}
