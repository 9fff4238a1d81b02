package dev.porter.http.internal.websocket;

import dev.porter.core.ReadBuffer;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.Headers;
import dev.porter.http.Request;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.internal.ByteStream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * One client-side WebSocket conversation, after the 101: reads through {@link MessageDecoder} (server frames must
 * not be masked, §5.1), writes through a masking {@link Sender} (a fresh key per frame, §5.3), and carries out the
 * closing handshake from the client's side (RFC 6455 §7):
 * <ul>
 *   <li>the server's Close is answered with its code (empty if it had none, §5.5.1); then the client half-closes
 *       and waits for the server to close TCP first (§7.1.1), at most the close timeout;</li>
 *   <li>bad input fails the connection (§7.1.7): a Close with the error's code, then TCP closed;</li>
 *   <li>after a Close of ours, messages still arriving are returned (the server may finish what it was saying)
 *       until the server's Close, which must come within the close timeout;</li>
 *   <li>silence: a ping every ping interval, and 1001 after the idle timeout.</li>
 * </ul>
 * Masking keys come from a fast generator seeded per connection from {@link SecureRandom}: §5.3 asks for keys a
 * script on the page cannot predict, and a {@code SecureRandom} call per frame would cost more than masking a
 * small frame.
 */
final class ClientSession implements ClientWebSocket {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.WebSocket");
    private static final byte[] EMPTY = new byte[0];
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final int MAX_PENDING = 64;
    private static final int LINGER_BYTES = 64 * 1024;

    private final ByteStream c;
    private final URI uri;
    private final Request request;
    private final Headers responseHeaders;
    private final String subprotocol;
    private final String extensions;
    private final MessageDecoder decoder;
    private final Sender sender;
    private final ReentrantLock reading = new ReentrantLock();
    private final long idleNanos;
    private final long pingNanos;
    private final long closeNanos;

    // Reader's state (under `reading`).
    private long lastHeard;
    private long lastPing;
    private boolean released;

    private volatile long closeSentAt;
    private volatile boolean closeReceived;
    private volatile boolean ended;
    private volatile int closeCode;
    private volatile int serverCloseCode;
    private volatile String closeReason = "";

    ClientSession(ByteStream c, WebSocketRequest req, Request sent, Headers responseHeaders, String subprotocol,
                  ClientDeflate deflate) {
        WebSocketConfig config = req.config();
        this.c = c;
        this.uri = req.uri();
        this.request = sent;
        this.responseHeaders = responseHeaders;
        this.subprotocol = subprotocol;
        this.extensions = deflate == null ? null : deflate.response();
        this.decoder = new MessageDecoder(false, config.maxFrameSize(), config.maxMessageSize(),
                deflate == null ? null : new PerMessageDeflate(false));
        this.sender = new Sender(c, deflate == null ? null : new PerMessageDeflate(deflate.clientNoContextTakeover()),
                config.sendTimeout().toNanos(), this::sendFailed, maskKeys());
        this.idleNanos = config.idleTimeout().toNanos();
        this.pingNanos = config.pingInterval().toNanos();
        this.closeNanos = config.closeTimeout().toNanos();
        this.lastHeard = System.nanoTime();
        this.lastPing = lastHeard;
        // The connection's own idle timeout must not cut a wait shorter than ours (it bounds every wait for bytes).
        c.setIdleTimeout(config.idleTimeout().plus(config.pingInterval()));
        SendWatchdog.watch(sender);
    }

