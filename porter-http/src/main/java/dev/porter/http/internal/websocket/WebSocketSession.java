package dev.porter.http.internal.websocket;

import dev.porter.core.ReadBuffer;
import dev.porter.http.Request;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketHandler;
import dev.porter.http.internal.ByteStream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One server-side WebSocket conversation on its connection's virtual thread (after the 101), or on its HTTP/2
 * stream's (after an extended CONNECT's 200, RFC 8441 §5: the stream is the "TCP connection" below; closing TCP is
 * END_STREAM, an abort is RST_STREAM CANCEL): reads through
 * {@link MessageDecoder}, writes through {@link Sender}, and carries out the closing handshake (RFC 6455 §7):
 * <ul>
 *   <li>the peer's Close is answered with its own code (or an empty Close if it had none, §5.5.1), then the server
 *       closes TCP first (§7.1.1);</li>
 *   <li>bad input fails the connection (§7.1.7): a Close with the error's code, then TCP closed without waiting;</li>
 *   <li>a Close of ours waits at most the close timeout for the peer's; data arriving meanwhile is discarded;</li>
 *   <li>silence: a ping every ping interval, and 1001 after the idle timeout; a graceful server stop: 1001.</li>
 * </ul>
 * Closing TCP is "lingering": output is shut first and the input read and discarded for up to a second, so the
 * peer reads our Close rather than a reset caused by its unread bytes.
 */
public final class WebSocketSession implements WebSocket {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.WebSocket");
    private static final byte[] EMPTY = new byte[0];
    private static final long LINGER_NANOS = 1_000_000_000L;
    private static final int LINGER_BYTES = 64 * 1024;
    /** Enough for a partial frame header, which is all the decoder ever leaves unconsumed. */
    private static final int MAX_PENDING = 64;

    private final ByteStream c;
    private final WebSocketConfig config;
    private final Request request;
    private final String subprotocol;
    private final MessageDecoder decoder;
    private final Sender sender;
    private final ReentrantLock reading = new ReentrantLock();
    private final long idleNanos;
    private final long pingNanos;
    private final long closeNanos;

    // Reader's state (under `reading`).
    private long lastHeard;
    private long lastPing;
    /** When our Close left ({@link System#nanoTime()}), or 0; set by whichever thread closes. */
    private volatile long closeSentAt;

    private volatile boolean closeReceived;
    private volatile boolean ended;
    private volatile int closeCode;
    private volatile String closeReason = "";

    WebSocketSession(ByteStream c, WebSocketConfig config, Request request, Handshake.Accepted handshake) {
        this.c = c;
        this.config = config;
        this.request = request;
        this.subprotocol = handshake.subprotocol();
        DeflateNegotiation.Agreement a = handshake.deflate();
        this.decoder = new MessageDecoder(true, config.maxFrameSize(), config.maxMessageSize(),
                a == null ? null : new PerMessageDeflate(false));
        this.sender = new Sender(c, a == null ? null : new PerMessageDeflate(a.serverNoContextTakeover()),
                config.sendTimeout().toNanos(), this::sendFailed);
        this.idleNanos = config.idleTimeout().toNanos();
        this.pingNanos = config.pingInterval().toNanos();
        this.closeNanos = config.closeTimeout().toNanos();
        this.lastHeard = System.nanoTime();
        this.lastPing = lastHeard;
    }

    /** Runs the handler, then ends the conversation: 1000 if it returned, 1011 if it threw. */
    void run(WebSocketHandler handler) {
        SendWatchdog.watch(sender);
        // The connection's own idle timeout must not cut a wait shorter than ours (it bounds every wait for bytes).
        c.setIdleTimeout(config.idleTimeout().plus(config.pingInterval()));
        try {
            handler.handle(this);
            end(CloseCodes.NORMAL);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (ended || closeReceived) {
                LOG.log(System.Logger.Level.DEBUG, "WebSocket handler ended with the connection: {0}", e.toString());
            } else {
                LOG.log(System.Logger.Level.WARNING, "WebSocket handler failed for " + c.remoteAddress() + " "
                        + request.path(), e);
            }
            end(CloseCodes.INTERNAL_ERROR);
        } finally {
            SendWatchdog.forget(sender);
            sender.release();
            decoder.release();
            if (!ended) {
                ended = true;
                c.close();
            }
        }
    }

