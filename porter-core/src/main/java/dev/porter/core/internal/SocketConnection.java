package dev.porter.core.internal;

import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.core.ConnectionInfo;
import dev.porter.core.ConnectionState;
import dev.porter.core.InputWatch;
import dev.porter.core.ProxyHeader;
import dev.porter.core.ReadBuffer;
import dev.porter.core.ReadBuffer.Wait;
import dev.porter.core.TlsInfo;
import dev.porter.core.WriteBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLEngine;

/**
 * The one implementation of {@link Connection}: a blocking {@link SocketChannel} used from a virtual thread. It
 * wires three parts together and keeps the connection's life cycle: the input side ({@link InputBuffer}, fed by a
 * {@link ByteSource}), the output side ({@link ConnectionOutput}), and the deadlines the {@link Watchdog} enforces.
 * Protocols see only {@link Connection}, {@link ReadBuffer} and {@link WriteBuffer}.
 *
 * <p>Full duplex: input state belongs to the reading thread; output state lives in {@link ConnectionOutput}
 * behind its lock, so another thread may write while one reads (a chat room delivering messages to a member whose
 * own thread is blocked reading). The one place the two sides meet is giving buffers back to the pool: the reader
 * gives the output buffer back only if it can take the output lock at once and nothing is buffered, and a writer
 * that flushes while the reader waits idle gives it back itself.
 */
