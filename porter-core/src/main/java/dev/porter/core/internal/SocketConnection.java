package dev.porter.core.internal;

import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.core.FramingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;


/**
 * The one implementation of {@link Connection}: a blocking {@link SocketChannel} used from a virtual thread,
 * with pooled input and output buffers.
 *
 * <p>Unread input lives in {@code in[inPos, inLim)}. Porter's HTTP module parses straight from that array
 * (hence the public fields and the {@code fill} methods); everyone else goes through {@link Connection}.
 * Reads go through the socket adaptor's stream because only it honours {@code SO_TIMEOUT} on a channel, which
 * {@link #awaitInput} needs; every other read is untimed and bounded by the {@link Watchdog}.
 *
 * <p>Full duplex: input state ({@code in}, {@code inPos}, {@code inLim}) belongs to the reading thread; output
 * state lives in {@link ConnectionOutput} behind its lock, so another thread may write while one reads (a chat room delivering
 * messages to a member whose own thread is blocked reading). The one place the two sides meet is giving buffers
 * back to the pool: the reader gives the output buffer back only if it can take the output lock at once and
 * nothing is buffered, and a writer that flushes while the reader waits idle gives it back itself.
 */
public final class SocketConnection implements Connection {

    /** Size of the private array idle reads land in: holds a typical request head without a pooled buffer. */
    static final int IDLE_BUFFER_SIZE = 1024;

    private static final int BUSY = 0;
    private static final int IDLE = 1;

    final SocketChannel channel;
    private final Socket socket;
    private final InputStream socketIn;
    private final BufferPool pool;
    private final ConnectionOwner owner;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private ConnectionConfig config;
    private long idleNanos;
    private int soTimeoutMillis = -1;

    /** Unread input is {@code in[inPos, inLim)}; {@code in} is null while nothing is held. */
    public byte[] in;
    public int inPos;
    public int inLim;
    private ByteBuffer inBuffer;

    private final ConnectionOutput output;
    /** Where an idle read lands, so a quiet connection holds no pooled buffer; allocated on first idle read. */
    private byte[] idleBuffer;

    /** Absolute {@link System#nanoTime()} deadline for every read, or 0 for none (an HTTP header timeout). */
    private long readDeadline;
    /** Deadline of the blocking read in progress, enforced by the {@link Watchdog}; 0 when not reading. */
    private volatile long readingUntil;
    private volatile int state = BUSY;
    private volatile boolean closed;
    private volatile boolean timedOut;
    boolean parkRequested;
    long parkDeadline;
    /** The thread running the protocol for this connection, or null while parked; stop() interrupts it. */
    volatile Thread thread;

    private Object attachment;
    private InputStream inputView;
    private OutputStream outputView;