    /** After the handler: send our Close unless one was exchanged, wait for the peer's, close TCP. */
    private void end(int code) {
        if (ended) return;
        try {
            if (!closeReceived) {
                closeWith(code, "");
                while (receive() != null) {
                    // discarded: the handler is gone; waiting for the peer's Close (bounded by the close timeout)
                }
            }
        } catch (IOException e) {
            abnormal(e.toString());
        }
        if (!ended) lingeringClose();
    }

    @Override
    public Message receive() throws IOException {
        reading.lock();
        try {
            while (!ended && !closeReceived) {
                Message m = next();
                if (m != null) return m;
            }
            return null;
        } finally {
            reading.unlock();
        }
    }

    /** Reads until a message, or until the conversation ends. @return null for anything else consumed */
    private Message next() throws IOException {
        ReadBuffer in = c.input();
        try {
            if (in.available() == 0) {
                if (decoder.inFrame()) {
                    if (!in.fill(ReadBuffer.Wait.IN_MESSAGE, MAX_PENDING)) return abnormal("connection ended inside a frame");
                } else if (!awaitFrame(in)) {
                    return null;
                }
            }
            int n = decoder.decode(in.array(), in.start(), in.end());
            in.consume(n);
            if (n > 0) lastHeard = System.nanoTime();
            switch (decoder.event()) {
                case NONE -> {
                    if (in.available() > 0 && !in.fill(ReadBuffer.Wait.IN_MESSAGE, MAX_PENDING)) {
                        return abnormal("connection ended inside a frame header");
                    }
                }
                case TEXT -> {
                    if (!sender.closeSent()) return new Text(decoder.text());
                }
                case BINARY -> {
                    if (!sender.closeSent()) return new Binary(Arrays.copyOf(decoder.data(), decoder.length()));
                }
                case PING -> sender.control(FrameParser.PONG, decoder.control(), decoder.controlLength());
                case PONG -> {
                    // lastHeard is all a pong is for
                }
                case CLOSE -> peerClosed(decoder.closeCode(), decoder.closeReason());
            }
            return null;
        } catch (CloseException e) {
            fail(e.code(), e.getMessage());
            return null;
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) throw e;
            return abnormal(e.toString()); // a read timeout (the peer stalled inside a frame, or the close timeout)
        } catch (IOException e) {
            return abnormal(e.toString());
        }
    }

    /**
     * Waits for the next frame's first byte, keeping the conversation alive: pings after silence, 1001 after the
     * idle timeout or when the server stops, and no longer than the close timeout once our Close was sent.
     *
     * @return true when bytes are buffered; false if the conversation ended
     */
    private boolean awaitFrame(ReadBuffer in) throws IOException {
        while (in.available() == 0) {
            long now = System.nanoTime();
            long left;
            if (closeSentAt != 0) {
                left = closeSentAt + closeNanos - now;
                if (left <= 0) {
                    lingeringClose(); // the peer never answered our Close
                    return false;
                }
            } else {
                left = lastHeard + idleNanos - now;
                if (left <= 0) {
                    fail(CloseCodes.GOING_AWAY, "idle timeout");
                    return false;
                }
                if (c.isDraining()) {
                    closeWith(CloseCodes.GOING_AWAY, "server stopping");
                    continue;
                }
                long pingIn = Math.max(lastHeard, lastPing) + pingNanos - now;
                if (pingIn <= 0) {
                    lastPing = now;
                    sender.control(FrameParser.PING, EMPTY, 0);
                    continue;
                }
                left = Math.min(left, pingIn);
            }
            boolean arrived;
            if (closeSentAt != 0) {
                // Waiting for the peer's Close: a plain bounded read (awaitInput returns at once while the server
                // stops, which is one reason to be here).
                in.deadline(now + left);
                try {
                    arrived = in.fill(ReadBuffer.Wait.NEXT_MESSAGE, MAX_PENDING);
                } finally {
                    in.deadline(0);
                }
            } else {
                decoder.trim();
                arrived = !c.awaitInput(Duration.ofNanos(left)) || in.available() > 0
                        || in.fill(ReadBuffer.Wait.NEXT_MESSAGE, MAX_PENDING);
            }
            if (!arrived) {
                if (closeSentAt == 0 && c.isDraining()) {
                    // A graceful stop ended this idle wait by shutting the input (the core wakes idle connections
                    // that way); the output still works, so the peer still hears why: 1001 (§7.4.1).
                    fail(CloseCodes.GOING_AWAY, "server stopping");
                    return false;
                }
                abnormal("the peer closed the connection without a Close frame");
                return false;
            }
        }
        return true;
    }

    private void peerClosed(int code, String reason) throws IOException {
        closeReceived = true;
        record(code, reason);
        if (!sender.closeSent()) {
            // §5.5.1: answer with a Close, typically echoing the code; §7.1.1: then the server closes TCP first.
            sender.close(code == CloseCodes.NO_STATUS ? EMPTY : CloseCodes.payload(code, ""));
        }
        lingeringClose();
    }

    /** Fails the connection (§7.1.7) for bad input or a timeout of ours. */
    private void fail(int code, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "WebSocket from {0} failed with {1}: {2}", c.remoteAddress(), code, reason);
        record(code, reason);
        try {
            sender.close(CloseCodes.payload(code, CloseCodes.fit(reason)));
        } catch (IOException e) {
            // The peer is gone as well: the close below is all that is left to do.
        }
        lingeringClose();
    }

    private Message abnormal(String why) {
        LOG.log(System.Logger.Level.DEBUG, "WebSocket from {0} ended: {1}", c.remoteAddress(), why);
        record(CloseCodes.ABNORMAL, sender.timedOut() ? "send timeout" : why);
        ended = true;
        c.close();
        return null;
    }

    /** A send failed (the watchdog, or the network): the connection is closed and nothing more can be said. */
    private void sendFailed(String why) {
        record(CloseCodes.ABNORMAL, why);
        ended = true;
    }

    private void record(int code, String reason) {
        if (closeCode == 0) {
            closeReason = reason == null ? "" : reason;
            closeCode = code;
        }
    }

    private void closeWith(int code, String reason) throws IOException {
        byte[] payload = CloseCodes.payload(code, reason);
        if (sender.close(payload)) {
            record(code, reason);
            closeSentAt = System.nanoTime();
        }
    }

    private void lingeringClose() {
        if (ended) return;
        ended = true;
        try {
            c.flush();
            c.shutdownOutput();
            ReadBuffer in = c.input();
            in.deadline(System.nanoTime() + LINGER_NANOS);
            byte[] skip = new byte[4096];
            in.consume(in.available());
            for (int discarded = 0; discarded < LINGER_BYTES; ) {
                int n = in.read(skip, 0, skip.length, ReadBuffer.Wait.IN_MESSAGE);
                if (n < 0) break;
                discarded += n;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "lingering close ended: {0}", e.getMessage());
        } finally {
            c.close();
        }
    }

    // ---- sending -------------------------------------------------------------------------------------------

    @Override
    public void sendText(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        sender.message(FrameParser.TEXT, b, 0, b.length);
    }

    @Override
    public void sendBinary(byte[] data) throws IOException {
        sender.message(FrameParser.BINARY, data, 0, data.length);
    }

    @Override
    public void ping(byte[] payload) throws IOException {
        if (payload.length > FrameParser.MAX_CONTROL_PAYLOAD) throw new IllegalArgumentException("ping payload over 125 bytes");
        if (!sender.control(FrameParser.PING, payload, payload.length)) throw new IOException("the WebSocket is closed");
    }

    @Override
    public void close(int code, String reason) throws IOException {
        byte[] payload = CloseCodes.payload(code, reason); // validates before anything is sent
        if (sender.close(payload)) {
            record(code, reason);
            // Read by the reader thread's awaitFrame; a close from another thread is seen at its next wait.
            closeSentAt = System.nanoTime();
        }
    }

    @Override public boolean isOpen() { return !ended && !closeReceived && !sender.closeSent(); }
    @Override public int closeCode() { return closeCode; }
    @Override public String closeReason() { return closeReason; }
    @Override public String subprotocol() { return subprotocol; }
    @Override public Request request() { return request; }
}
