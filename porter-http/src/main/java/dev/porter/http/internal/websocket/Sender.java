package dev.porter.http.internal.websocket;

import dev.porter.http.internal.ByteStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending side of one WebSocket conversation, a server's or (masking every frame) a client's: frames leave
 * whole and in order under one lock (any thread may send), and a send blocks while the peer does not read. Each
 * message is flushed, except one the reading thread sends while the peer's next frame is already buffered: that
 * one stays in the output buffer, owed, until {@link #flushOwed()} — which the reader calls before it waits for
 * input — or any later flush. A burst of frames is so answered with one write, as HTTP/1.1 answers pipelined
 * requests. The {@link SendWatchdog} drops the connection when one send takes longer than the send
 * timeout. Messages are sent in frames of at most 64 KiB, compressed when permessage-deflate was agreed (the
 * deflater's context follows the order of sending, which the lock makes the order on the wire).
 */
final class Sender {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.WebSocket");
    /** The largest frame sent: larger messages leave in fragments of this size. */
    static final int FRAGMENT = 64 * 1024;
    /** The longest text sent through {@link #shortText}: ASCII that fits a frame with a 2-byte header (§5.2). */
    private static final int SHORT_TEXT = 125;

    private final ByteStream c;
    private final FrameWriter.Output out;
    private final FrameWriter writer;
    private final PerMessageDeflate deflate;
    private final long timeoutNanos;
    private final boolean masking;
    /** A short text frame, header and payload, built in place (under the lock); allocated at the first one. */
    private byte[] shortFrame;
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link System#nanoTime()} (odd, never 0) when the send in progress began, or 0. */
    private volatile long started;
    private volatile boolean closeSent;
    private volatile boolean timedOut;
    /** The pings of a server's timerless wait, ticked with each look of the watchdog; or null. */
    private volatile PingWatch keepAlive;
    /** A message was buffered without a flush ({@link #message} with {@code flush} false); the reader's field. */
    private boolean owed;

    /** Told why, when a send failed and the connection was closed. */
    private final java.util.function.Consumer<String> onFailure;

    Sender(ByteStream c, PerMessageDeflate deflate, long timeoutNanos, java.util.function.Consumer<String> onFailure) {
        this(c, deflate, timeoutNanos, onFailure, null);
    }

    /**
     * @param maskKeys the source of a fresh masking key per frame for a client's sender (RFC 6455 §5.3), or null
     *                 for a server's (frames unmasked, §5.1)
     */
    Sender(ByteStream c, PerMessageDeflate deflate, long timeoutNanos, java.util.function.Consumer<String> onFailure,
           java.util.random.RandomGenerator maskKeys) {
        this.c = c;
        this.writer = new FrameWriter(maskKeys);
        this.onFailure = onFailure;
        this.out = c::write;
        this.deflate = deflate;
        this.timeoutNanos = timeoutNanos;
        this.masking = maskKeys != null;
    }

    /** Sends a text message (flushed as {@link #message} says). */
    void text(String text, boolean flush) throws IOException {
        if (text.length() <= SHORT_TEXT && deflate == null && !masking && shortText(text, flush)) return;
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        message(FrameParser.TEXT, b, 0, b.length, flush);
    }

    /**
     * A short ASCII text of a server's, uncompressed, goes out as one frame built in place: no array per message
     * for its UTF-8 (ASCII is its own UTF-8), and one write for header and payload.
     *
     * @return false if the text is not ASCII (nothing was sent)
     */
    private boolean shortText(String text, boolean flush) throws IOException {
        lock.lock();
        try {
            if (closeSent) throw new IOException("the WebSocket is closed");
            byte[] f = shortFrame != null ? shortFrame : (shortFrame = new byte[2 + SHORT_TEXT]);
            int n = text.length();
            for (int i = 0; i < n; i++) {
                char ch = text.charAt(i);
                if (ch >= 0x80) return false;
                f[2 + i] = (byte) ch;
            }
            begin();
            FrameWriter.header(f, 0, true, false, FrameParser.TEXT, n, false, 0);
            c.write(f, 0, 2 + n);
            if (flush) c.flush();
            else owed = true;
            return true;
        } catch (IOException e) {
            throw failed(e);
        } finally {
            started = 0;
            lock.unlock();
        }
    }

    /**
     * Sends one data message (TEXT or BINARY).
     *
     * @param flush false only on the reading thread, with more input buffered: the message is then owed, sent by
     *              {@link #flushOwed()} before the reader waits (or by any flush before that)
     * @throws IOException if closing, closed, or the send failed
     */
    void message(int opcode, byte[] b, int off, int len, boolean flush) throws IOException {
        lock.lock();
        try {
            if (closeSent) throw new IOException("the WebSocket is closed");
            begin();
            if (deflate != null) {
                int n = deflate.compress(b, off, len);
                frames(opcode, true, deflate.compressed(), 0, n);
            } else {
                frames(opcode, false, b, off, len);
            }
            if (flush) c.flush();
            else owed = true;
        } catch (IOException e) {
            throw failed(e);
        } finally {
            started = 0;
            lock.unlock();
        }
    }

    /**
     * Writes one message as frames of at most {@value #FRAGMENT} bytes (§5.4). A peer's frame limit is commonly
     * its message limit (16 MiB by default here), and deflate makes an incompressible message a little longer: a
     * 16 MiB message sent whole, compressed, would be refused. RSV1 marks only the first frame (RFC 7692 §6.1).
     */
    private void frames(int opcode, boolean compressed, byte[] b, int off, int len) throws IOException {
        int done = 0;
        do {
            int n = Math.min(FRAGMENT, len - done);
            boolean first = done == 0;
            writer.write(out, done + n == len, compressed && first, first ? opcode : FrameParser.CONTINUATION, b, off + done, n);
            done += n;
        } while (done < len);
    }

    /** Sends what {@link #message} left owed, if anything: the reading thread's, before it waits for input. */
    void flushOwed() throws IOException {
        if (!owed) return;
        owed = false;
        lock.lock();
        try {
            begin();
            c.flush();
        } catch (IOException e) {
            throw failed(e);
        } finally {
            started = 0;
            lock.unlock();
        }
    }

    /** Sends a Ping or Pong. @return false if a Close was already sent (nothing may follow it, §5.5.1) */
    boolean control(int opcode, byte[] payload, int len) throws IOException {
        return controlFrame(opcode, payload, len);
    }

    /** Sends the Close frame. @return false if one was already sent */
    boolean close(byte[] payload) throws IOException {
        return controlFrame(FrameParser.CLOSE, payload, payload.length);
    }

    /** One control frame, whole; a Close is the last frame sent. @return false if a Close was already sent */
    private boolean controlFrame(int opcode, byte[] payload, int len) throws IOException {
        lock.lock();
        try {
            if (closeSent) return false;
            if (opcode == FrameParser.CLOSE) closeSent = true;
            begin();
            writer.write(out, true, false, opcode, payload, 0, len);
            c.flush();
            return true;
        } catch (IOException e) {
            throw failed(e);
        } finally {
            started = 0;
            lock.unlock();
        }
    }

    /** At the conversation's end: no more sends, and the compressor's native memory is freed. */
    void release() {
        lock.lock();
        try {
            closeSent = true;
            if (deflate != null) deflate.close();
        } finally {
            lock.unlock();
        }
    }

    boolean closeSent() {
        return closeSent;
    }

    /** @return true if the watchdog dropped the connection */
    boolean timedOut() {
        return timedOut;
    }

    private void begin() {
        started = System.nanoTime() | 1;
    }

    /** A failed write leaves a frame half sent: the connection cannot be used any more. */
    private IOException failed(IOException e) {
        c.close();
        IOException reported = timedOut
                ? new IOException("send timed out: the peer did not read for " + timeoutNanos / 1_000_000 + " ms", e) : e;
        onFailure.accept(reported.getMessage());
        return reported;
    }

    /** @param watch the session's timerless wait, whose pings the send watchdog's looks drive; or null */
    void keepAlive(PingWatch watch) {
        keepAlive = watch;
    }

    /**
     * Called by the watchdog: drops the connection if the send in progress began too long ago, and lets a waiting
     * session's {@link PingWatch} send a due ping.
     */
    void checkTimeout(long now) {
        PingWatch k = keepAlive;
        if (k != null) k.tick(now);
        long s = started;
        if (s != 0 && now - s > timeoutNanos && !timedOut) {
            timedOut = true;
            LOG.log(System.Logger.Level.INFO, "WebSocket to {0} dropped: a send took longer than {1} ms",
                    c.remoteAddress(), timeoutNanos / 1_000_000);
            c.close();
        }
    }
}
