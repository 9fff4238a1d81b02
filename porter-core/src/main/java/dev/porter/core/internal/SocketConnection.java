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
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one implementation of {@link Connection}: a blocking {@link SocketChannel} used from a virtual thread,
 * with pooled input and output buffers.
 *
 * <p>Unread input lives in {@code in[inPos, inLim)}. Porter's HTTP module parses straight from that array
 * (hence the public fields and the {@code fill} methods); everyone else goes through {@link Connection}.
 * Reads go through the socket adaptor's stream because only it honours {@code SO_TIMEOUT} on a channel.
 *
 * <p>Full duplex: input state ({@code in}, {@code inPos}, {@code inLim}) belongs to the reading thread; output
 * state is guarded by {@code outLock}, so another thread may write while one reads (a chat room delivering
 * messages to a member whose own thread is blocked reading). The one place the two sides meet is giving buffers
 * back to the pool: the reader gives the output buffer back only if it can take {@code outLock} at once and
 * nothing is buffered, and a writer that flushes while the reader waits idle gives it back itself.
 */
public final class SocketConnection implements Connection {

    /** How long a read with nothing buffered keeps its pooled buffer before giving it back and waiting bare. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

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

    /** Guards the output state below; a ReentrantLock, not synchronized, so JDK 21 virtual threads never pin. */
    private final ReentrantLock outLock = new ReentrantLock();
    private ByteBuffer outBuffer;
    private byte[] out;
    private int outLen;