public final class SocketConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(SocketConnection.class.getName());

    final SocketChannel channel;
    private final ConnectionOwner owner;
    /** The socket's peer. */
    private final InetSocketAddress peer;
    /** The client: the peer, or the one a PROXY protocol header named (set before the protocol runs). */
    private volatile InetSocketAddress remote;
    private final InetSocketAddress local;
    /** The PROXY protocol header read, or null. */
    private volatile ProxyHeader proxyHeader;
    /** True until the PROXY protocol header it must open with was read; set before the first thread starts. */
    boolean awaitsProxyHeader;
    private final ConnectionConfig config;
    private final SocketSource source;
    /** TLS beneath the buffers, or null for plaintext. */
    private final TlsTransport tls;
    private final InputBuffer input;
    private final ConnectionOutput output;
    /** A wait for input without a timer, as the watchdog sees it. */
    private final WatchedWait watched = new WatchedWait();
    private final LongRead longRead = new LongRead();
    private long idleNanos;
    /** True while the reading thread waits for a new message (a graceful stop may cut that wait short). */
    private volatile boolean idle;
    private volatile boolean closed;
    /** Set by the protocol ({@link #parkUntilReadable}), read and cleared by the {@link AcceptLoop}. */
    boolean parkRequested;
    /** When a parked connection expires; kept by the {@link IdlePoller}. */
    long parkDeadline;
    /** The thread running the protocol for this connection, or null while parked; stop() interrupts it. */
    volatile Thread thread;
    /** The server's number for this connection (0 for a client's), set once before its thread starts. */
    long id;
    /** When it was accepted, for the status view: one clock read per connection. */
    private final long sinceMillis = System.currentTimeMillis();
    /**
     * What the protocol is busy with ({@link #activity(Object)}), or null. A plain field: written on the hot path
     * (twice per HTTP request), read only by a snapshot, which may see it a moment late.
     */
    private Object activity;

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
        this(channel, config, pool, owner, null);
    }

    /**
     * @param engine TLS beneath this connection (run {@link #handshake} before the protocol), or null for plaintext
     */
    public SocketConnection(SocketChannel channel, ConnectionConfig config, BufferPool pool, ConnectionOwner owner,
                            SSLEngine engine) throws IOException {
        this.channel = channel;
        this.owner = owner;
        this.peer = (InetSocketAddress) channel.getRemoteAddress();
        this.remote = peer;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.config = config;
        this.idleNanos = config.idleTimeout().toNanos();
        this.source = new SocketSource(channel.socket(), peer);
        this.tls = engine == null ? null : new TlsTransport(engine, source, channel);
        this.input = new InputBuffer(this, tls != null ? tls : source, pool);
        this.output = new ConnectionOutput(tls != null ? tls : new ByteSink.Plain(channel), pool);
        Watchdog.watch(this);
    }

    @Override public InetSocketAddress remoteAddress() { return remote; }
    @Override public InetSocketAddress peerAddress() { return peer; }
    @Override public Optional<ProxyHeader> proxyHeader() { return Optional.ofNullable(proxyHeader); }
    @Override public InetSocketAddress localAddress() { return local; }
    @Override public ConnectionConfig config() { return config; }
    @Override public Optional<TlsInfo> tls() { return tls == null ? Optional.empty() : Optional.ofNullable(tls.info()); }
    @Override public boolean isOpen() { return !closed && channel.isOpen(); }
    @Override public boolean isDraining() { return owner != null && owner.draining(); }
    @Override public boolean timedOut() { return source.timedOut(); }
    @Override public boolean writeFailed() { return output.failed(); }
    @Override public ReadBuffer input() { return input; }
    @Override public WriteBuffer output() { return output; }
    @Override public void attach(Object a) { attachment = a; }
    @Override public Object attachment() { return attachment; }
    @Override public void activity(Object what) { activity = what; }
    @Override public boolean hasBufferedInput() {
        return input.available() > 0 || source.buffered() || (tls != null && tls.buffered());
    }

    // ---- the PROXY protocol header, read by ProxyAcceptor before TLS and the protocol ----------------------

    /** Reads socket bytes for the header within {@code timeoutNanos}, the connection usable after; -1 at the end. */
    int readForProxyHeader(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        return source.readWithin(dst, off, len, timeoutNanos);
    }

    /** The header was read: it names the client (if it names one); the bytes read past it go to the next reader. */
    void proxied(ProxyHeader header, byte[] after, int off, int len) {
        awaitsProxyHeader = false;
        proxyHeader = header;
        if (header.hasAddresses()) remote = header.source();
        if (len > 0) source.unread(after, off, len);
    }

    /** @return true for a TLS connection whose handshake has not completed yet */
    public boolean needsHandshake() {
        return tls != null && tls.info() == null;
    }

    /**
     * Runs the TLS handshake (on the thread that will run the conversation).
     *
     * @param plaintextReply what to answer a client speaking plaintext to a server's TLS port, or null
     * @throws javax.net.ssl.SSLException       if the handshake failed (not TLS, no shared protocol or cipher,
     *                                          an untrusted certificate)
     * @throws java.net.SocketTimeoutException if it did not complete within {@code timeoutNanos}
     */
    public void handshake(long timeoutNanos, String plaintextReply) throws IOException {
        tls.handshake(timeoutNanos, plaintextReply);
    }

    /**
     * As {@link #handshake(long, String)}, holding one of {@code slots} only while the handshake computes, and its
     * delegated tasks on {@code pool} (null: on this thread).
     */
    void handshake(long timeoutNanos, String plaintextReply, java.util.concurrent.Semaphore slots, TlsTaskPool pool)
            throws IOException {
        tls.handshake(timeoutNanos, plaintextReply, slots, pool);
    }

    @Override
    public void setIdleTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("idle timeout must be positive: " + timeout);
        idleNanos = timeout.toNanos();
    }

    // ---- what the input side asks of the connection --------------------------------------------------------

    /** @return this connection's idle timeout in nanoseconds (the server's, unless {@link #setIdleTimeout} changed it) */
    long idleNanos() {
        return idleNanos;
    }

    /** @return true for a server's connection, whose idle waits give the pooled buffers back */
    boolean parksWhenIdle() {
        return owner != null;
    }

    void idle(boolean waiting) {
        idle = waiting;
    }

    void flushPending() throws IOException {
        output.flushPending();
    }

    SocketTimeoutException readTimeout(String why) {
        return source.timeout(why);
    }

    // ---- reading (framings in Framing, bytes in InputBuffer) -----------------------------------------------

    @Override
    public int read() throws IOException {
        if (input.available() == 0 && !input.fill(Wait.NEXT_MESSAGE, Integer.MAX_VALUE)) return -1;
        return input.take();
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        return input.read(dst, off, len, Wait.NEXT_MESSAGE);
    }

    @Override
    public void readFully(byte[] dst) throws IOException {
        Framing.readFully(input, dst);
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
        return Framing.readLine(input, config.maxLineLength());
    }

    @Override
    public byte[] readFrame() throws IOException {
        return Framing.readFrame(input, config.maxFrameSize());
    }

    @Override public void abandonLongReadsWhen(java.util.function.BooleanSupplier abandon) { longRead.ask(abandon); }
    @Override public boolean awaitInput(Duration linger) throws IOException { return input.await(linger, true); }
    @Override public boolean awaitInputWhileBusy(Duration slice) throws IOException { return input.await(slice, false); }
    @Override public boolean awaitInputWatched(InputWatch w) throws IOException { return input.awaitWatched(watched, w); }

    @Override
    public InputStream inputStream() {
        if (inputView == null) inputView = new ConnectionStreams.In(this);
        return inputView;
    }

    // ---- writing (state in ConnectionOutput) ---------------------------------------------------------------

    @Override public void write(byte[] src, int off, int len) throws IOException { output.write(src, off, len); }
    @Override public void send(ByteBuffer... srcs) throws IOException { output.send(srcs); }

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
        output.writeTogether(Framing.frameHeader(payload.length), payload);
    }

    @Override
    public void flush() throws IOException {
        output.flush(idle);
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
            LOG.log(System.Logger.Level.DEBUG, "close failed", e);
        }
    }

    /**
     * Gives the buffers back to the pool: the input buffer if nothing unread is in it, the output buffer if
     * nothing unsent is in it and no other thread is writing right now. Only the reading thread may call this.
     */
    void releaseBuffers() {
        input.release();
        if (tls != null) tls.releaseBuffers();
        // Never wait here: a writer holding the lock is using the buffer, and will give it back when it flushes
        // while this side waits idle.
        output.releaseIfFree();
    }

    /** Drops the idle-read array too: for a connection about to be parked without a thread. */
    void releaseAll() {
        releaseBuffers();
        input.releaseAll();
    }

    /** Called by a graceful stop: a connection waiting idle reads end-of-stream at once. */
    void wakeIfIdle() {
        if (idle) {
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
        long until = source.readingUntil();
        longRead.check(this, until, now);
        if (((until != 0 && now - until > 0) || watched.check(this, now, idleNanos)) && !source.timedOut()) {
            source.markTimedOut();
            try {
                channel.shutdownInput();
            } catch (IOException e) {
                close();
            }
        }
        long started = output.writeStarted();
        if (started != 0 && now - started > config.writeTimeout().toNanos()) {
            source.markTimedOut();
            LOG.log(System.Logger.Level.DEBUG, "write to {0} timed out; closing", peer);
            close();
        }
    }

    /**
     * A snapshot of this connection for {@code Server.connections()}, taken on another thread: every field read
     * here is one the connection keeps anyway, so looking costs the connection nothing.
     *
     * @return the snapshot, or null if the connection is closed
     */
    ConnectionInfo info() {
        if (!isOpen()) return null;
        Object what = activity;
        String label = null;
        if (what != null) {
            try {
                label = what.toString();
            } catch (RuntimeException e) {
                // The protocol's object changed under our feet (it is read without a lock): show no label.
                label = null;
            }
        }
        return new ConnectionInfo(id, remote, Instant.ofEpochMilli(sinceMillis), state(what != null),
                input.bytesIn(), output.flushedBytes(), tls != null, label);
    }

    private ConnectionState state(boolean busy) {
        if (thread == null) return ConnectionState.PARKED;
        if (needsHandshake()) return ConnectionState.HANDSHAKE;
        if (output.writeStarted() != 0) return ConnectionState.WRITING;
        // A wait without a timer is busy only if its protocol says so (an HTTP/2 reader whose streams are running);
        // a WebSocket conversation waiting for a message is idle, though its upgrade request stays its activity.
        if (watched.waiting()) return busy && watched.busy() ? ConnectionState.HANDLING : ConnectionState.IDLE;
        // Waiting for a new message while the protocol says it is busy: an HTTP/2 reader whose streams are running.
        if (idle) return busy ? ConnectionState.HANDLING : ConnectionState.IDLE;
        if (source.readingUntil() != 0) return ConnectionState.READING;
        return busy ? ConnectionState.HANDLING : ConnectionState.READING;
    }

    @Override
    public String toString() {
        return "Connection[" + remote + (remote == peer ? "" : " via " + peer) + " -> " + local + (closed ? ", closed]" : "]");
    }
}