    /** @return a masking-key source of this connection's own (§5.3) */
    private static RandomGenerator maskKeys() {
        byte[] seed = new byte[16];
        SEEDS.nextBytes(seed);
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    @Override
    public Message receive() throws IOException {
        reading.lock();
        try {
            while (!ended && !closeReceived) {
                Message m = next();
                if (m != null) return m;
            }
            release();
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
                    return new Text(decoder.text());
                }
                case BINARY -> {
                    return new Binary(Arrays.copyOf(decoder.data(), decoder.length()));
                }
                case PING -> sender.control(FrameParser.PONG, decoder.control(), decoder.controlLength());
                case PONG -> {
                    // lastHeard is all a pong is for
                }
                case CLOSE -> serverClosed(decoder.closeCode(), decoder.closeReason());
            }
            return null;
        } catch (CloseException e) {
            fail(e.code(), e.getMessage());
            return null;
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) throw e;
            return abnormal(e.toString()); // a read timeout: the server stalled inside a frame
        } catch (IOException e) {
            return abnormal(e.toString());
        }
    }

    /**
     * Waits for the next frame's first byte, keeping the conversation alive: pings after silence, 1001 after the
     * idle timeout, and no longer than the close timeout once our Close was sent.
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
                    LOG.log(System.Logger.Level.DEBUG, "WebSocket {0}: no Close from the server in time", uri);
                    end(false);
                    return false;
                }
            } else {
                left = lastHeard + idleNanos - now;
                if (left <= 0) {
                    fail(CloseCodes.GOING_AWAY, "idle timeout");
                    return false;
                }
                long pingIn = Math.max(lastHeard, lastPing) + pingNanos - now;
                if (pingIn <= 0) {
                    lastPing = now;
                    sender.control(FrameParser.PING, EMPTY, 0);
                    continue;
                }
                left = Math.min(left, pingIn);
            }
            if (!c.awaitInput(Duration.ofNanos(left))) continue; // silence: the checks above decide
            if (in.available() == 0 && !in.fill(ReadBuffer.Wait.NEXT_MESSAGE, MAX_PENDING)) {
                abnormal("the server closed the connection without a Close frame");
                return false;
            }
        }
        return true;
    }

    private void serverClosed(int code, String reason) throws IOException {
        closeReceived = true;
        serverCloseCode = code;
        record(code, reason);
        if (!sender.closeSent()) {
            // §5.5.1: answer with a Close, typically echoing the code.
            sender.close(code == CloseCodes.NO_STATUS ? EMPTY : CloseCodes.payload(code, ""));
        }
        end(true);
    }

    /** Fails the connection (§7.1.7) for bad input from the server or a timeout of ours. */
    private void fail(int code, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "WebSocket {0} failed with {1}: {2}", uri, code, reason);
        record(code, reason);
        try {
            sender.close(CloseCodes.payload(code, CloseCodes.fit(reason)));
        } catch (IOException e) {
            // The server is gone as well: the close below is all that is left to do.
        }
        end(false);
    }

    private Message abnormal(String why) {
        LOG.log(System.Logger.Level.DEBUG, "WebSocket {0} ended: {1}", uri, why);
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

    /**
     * Ends the connection: half-closes, then reads and discards until the server closes TCP, at most the close
     * timeout (§7.1.1: the server closes first, so the TIME_WAIT state stays on its side). Without that wait the
     * server's last bytes could meet a closed socket and be answered with a reset.
     *
     * @param exchanged true after both Close frames: the server is expected to close soon, so wait for it
     */
    private void end(boolean exchanged) {
        if (ended) return;
        ended = true;
        try {
            c.flush();
            c.shutdownOutput();
            ReadBuffer in = c.input();
            in.deadline(System.nanoTime() + (exchanged ? closeNanos : Math.min(closeNanos, 1_000_000_000L)));
            byte[] skip = new byte[4096];
            in.consume(in.available());
            for (int discarded = 0; discarded < LINGER_BYTES; ) {
                int n = in.read(skip, 0, skip.length, ReadBuffer.Wait.IN_MESSAGE);
                if (n < 0) break;
                discarded += n;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "closing wait ended: {0}", e.getMessage());
        } finally {
            c.close();
        }
    }

    /** Frees the codec's native memory once the conversation is over (reader's side, under `reading`). */
    private void release() {
        if (released) return;
        released = true;
        SendWatchdog.forget(sender);
        sender.release();
        decoder.release();
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
            closeSentAt = System.nanoTime();
        }
    }

    @Override
    public void close() {
        try {
            if (!ended && !closeReceived) close(CloseCodes.NORMAL, "");
        } catch (IOException e) {
            // The send failed and the connection with it: nothing is left to wait for.
        }
        try {
            while (receive() != null) {
                // discarded: the caller is done; waiting for the server's Close (bounded by the close timeout)
            }
        } catch (IOException e) {
            Thread.currentThread().interrupt(); // receive() throws only when interrupted: keep the flag
        } finally {
            reading.lock();
            try {
                ended = true;
                c.close();
                release();
            } finally {
                reading.unlock();
            }
        }
    }

    @Override public boolean isOpen() { return !ended && !closeReceived && !sender.closeSent(); }
    @Override public int closeCode() { return closeCode; }
    @Override public int serverCloseCode() { return serverCloseCode; }
    @Override public String closeReason() { return closeReason; }
    @Override public String subprotocol() { return subprotocol; }
    @Override public Request request() { return request; }
    @Override public URI uri() { return uri; }
    @Override public String extensions() { return extensions; }

    @Override
    public Headers responseHeaders() {
        Headers copy = new Headers();
        responseHeaders.forEach(copy::add);
        return copy;
    }

    @Override
    public String toString() {
        return "ClientWebSocket[" + uri + (isOpen() ? ", open" : ", closed " + closeCode) + "]";
    }
}