    /** Absolute {@link System#nanoTime()} deadline for every read, or 0 for none (an HTTP header timeout). */
    private long readDeadline;
    private long flushedBytes;
    private volatile long writeStarted;
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
        boolean idle = unread == 0 && !midMessage;
        // Never wait for the next message while holding output the peer may be waiting for. Inside a message
        // (e.g. a request body) output is held: answering before the message is complete is the caller's choice.
        if (idle) flushPending();
        long timeout = idle ? idleNanos : config.readTimeout().toNanos();
        if (readDeadline != 0) {
            long left = readDeadline - System.nanoTime();
            if (left <= 0) throw timeout("read deadline passed");
            timeout = Math.min(timeout, left);
        }
        int n;
        if (idle) {
            state = IDLE;
            try {
                if (isDraining()) return false;
                n = unread == 0 && timeout > LINGER_NANOS ? idleRead(timeout) : timedRead(in, inLim, in.length - inLim, timeout);
            } finally {
                state = BUSY;
            }
        } else {
            n = timedRead(in, inLim, in.length - inLim, timeout);
        }
        if (n < 0) return false;
        inLim += n;
        return true;
    }

    /** Reads with nothing buffered: after a short linger the buffers go back to the pool during the wait. */
    private int idleRead(long timeout) throws IOException {
        try {
            return timedRead(in, inLim, in.length - inLim, LINGER_NANOS);
        } catch (SocketTimeoutException lingerOver) {
            // Expected: the peer is quiet. Wait without holding pooled memory.
            if (closed) throw lingerOver;
        }
        releaseBuffers();
        byte[] one = new byte[1];
        int n;
        try {
            n = timedRead(one, 0, 1, timeout - LINGER_NANOS);
        } catch (SocketTimeoutException e) {
            // Report the whole silence, linger included, as the idle timeout the user configured.
            throw timeout("no data for " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms");
        }
        if (n < 0) return n;
        takeInputBuffer();
        in[0] = one[0];
        inPos = 0;
        inLim = 0;
        int more = socketIn.available();
        if (more > 0) {
            int m = socketIn.read(in, 1, Math.min(more, in.length - 1));
            return 1 + Math.max(m, 0);
        }
        return 1;
    }

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
                return timedRead(dst, off, len, deadlineBounded(config.readTimeout().toNanos()));
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
        flushPending();
        if (in == null) takeInputBuffer();
        // Everything buffered was consumed: start over at the front, so the read below has room (a read into a
        // full buffer would return 0 and wrongly report input).
        inPos = inLim = 0;
        state = IDLE;
        try {
            if (isDraining()) return false;
            int n = timedRead(in, inLim, in.length - inLim, Math.min(linger.toNanos(), idleNanos));
            if (n > 0) inLim += n;
            return true;
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

    // ---- output --------------------------------------------------------------------------------------------

    /**
     * @return the output array, taken from the pool on first use; bytes go at {@link #outLength()}. This and
     *         {@link #advanceOutput} skip the output lock: use them only where one thread both reads and writes
     *         (Porter's HTTP module), never alongside a second writing thread.
     */
    public byte[] outputArray() {
        if (out == null) {
            if (pool != null) {
                outBuffer = pool.acquire();
                out = outBuffer.array();
            } else {
                outBuffer = ByteBuffer.allocate(BufferPool.BUFFER_SIZE);
                out = outBuffer.array();
            }
        }
        return out;
    }

    /** @return bytes buffered for output */
    public int outLength() {
        return outLen;
    }

    /** Marks {@code n} more bytes of {@link #outputArray()} as buffered (the caller wrote them there). */
    public void advanceOutput(int n) {
        outLen += n;
    }

    @Override
    public void write(byte[] src, int off, int len) throws IOException {
        outLock.lock();
        try {
            bufferOrSend(src, off, len);
        } finally {
            outLock.unlock();
        }
    }

    private void bufferOrSend(byte[] src, int off, int len) throws IOException {
        byte[] o = outputArray();
        if (len <= o.length - outLen) {
            System.arraycopy(src, off, o, outLen, len);
            outLen += len;
            return;
        }
        sendBuffered();
        if (len >= o.length / 2) {
            writeFully(ByteBuffer.wrap(src, off, len));
        } else {
            System.arraycopy(src, off, o, 0, len);
            outLen = len;
        }
    }

    @Override
    public void writeLine(String line) throws IOException {
        byte[] b = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
    }

    @Override
    public void writeFrame(byte[] payload) throws IOException {
        if (payload.length > config.maxFrameSize()) {
            throw new IllegalArgumentException("frame of " + payload.length + " bytes is over the limit of "
                    + config.maxFrameSize() + " bytes");
        }
        int n = payload.length;
        byte[] header = {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        outLock.lock(); // header and payload stay together even with other writers
        try {
            bufferOrSend(header, 0, 4);
            bufferOrSend(payload, 0, n);
        } finally {
            outLock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        outLock.lock();
        try {
            sendBuffered();
            // A writer on another thread while the reader waits idle: nobody needs the buffer until the next write.
            if (state == IDLE) releaseOutput();
        } finally {
            outLock.unlock();
        }
    }

    /**
     * Before a wait for input: sends buffered output, unless another thread is writing right now (a full-duplex
     * writer flushes its own output; waiting for its lock here would make this reader wait on a slow peer).
     */
    private void flushPending() throws IOException {
        if (outLen > 0 && outLock.tryLock()) { // outLen read unlocked: only a hint, rechecked under the lock
            try {
                sendBuffered();
            } finally {
                outLock.unlock();
            }
        }
    }

    /** Sends what is buffered; the caller holds {@code outLock}. */
    private void sendBuffered() throws IOException {
        if (outLen == 0) return;
        outBuffer.limit(outLen).position(0);
        try {
            writeFully(outBuffer);
        } finally {
            outLen = 0;
            outBuffer.clear();
        }
    }

    /** @return bytes handed to the socket so far (tells whether buffered output was sent since a mark) */
    public long flushedBytes() {
        return flushedBytes;
    }

    /**
     * Discards buffered output from {@code length} on (output not yet flushed can be replaced). Like
     * {@link #outputArray()}, only for a connection that one thread both reads and writes.
     */
    public void truncateOutput(int length) {
        if (length < 0 || length > outLen) throw new IllegalArgumentException("bad output length " + length);
        outLen = length;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        flushedBytes += b.remaining();
        writeStarted = System.nanoTime() | 1;
        try {
            while (b.hasRemaining()) channel.write(b);
        } finally {
            writeStarted = 0;
        }
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        outLock.lock();
        try {
            return transfer(file, position, count);
        } finally {
            outLock.unlock();
        }
    }

    private long transfer(FileChannel file, long position, long count) throws IOException {
        sendBuffered();
        long sent = 0;
        while (sent < count) {
            writeStarted = System.nanoTime() | 1;
            long n;
            try {
                n = file.transferTo(position + sent, count - sent, channel);
            } finally {
                writeStarted = 0;
            }
            if (n > 0) {
                sent += n;
                flushedBytes += n;
                continue;
            }
            if (position + sent >= file.size()) break;
            // transferTo returned 0 with bytes left: the socket buffer is full and (on JDK 25, from a virtual
            // thread) transferTo does not park. A buffered write parks until the socket drains; then retry.
            sent += copyChunk(file, position + sent, count - sent);
        }
        return sent;
    }

    private long copyChunk(FileChannel file, long position, long max) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(outputArray());
        b.limit((int) Math.min(b.capacity(), max));
        int n = file.read(b, position);
        if (n <= 0) return 0;
        b.flip();
        writeFully(b);
        return n;
    }

    @Override
    public OutputStream outputStream() {
        if (outputView == null) outputView = new ConnectionStreams.Out(this);
        return outputView;
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    @Override
    public void shutdownOutput() throws IOException {
        outLock.lock();
        try {
            sendBuffered();
            channel.shutdownOutput();
        } finally {
            outLock.unlock();
        }
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
        if (outLock.tryLock()) {
            try {
                releaseOutput();
            } finally {
                outLock.unlock();
            }
        }
    }

    /** Gives the output buffer back if nothing unsent is in it; the caller holds {@code outLock}. */
    private void releaseOutput() {
        if (outLen == 0 && out != null) {
            if (pool != null && outBuffer != null) pool.release(outBuffer);
            outBuffer = null;
            out = null;
        }
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

    void checkWriteDeadline(long now) {
        long started = writeStarted;
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