    /**
     * @param channel a connected channel in blocking mode
     * @param pool    where buffers come from, or null to allocate privately (client connections)
     * @param owner   the accepting server, or null
     */
    public SocketConnection(SocketChannel channel, ConnectionConfig config, BufferPool pool, ConnectionOwner owner)
            throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        this.socketIn = socket.getInputStream();
        this.pool = pool;
        this.owner = owner;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.config = config;
        this.idleNanos = config.idleTimeout().toNanos();
        this.output = new ConnectionOutput(channel, pool);
        Watchdog.watch(this);
    }

    @Override public InetSocketAddress remoteAddress() { return remote; }
    @Override public InetSocketAddress localAddress() { return local; }
    @Override public ConnectionConfig config() { return config; }
    @Override public boolean isOpen() { return !closed && channel.isOpen(); }
    @Override public boolean isDraining() { return owner != null && owner.draining(); }
    @Override
    public void setIdleTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("idle timeout must be positive: " + timeout);
        idleNanos = timeout.toNanos();
    }

    @Override public void attach(Object a) { attachment = a; }
    @Override public Object attachment() { return attachment; }

    @Override public boolean hasBufferedInput() { return inPos < inLim; }

    /** @return this connection's idle timeout in nanoseconds (the server's, unless {@link #setIdleTimeout} changed it) */
    long idleNanos() {
        return idleNanos;
    }

    /** @return buffered unread bytes */
    public int buffered() {
        return inLim - inPos;
    }

    /** Bounds every following read by an absolute {@link System#nanoTime()} deadline; 0 removes it. */
    public void setReadDeadline(long nanoTime) {
        readDeadline = nanoTime;
    }

    /** @return true if the last failure was a timeout enforced by Porter (read deadline or write timeout) */
    public boolean timedOut() {
        return timedOut;
    }

    // ---- input ---------------------------------------------------------------------------------------------

    /**
     * Reads more bytes into {@code in} after {@code inLim}, compacting or growing the buffer up to
     * {@code maxBuffered} unread bytes.
     *
     * @param midMessage true inside a message (read timeout), false at a message start (idle timeout)
     * @return false at end of stream
     * @throws IllegalStateException if {@code maxBuffered} unread bytes are already held (caller checks first)
     */
    public boolean fill(boolean midMessage, int maxBuffered) throws IOException {
        boolean idle = inPos == inLim && !midMessage;
        // Never wait for the next message while holding output the peer may be waiting for. Inside a message
        // (e.g. a request body) output is held: answering before the message is complete is the caller's choice.
        if (idle) output.flushPending();
        long timeout = deadlineBounded(idle ? idleNanos : config.readTimeout().toNanos());
        if (idle && owner != null) return idleFill(timeout);
        if (in == null) takeInputBuffer();
        int unread = inLim - inPos;
        if (inLim == in.length) {
            if (inPos > 0) {
                System.arraycopy(in, inPos, in, 0, unread);
            } else {
                if (unread >= maxBuffered) throw new IllegalStateException("buffer limit reached");
                grow(Math.min(Math.max(in.length * 2, 1024), Math.max(maxBuffered, in.length + 1)));
            }
            inPos = 0;
            inLim = unread;
        }
        int n = read(in, inLim, in.length - inLim, timeout);
        if (n < 0) return false;
        inLim += n;
        return true;
    }

    /**
     * Waits for the start of a message with nothing unread: the pooled buffers go back to the pool first and the
     * bytes land in a small private array, so a quiet connection holds no pooled memory however long it waits.
     */
    private boolean idleFill(long timeout) throws IOException {
        releaseBuffers();
        if (idleBuffer == null) idleBuffer = new byte[IDLE_BUFFER_SIZE];
        int n;
        state = IDLE;
        try {
            if (isDraining()) return false;
            n = read(idleBuffer, 0, idleBuffer.length, timeout);
        } finally {
            state = BUSY;
        }
        if (n < 0) return false;
        takeInputBuffer();
        System.arraycopy(idleBuffer, 0, in, 0, n);
        inLim = n;
        return true;
    }

    /**
     * A blocking read without {@code SO_TIMEOUT}: on a virtual thread a timed read costs a timer task per read
     * (about a third of the CPU of a small HTTP request here), so the {@link Watchdog} enforces the deadline
     * instead, by shutting the input down; the read then sees end-of-stream and this reports the timeout.
     */
    private int read(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        if (soTimeoutMillis != 0) {
            socket.setSoTimeout(0);
            soTimeoutMillis = 0;
        }
        readingUntil = (System.nanoTime() + timeoutNanos) | 1;
        int n;
        try {
            n = socketIn.read(dst, off, len);
        } catch (IOException e) {
            if (timedOut) throw timeout(timeoutNanos);
            throw e;
        } finally {
            readingUntil = 0;
        }
        if (n < 0 && timedOut) throw timeout(timeoutNanos);
        return n;
    }

    private SocketTimeoutException timeout(long timeoutNanos) {
        return timeout("no data for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    /** A read bounded by {@code SO_TIMEOUT}: only for {@link #awaitInput}, which must end without closing. */
    private int timedRead(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        if (millis != soTimeoutMillis) {
            socket.setSoTimeout(millis);
            soTimeoutMillis = millis;
        }
        try {
            return socketIn.read(dst, off, len);
        } catch (SocketTimeoutException e) {
            throw timeout("no data for " + millis + " ms");
        }
    }

    private SocketTimeoutException timeout(String why) {
        return new SocketTimeoutException("read from " + remote + " timed out: " + why);
    }

    private void takeInputBuffer() {
        if (pool != null) {
            inBuffer = pool.acquire();
            in = inBuffer.array();
        } else {
            in = new byte[BufferPool.BUFFER_SIZE];
        }
        inPos = inLim = 0;
    }

    private void grow(int size) {
        byte[] bigger = new byte[size];
        System.arraycopy(in, inPos, bigger, 0, inLim - inPos);
        inLim -= inPos;
        inPos = 0;
        if (pool != null) pool.release(inBuffer);
        inBuffer = null;
        in = bigger;
    }

    @Override
    public int read() throws IOException {
        if (inPos == inLim && !fill(false, Integer.MAX_VALUE)) return -1;
        return in[inPos++] & 0xFF;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        return readSome(dst, off, len, false);
    }

    /** Like {@link #read(byte[], int, int)}; {@code midMessage} selects the read timeout over the idle one. */
    public int readSome(byte[] dst, int off, int len, boolean midMessage) throws IOException {
        if (len == 0) return 0;
        if (inPos == inLim) {
            if (in == null && midMessage && len >= 4096) {
                // A large body read with nothing buffered: straight into the caller's array.
                return read(dst, off, len, deadlineBounded(config.readTimeout().toNanos()));
            }
            if (!fill(midMessage, Integer.MAX_VALUE)) return -1;
        }
        int n = Math.min(len, inLim - inPos);
        System.arraycopy(in, inPos, dst, off, n);
        inPos += n;
        return n;
    }

    private long deadlineBounded(long timeout) throws SocketTimeoutException {
        if (readDeadline == 0) return timeout;
        long left = readDeadline - System.nanoTime();
        if (left <= 0) throw timeout("read deadline passed");
        return Math.min(left, timeout);
    }

    @Override
    public void readFully(byte[] dst) throws IOException {
        int got = 0;
        while (got < dst.length) {
            int n = readSome(dst, got, dst.length - got, got > 0);
            if (n < 0) throw new FramingException.Truncated("message", got, dst.length);
            got += n;
        }
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("negative length: " + n);
        byte[] b = new byte[n];
        readFully(b);
        return b;
    }

    @Override
    public String readLine() throws IOException {
        int max = config.maxLineLength();
        int scanned = 0;
        while (true) {
            for (int i = inPos + scanned; i < inLim; i++) {
                if (in[i] == '\n') {
                    int end = i > inPos && in[i - 1] == '\r' ? i - 1 : i;
                    if (end - inPos > max) throw new FramingException.LineTooLong(max);
                    String line = new String(in, inPos, end - inPos, StandardCharsets.UTF_8);
                    inPos = i + 1;
                    return line;
                }
            }
            scanned = inLim - inPos;
            if (scanned > max + 1) throw new FramingException.LineTooLong(max);
            if (!fill(scanned > 0, max + 2)) {
                if (scanned == 0) return null;
                throw new FramingException.Truncated("line after " + scanned + " bytes without a line end");
            }
        }
    }

    @Override
    public byte[] readFrame() throws IOException {
        byte[] header = new byte[4];
        for (int got = 0; got < 4; ) {
            // Waiting for a frame's first byte is idle time; once it started, the read timeout applies.
            int n = readSome(header, got, 4 - got, got > 0);
            if (n < 0) {
                if (got == 0) return null;
                throw new FramingException.Truncated("frame header", got, 4);
            }
            got += n;
        }
        long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        if (length > config.maxFrameSize()) throw new FramingException.FrameTooLarge(length, config.maxFrameSize());
        byte[] payload = new byte[(int) length];
        int got = 0;
        while (got < payload.length) {
            int n = readSome(payload, got, payload.length - got, true);
            if (n < 0) throw new FramingException.Truncated("frame", got, length);
            got += n;
        }
        return payload;
    }

    @Override
    public boolean awaitInput(Duration linger) throws IOException {
        if (inPos < inLim) return true;
        output.flushPending();
        releaseBuffers();
        if (idleBuffer == null) idleBuffer = new byte[IDLE_BUFFER_SIZE];
        state = IDLE;
        try {
            if (isDraining()) return false;
            int n = timedRead(idleBuffer, 0, idleBuffer.length, Math.min(linger.toNanos(), idleNanos));
            if (n > 0) {
                takeInputBuffer();
                System.arraycopy(idleBuffer, 0, in, 0, n);
                inLim = n;
            }
            return true; // n < 0: end of stream, which the next read reports
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            state = BUSY;
        }
    }

    @Override
    public InputStream inputStream() {
        if (inputView == null) inputView = new ConnectionStreams.In(this);
        return inputView;
    }

    // ---- output (state in ConnectionOutput) ----------------------------------------------------------------

    /**
     * @return the output array, taken from the pool on first use; bytes go at {@link #outLength()}. This,
     *         {@link #advanceOutput} and {@link #truncateOutput} skip the output lock: use them only where one
     *         thread both reads and writes (Porter's HTTP module), never alongside a second writing thread.
     */
    public byte[] outputArray() {
        return output.array();
    }

    /** @return bytes buffered for output */
    public int outLength() {
        return output.length;
    }

    /** Marks {@code n} more bytes of {@link #outputArray()} as buffered (the caller wrote them there). */
    public void advanceOutput(int n) {
        output.advance(n);
    }

    /** Discards buffered output from {@code length} on (output not yet flushed can be replaced). */
    public void truncateOutput(int length) {
        output.truncate(length);
    }

    /** @return bytes handed to the socket so far (tells whether buffered output was sent since a mark) */
    public long flushedBytes() {
        return output.flushedBytes;
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        output.write(src, off, len);
    }

    @Override
    public void writeLine(String line) throws IOException {
        byte[] b = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        output.write(b, 0, b.length);
    }

    @Override
    public void writeFrame(byte[] payload) throws IOException {
        if (payload.length > config.maxFrameSize()) {
            throw new IllegalArgumentException("frame of " + payload.length + " bytes is over the limit of "
                    + config.maxFrameSize() + " bytes");
        }
        int n = payload.length;
        byte[] header = {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        output.lock.lock(); // header and payload stay together even with other writers
        try {
            output.bufferOrSend(header, 0, 4);
            output.bufferOrSend(payload, 0, n);
        } finally {
            output.lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        output.flush(state == IDLE);
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        return output.transfer(file, position, count);
    }

    @Override
    public OutputStream outputStream() {
        if (outputView == null) outputView = new ConnectionStreams.Out(this);
        return outputView;
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    @Override
    public void shutdownOutput() throws IOException {
        output.shutdown();
    }

    @Override
    public void parkUntilReadable() {
        parkRequested = owner != null;
    }

    @Override
    public void close() {
        closed = true;
        Watchdog.unwatch(this);
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket fails only if the OS lost it already; nothing is left to release.
            System.getLogger(SocketConnection.class.getName()).log(System.Logger.Level.DEBUG, "close failed", e);
        }
    }

    /**
     * Gives the buffers back to the pool: the input buffer if nothing unread is in it, the output buffer if
     * nothing unsent is in it and no other thread is writing right now. Only the reading thread may call this.
     */
    public void releaseBuffers() {
        if (inPos == inLim) {
            if (pool != null && inBuffer != null) pool.release(inBuffer);
            inBuffer = null;
            in = null;
            inPos = inLim = 0;
        }
        // Never wait here: a writer holding the lock is using the buffer, and will give it back when it flushes
        // while this side waits idle.
        output.releaseIfFree();
    }

    /** Drops the idle-read array too: for a connection about to be parked without a thread. */
    void releaseAll() {
        releaseBuffers();
        idleBuffer = null;
    }

    /** Called by a graceful stop: a connection waiting idle reads end-of-stream at once. */
    void wakeIfIdle() {
        if (state == IDLE) {
            try {
                channel.shutdownInput();
            } catch (IOException e) {
                close();
            }
        }
    }

    /**
     * Called by the {@link Watchdog}. A read past its deadline gets end-of-stream (input shut down) and reports a
     * timeout; the output stays usable so a protocol can still answer (an HTTP 408). A write past the write
     * timeout closes the connection: the peer does not read, nothing more can be said.
     */
    void checkDeadlines(long now) {
        long until = readingUntil;
        if (until != 0 && now - until > 0 && !timedOut) {
            timedOut = true;
            try {
                channel.shutdownInput();
            } catch (IOException e) {
                close();
            }
        }
        long started = output.writeStarted;
        if (started != 0 && now - started > config.writeTimeout().toNanos()) {
            timedOut = true;
            System.getLogger(SocketConnection.class.getName()).log(System.Logger.Level.DEBUG,
                    "write to {0} timed out; closing", remote);
            close();
        }
    }

    @Override
    public String toString() {
        return "Connection[" + remote + " -> " + local + (closed ? ", closed]" : "]");
    }
}
