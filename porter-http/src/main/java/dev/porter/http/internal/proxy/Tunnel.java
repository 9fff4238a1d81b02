package dev.porter.http.internal.proxy;

import dev.porter.core.ReadBuffer;
import dev.porter.http.internal.ByteStream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The raw byte relay of an upgraded exchange (a WebSocket through the proxy), after both 101s (or the backend's 101
 * and the 200 to an HTTP/2 client's extended CONNECT, whose stream is then the client side): client to backend on
 * the client connection's own thread, backend to client on one more virtual thread. Each direction is a blocking
 * copy loop: a read waits for bytes, the write waits until the other socket took them, so a slow reader slows
 * the writer at the far end down instead of filling memory (back-pressure). An end of stream on one side is passed
 * on as a half-close ({@link ByteStream#shutdownOutput()}) and the other direction goes on; a failure on either
 * side (a reset, a write that cannot complete) or {@link #expire()} closes both connections, which ends both
 * loops. The backend connection was opened for this tunnel alone and is closed with it, never pooled.
 *
 * <p>Idle: the connections' own idle timeouts are lifted; {@link Tunnels} closes a tunnel through which no byte
 * passed either way for its idle timeout, so a stream that only flows one way is not cut.
 */
final class Tunnel {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.ProxyHandler");
    /** The idle bound of each connection is the tunnel's ({@link Tunnels}), not its own: effectively none. */
    private static final Duration NO_IDLE_LIMIT = Duration.ofDays(365);
    private static final int CHUNK = 64 * 1024;

    private final ByteStream backend;
    private final String name;
    private final Runnable onEnd;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ByteStream client;
    private volatile long lastActivity = System.nanoTime();

    /**
     * @param name  what the log calls it (the backend and the target)
     * @param onEnd run once when the tunnel ends, or is expired before it started
     */
    Tunnel(ByteStream backend, String name, Runnable onEnd) {
        this.backend = backend;
        this.name = name;
        this.onEnd = onEnd;
    }

    /** @return {@link System#nanoTime()} when a byte last passed either way (or the tunnel was made) */
    long lastActivity() {
        return lastActivity;
    }

    /** Runs both directions until both ended or one failed; then closes both connections. On the client's thread. */
    void run(ByteStream c) {
        client = c;
        if (closed.get()) {
            end(); // expired between the 101 and the switch
            return;
        }
        try {
            c.setIdleTimeout(NO_IDLE_LIMIT);
            backend.setIdleTimeout(NO_IDLE_LIMIT);
            Thread down = Thread.ofVirtual().name("porter-tunnel").start(() -> copy(backend, c));
            copy(c, backend);
            down.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end();
        }
    }

    /** Closes both sides now (idle, or the proxy stops); both loops end. Safe from any thread. */
    void expire() {
        if (closed.compareAndSet(false, true)) {
            backend.close();
            ByteStream c = client;
            if (c != null) c.close();
        }
        if (client == null) end(); // never switched: nobody else will report the end
    }

    private void end() {
        expireQuietly();
        if (ended.compareAndSet(false, true)) onEnd.run();
    }

    private void expireQuietly() {
        closed.set(true);
        backend.close();
        ByteStream c = client;
        if (c != null) c.close();
    }

    /**
     * @return false at the end of the stream. An HTTP/2 stream's reads are bounded by the server's read timeout
     *         whatever the wait asked for; here only {@link Tunnels} judges idleness, so such a timeout just waits on.
     */
    private boolean fill(ReadBuffer in) throws IOException {
        while (true) {
            try {
                return in.fill(ReadBuffer.Wait.NEXT_MESSAGE, CHUNK);
            } catch (SocketTimeoutException e) {
                if (closed.get()) throw e;
            }
        }
    }

    private void copy(ByteStream from, ByteStream to) {
        ReadBuffer in = from.input();
        try {
            while (true) {
                // NEXT_MESSAGE: the wait is bounded by the (lifted) idle timeout, never by the read timeout, and a
                // server stopping gracefully ends it like any idle wait.
                if (in.available() == 0 && !fill(in)) {
                    if (!closed.get()) to.shutdownOutput(); // RFC 9293 §3.6: the half-close crosses the tunnel
                    return;
                }
                int n = in.available();
                to.write(in.array(), in.start(), n);
                in.consume(n);
                lastActivity = System.nanoTime();
                to.flush();
            }
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "tunnel " + name + " ended: " + e.getMessage());
            }
            expireQuietly(); // nothing more can cross either way
        }
    }
}
