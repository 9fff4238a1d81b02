package dev.porter.http.internal.websocket;

import dev.porter.core.ReadBuffer;
import dev.porter.http.Request;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.internal.ByteStream;
import dev.porter.http.internal.Linger;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * What both ends of a WebSocket conversation do alike (RFC 6455): reading through {@link MessageDecoder} (pongs
 * for pings, pings after silence, 1001 after the idle timeout), writing through {@link Sender}, failing the
 * connection on bad input (§7.1.7) and the closing handshake (§7). {@link WebSocketSession} (the server's) and
 * {@link ClientSession} differ only where the RFC makes the two ends differ:
 * <ul>
 *   <li>masking (§5.1, §5.3): the server's decoder wants masked frames, the client's sender masks;</li>
 *   <li>who closes TCP first (§7.1.1): the server closes it, lingering only so the peer reads our Close rather
 *       than a reset; the client half-closes and waits for the server's FIN, up to the close timeout;</li>
 *   <li>after a Close of ours, the server discards the data still arriving and waits for the peer's Close with a
 *       plain bounded read (a stopping server's {@code awaitInput} returns at once); the client returns that data
 *       (the server may finish what it was saying).</li>
 * </ul>
 * Reading belongs to one thread at a time (under {@link #reading}); sending and closing may come from any thread.
 * A message the reading thread sends while the peer's next frame is already buffered is not flushed at once: it
 * leaves with the next ones, at the latest before this conversation next waits for input (see {@link Sender}).
 */
abstract sealed class Session implements WebSocket permits WebSocketSession, ClientSession {

    static final System.Logger LOG = System.getLogger("dev.porter.http.WebSocket");
    private static final byte[] EMPTY = new byte[0];
    private static final long LINGER_NANOS = 1_000_000_000L;
    private static final int LINGER_BYTES = 64 * 1024;
    /** Enough for a partial frame header, which is all the decoder ever leaves unconsumed. */
    private static final int MAX_PENDING = 64;

    final ByteStream c;
    final ReentrantLock reading = new ReentrantLock();
    private final boolean server;
    private final Request request;
    private final String subprotocol;
    private final MessageDecoder decoder;
    private final Sender sender;
    private final long idleNanos;
    private final long pingNanos;
    private final long closeNanos;
    /** The server's timerless wait on a whole connection ({@link PingWatch}), or null: timed waits instead. */
    private final PingWatch watch;

    // Reader's state (under `reading`).
    private long lastHeard;
    /** Written by the reader, or by a ping of {@link PingWatch#tick} while the reader waits. */
    private volatile long lastPing;
    private boolean released;
    /** The connection's idle timeout is the watched waits' (idle less ping), not the timed waits' bound. */
    private boolean watchedIdle;
    /** The thread that last called {@link #receive()}: its sends may be batched while input is buffered. */
    private volatile Thread reader;

    /** When our Close left ({@link System#nanoTime()}), or 0; set by whichever thread closes. */
    private volatile long closeSentAt;
    private volatile boolean closeReceived;
    private volatile boolean ended;
    private volatile int closeCode;
    private volatile int peerCloseCode;
    private volatile String closeReason = "";

    /**
     * @param server   true for the server's end (the peer's frames must be masked, §5.1)
     * @param inflate  the decoder's decompressor when permessage-deflate was agreed, or null
     * @param deflate  the sender's compressor when permessage-deflate was agreed, or null
     * @param maskKeys the client's source of masking keys (§5.3), or null for the server
     */
    Session(ByteStream c, boolean server, WebSocketConfig config, Request request, String subprotocol,
            PerMessageDeflate inflate, PerMessageDeflate deflate, RandomGenerator maskKeys) {
        this.c = c;
        this.server = server;
        this.request = request;
        this.subprotocol = subprotocol;
        this.decoder = new MessageDecoder(server, config.maxFrameSize(), config.maxMessageSize(), inflate);
        this.sender = new Sender(c, deflate, config.sendTimeout().toNanos(), this::sendFailed, maskKeys);
        this.idleNanos = config.idleTimeout().toNanos();
        this.pingNanos = config.pingInterval().toNanos();
        this.closeNanos = config.closeTimeout().toNanos();
        this.lastHeard = System.nanoTime();
        this.lastPing = lastHeard;
        this.watch = server && c.watchesWaits() && pingNanos < idleNanos ? new PingWatch(this, pingNanos) : null;
        sender.keepAlive(watch);
    }

    /** @return who the other end is, for the log */
    abstract Object peer();

    /** Starts the send watchdog, and keeps the stream's own idle timeout from cutting our waits short. */
    final void start(WebSocketConfig config) {
        idleTimeout(watch != null);
        SendWatchdog.watch(sender);
    }

    /**
     * Sets the connection's own idle timeout: for a watched wait, the WebSocket idle timeout less the ping interval
     * (the core counts it from when the wait turned quiet, which is when a ping is due); for other waits, longer
     * than any of ours, so that it never cuts them short.
     */
    private void idleTimeout(boolean watched) {
        watchedIdle = watched;
        c.setIdleTimeout(Duration.ofNanos(watched ? idleNanos - pingNanos : idleNanos + pingNanos));
    }

    /** A due ping while the reader waits ({@link PingWatch#tick}), on a thread of its own. */
    final void pingFromWatch() {
        if (ended || closeSentAt != 0 || c.isDraining()) return; // a stop ends the idle wait itself
        lastPing = System.nanoTime();
        try {
            sender.control(FrameParser.PING, EMPTY, 0);
        } catch (IOException e) {
            // The connection is closed (the sender said why); the reader finds out when its wait ends.
        }
    }

    /**
     * The send watchdog's look while the reader waits watched ({@link PingWatch#tick}): a Close sent from another
     * thread that the peer left unanswered for the close timeout drops the connection, which ends the reader's wait
     * (a timerless wait sees no deadline of its own). @return true if it dropped the connection
     */
    final boolean dropIfCloseUnanswered(long now) {
        long sent = closeSentAt;
        if (sent == 0 || ended || now - sent - closeNanos < 0) return false;
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "WebSocket {0}: no Close answered ours in time", peer());
        }
        c.close();
        return true;
    }

    @Override
    public Message receive() throws IOException {
        reading.lock();
        try {
            reader = Thread.currentThread();
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
                sender.flushOwed(); // the replies to a burst leave together, before any wait
                if (decoder.inFrame()) {
                    if (!in.fill(ReadBuffer.Wait.IN_MESSAGE, MAX_PENDING)) return abnormal("connection ended inside a frame");
                } else if (!awaitFrame(in)) {
                    return null;
                }
            }
            int n = decoder.decode(in.array(), in.start(), in.end());
            // A message decoded where it lay in the input is taken before its bytes are given up.
            Message message = switch (decoder.event()) {
                case TEXT -> !server || !sender.closeSent() ? new Text(decoder.text()) : null;
                case BINARY -> !server || !sender.closeSent() ? new Binary(decoder.takeData()) : null;
                default -> null;
            };
            in.consume(n);
            if (n > 0) lastHeard = System.nanoTime();
            switch (decoder.event()) {
                case NONE -> {
                    if (in.available() > 0) sender.flushOwed(); // a partial header: the fill below may wait
                    if (in.available() > 0 && !in.fill(ReadBuffer.Wait.IN_MESSAGE, MAX_PENDING)) {
                        return abnormal("connection ended inside a frame header");
                    }
                }
                case TEXT, BINARY -> {
                    if (message != null) return message;
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
                    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                        LOG.log(System.Logger.Level.DEBUG, "WebSocket {0}: no Close answered ours in time", peer());
                    }
                    closeTcp(false);
                    return false;
                }
            } else {
                left = lastHeard + idleNanos - now;
                if (left <= 0) {
                    fail(CloseCodes.GOING_AWAY, "idle timeout");
                    return false;
                }
                if (c.isDraining()) { // only ever on the server's end
                    close(CloseCodes.GOING_AWAY, "server stopping");
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
            if (server && closeSentAt != 0) {
                // Waiting for the peer's Close: a plain bounded read (awaitInput returns at once while the server
                // stops, which is one reason to be here).
                if (watchedIdle) idleTimeout(false);
                in.deadline(now + left);
                try {
                    arrived = in.fill(ReadBuffer.Wait.NEXT_MESSAGE, MAX_PENDING);
                } finally {
                    in.deadline(0);
                }
            } else if (watch != null) {
                decoder.trim();
                if (!watchedIdle) idleTimeout(true);
                watch.begin(Math.max(lastHeard, lastPing) + pingNanos);
                try {
                    if (!c.awaitInputWatched(watch)) continue; // a stream without a watchdog: its slice passed
                } catch (SocketTimeoutException e) {
                    fail(CloseCodes.GOING_AWAY, "idle timeout"); // not even the pings brought an answer
                    return false;
                } finally {
                    watch.end();
                }
                arrived = in.available() > 0 || in.fill(ReadBuffer.Wait.NEXT_MESSAGE, MAX_PENDING);
            } else {
                if (server) decoder.trim();
                // Silence (false) goes round again: the checks above decide.
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
                abnormal(server ? "the peer closed the connection without a Close frame"
                        : "the server closed the connection without a Close frame");
                return false;
            }
        }
        return true;
    }

    private void peerClosed(int code, String reason) throws IOException {
        closeReceived = true;
        peerCloseCode = code;
        record(code, reason);
        if (!sender.closeSent()) {
            // §5.5.1: answer with a Close, typically echoing the code.
            sender.close(code == CloseCodes.NO_STATUS ? EMPTY : CloseCodes.payload(code, ""));
        }
        closeTcp(true);
    }

    /** Fails the connection (§7.1.7) for bad input or a timeout of ours. */
    private void fail(int code, String reason) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "WebSocket {0} failed with {1}: {2}", peer(), code, reason);
        }
        record(code, reason);
        try {
            sender.close(CloseCodes.payload(code, CloseCodes.fit(reason)));
        } catch (IOException e) {
            // The peer is gone as well: the close below is all that is left to do.
        }
        closeTcp(false);
    }

    /** Ends the conversation without a closing handshake (1006): the connection is closed at once. */
    final Message abnormal(String why) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "WebSocket {0} ended: {1}", peer(), why);
        }
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
     * Closes TCP in order: half-closes, then reads and discards until the peer closes its side, for a while, so
     * that our last bytes are read rather than answered with a reset.
     *
     * @param exchanged true after both Close frames: a server is then expected to close soon (§7.1.1), so a client
     *                  waits for it up to the close timeout; a server lingers at most a second either way
     */
    final void closeTcp(boolean exchanged) {
        if (ended) return;
        ended = true;
        try {
            c.flush();
            c.shutdownOutput();
            long wait = server ? LINGER_NANOS : exchanged ? closeNanos : Math.min(closeNanos, LINGER_NANOS);
            Linger.discardInput(c.input(), wait, LINGER_BYTES);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "lingering close ended: {0}", e.getMessage());
        } finally {
            c.close();
        }
    }

    /** Closes the stream at once, whatever state the conversation is in. */
    final void closeNow() {
        ended = true;
        c.close();
    }

    /** Frees the codec's native memory once the conversation is over (reader's side, under `reading`). */
    final void release() {
        if (released) return;
        released = true;
        SendWatchdog.forget(sender);
        sender.release();
        decoder.release();
    }

    final boolean ended() { return ended; }
    final boolean closeReceived() { return closeReceived; }
    final int peerCloseCode() { return peerCloseCode; }

    // ---- sending -------------------------------------------------------------------------------------------

    @Override
    public void sendText(String text) throws IOException {
        sender.text(text, !batched());
    }

    @Override
    public void sendBinary(byte[] data) throws IOException {
        sender.message(FrameParser.BINARY, data, 0, data.length, !batched());
    }

    /**
     * @return true when this send may stay unflushed: it comes from the reading thread and the peer's next frame
     *         is already buffered, so the reader will go on without waiting and flush before it waits
     */
    private boolean batched() {
        return Thread.currentThread() == reader && c.input().available() > 0;
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
            // Read by the reader thread's awaitFrame; a close from another thread is seen at its next wait, or by the
            // send watchdog when the peer leaves it unanswered (dropIfCloseUnanswered).
            closeSentAt = System.nanoTime();
        }
    }

    @Override public boolean isOpen() { return !ended && !closeReceived && !sender.closeSent(); }
    @Override public int closeCode() { return closeCode; }
    @Override public String closeReason() { return closeReason; }
    @Override public String subprotocol() { return subprotocol; }
    @Override public Request request() { return request; }
}
