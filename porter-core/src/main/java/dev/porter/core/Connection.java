package dev.porter.core;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;

/**
 * One client socket: the server's end of a conversation (handed to a {@link Protocol}) or the client's end
 * (from {@link Client#connect}).
 *
 * <p>Reads and writes are buffered and block the calling (virtual) thread. Input waits are bounded: a read that
 * starts with nothing buffered waits at most {@link ConnectionConfig#idleTimeout()}, a read inside a line or
 * frame at most {@link ConnectionConfig#readTimeout()}; a write that cannot progress for
 * {@link ConnectionConfig#writeTimeout()} closes the connection. A timeout raises
 * {@link java.net.SocketTimeoutException}. A connection that waits idle gives its buffers back to a shared pool,
 * so thousands of quiet clients cost little memory.
 *
 * <p>Thread-safety: reading belongs to one thread at a time, normally the one running the protocol. Writing
 * ({@code write}, {@code writeLine}, {@code writeFrame}, {@code send}, {@code flush}, {@code transferFrom},
 * {@code shutdownOutput} and the output stream) may happen on another thread at the same time, so a conversation
 * can be full duplex: one thread blocks reading while another delivers messages (see the chat room example).
 * Each write call is atomic with respect to other writers: a line or a frame is never interleaved with another
 * writer's bytes; several threads writing to one connection are serialized. {@link #close()} may be called from
 * any thread. {@link #parkUntilReadable()} and {@link #setIdleTimeout} belong to the thread running the
 * protocol.
 */
public interface Connection extends Closeable {

    /**
     * @return the client's address and port: the socket's peer, or, on a listener with
     *         {@link ServerConfig#proxyProtocol()}, the client that the trusted proxy's header named
     */
    InetSocketAddress remoteAddress();

    /**
     * @return the socket's own peer: the same as {@link #remoteAddress()}, except behind a PROXY protocol header,
     *         where this is the proxy and {@link #remoteAddress()} the client it named
     */
    default InetSocketAddress peerAddress() {
        return remoteAddress();
    }

    /** @return the PROXY protocol header this connection opened with, or empty where none was required */
    default java.util.Optional<ProxyHeader> proxyHeader() {
        return java.util.Optional.empty();
    }

    /** @return this end's address and port */
    InetSocketAddress localAddress();

    /** @return the limits and timeouts in force */
    ConnectionConfig config();

    /**
     * @return what the TLS handshake settled (protocol, cipher, ALPN choice, SNI name, peer certificates), or empty
     *         for a plaintext connection
     */
    java.util.Optional<TlsInfo> tls();

    // ---- reading -------------------------------------------------------------------------------------------

    /**
     * Reads one byte.
     *
     * @return the byte as 0..255, or -1 when the peer closed its side
     */
    int read() throws IOException;

    /**
     * Reads up to {@code len} bytes, blocking until at least one is available.
     *
     * @return the count read, or -1 when the peer closed its side
     */
    int read(byte[] dst, int off, int len) throws IOException;

    /**
     * Reads exactly {@code dst.length} bytes.
     *
     * @throws FramingException.Truncated if the stream ends first
     */
    void readFully(byte[] dst) throws IOException;

    /**
     * Reads exactly {@code n} bytes.
     *
     * @throws FramingException.Truncated if the stream ends first
     */
    byte[] readExactly(int n) throws IOException;

    /**
     * Reads one line ended by CRLF or LF, decoded as UTF-8, without its line end.
     *
     * @return the line, or {@code null} when the stream ended before any byte of a new line
     * @throws FramingException.LineTooLong if the line exceeds {@link ConnectionConfig#maxLineLength()}
     * @throws FramingException.Truncated   if the stream ends inside a line
     */
    String readLine() throws IOException;

    /**
     * Reads one length-prefixed frame: a 4-byte big-endian length, then that many bytes.
     *
     * @return the frame's payload, or {@code null} when the stream ended cleanly before a new frame
     * @throws FramingException.FrameTooLarge if the length exceeds {@link ConnectionConfig#maxFrameSize()}
     * @throws FramingException.Truncated     if the stream ends inside the frame
     */
    byte[] readFrame() throws IOException;

    /** @return true if at least one unread byte is already buffered (a read will not block) */
    boolean hasBufferedInput();

    /**
     * Waits up to {@code linger} for input without consuming it.
     *
     * @return true if a byte is buffered or the peer closed its side (the next read returns -1);
     *         false if nothing arrived in time (the connection stays usable)
     */
    boolean awaitInput(Duration linger) throws IOException;

    /**
     * Like {@link #awaitInput}, but for a protocol that is busy rather than idle: a graceful stop does not cut this
     * wait short (it ends idle waits by shutting the input, after which nothing more can be read). For a protocol
     * that still needs the peer's bytes while finishing work in flight — HTTP/2 must keep reading WINDOW_UPDATEs
     * for the responses of a stop's last streams — and checks {@link #isDraining()} itself between short waits.
     *
     * @param slice the longest wait; keep it short, as a stop waits for it
     * @return as {@link #awaitInput}
     */
    default boolean awaitInputWhileBusy(Duration slice) throws IOException {
        return awaitInput(slice);
    }

    /**
     * Waits for input without a timer, for a protocol whose peer is expected to speak again soon: until a byte
     * arrives or the peer closes its side, with the pooled buffers given back meanwhile, as in {@link #awaitInput}.
     * Nothing on this side can end such a wait without destroying the input, so the core's watchdog asks
     * {@code watch} instead (see {@link InputWatch}): while the protocol is not {@link InputWatch#quiet quiet} the
     * wait is busy (a graceful stop does not end it; it has no deadline), once quiet it is an idle wait bounded by
     * the idle timeout ({@link #setIdleTimeout}); and {@link InputWatch#nudge} is asked to make the peer speak when
     * the protocol must see a quiet spell or a graceful stop. Implementations without a watchdog wait as
     * {@link #awaitInputWhileBusy} does with a one-second slice.
     *
     * @return true if a byte is buffered or the peer closed its side (the next read returns -1); false if the wait
     *         ended without input (only an implementation without a watchdog does that): the caller waits again
     * @throws java.net.SocketTimeoutException if the idle timeout passed after the protocol turned quiet (the input
     *         is shut down; the output is still usable)
     */
    default boolean awaitInputWatched(InputWatch watch) throws IOException {
        return awaitInputWhileBusy(Duration.ofSeconds(1));
    }

    /**
     * Gives up a read that takes long when {@code abandon} says so: once this connection's thread has been blocked
     * in one read for a second, the core asks {@code abandon} (on a virtual thread of its own, then about once a
     * second while the read goes on) and closes the connection when it answers true, so the read ends with an
     * {@link IOException}. For a connection read on behalf of someone who may leave meanwhile: the reverse proxy
     * waiting for a slow backend gives it up once its own client has gone, as nginx does. It costs a read nothing
     * (no timer: the core's watchdog looks at every connection ten times a second anyway). Connections without a
     * watchdog ignore it.
     *
     * @param abandon asked only during long reads, from another thread: thread-safe, may block briefly, should not
     *                throw (a failure is logged and the read goes on); null to stop asking
     */
    default void abandonLongReadsWhen(java.util.function.BooleanSupplier abandon) {
    }

    /** @return an input stream view of this connection; closing it closes the connection */
    InputStream inputStream();

    /**
     * @return the unread input, for protocols that parse bytes in place (the same bytes the read methods above
     *         use; see {@link ReadBuffer} for the contract)
     */
    ReadBuffer input();

    // ---- writing -------------------------------------------------------------------------------------------

    /** Buffers bytes for sending; a full buffer is sent at once. */
    void write(byte[] src, int off, int len) throws IOException;

    /** Buffers all of {@code src} for sending. */
    default void write(byte[] src) throws IOException {
        write(src, 0, src.length);
    }

    /** Buffers {@code line} as UTF-8 followed by CRLF. */
    void writeLine(String line) throws IOException;

    /**
     * Buffers one length-prefixed frame.
     *
     * @throws IllegalArgumentException if the payload exceeds {@link ConnectionConfig#maxFrameSize()}
     */
    void writeFrame(byte[] payload) throws IOException;

    /** Sends everything buffered, blocking until the kernel took it. */
    void flush() throws IOException;

    /**
     * Sends what is buffered, then the remaining bytes of every buffer of {@code srcs} in order, with no other
     * writer's bytes among them, blocking until the kernel took them all: a gathering write, for a protocol that
     * frames bulk data (frame headers and their payloads in one system call, no copy into the output buffer).
     * Nothing is kept: the buffers may be reused once this returns, each with its position at its limit.
     *
     * <p>Direct buffers are what this is for: on a plaintext connection their bytes go to the socket without a
     * copy, and under TLS they are encrypted straight from them (a record may span several buffers). Heap buffers
     * work too, at the cost of the JDK's copy into a temporary direct one. The default copies through
     * {@link #write(byte[], int, int)} and flushes.
     *
     * @throws IOException if the connection failed or the write timed out; how many bytes left is then unknown
     */
    default void send(ByteBuffer... srcs) throws IOException {
        for (ByteBuffer b : srcs) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            write(a, 0, a.length);
        }
        flush();
    }

    /**
     * Sends {@code count} bytes of a file from {@code position}, zero-copy (sendfile) where the platform allows.
     * Buffered output is flushed first.
     *
     * @return the bytes sent, which is {@code count} unless the file is shorter
     */
    long transferFrom(FileChannel file, long position, long count) throws IOException;

    /** @return an output stream view of this connection; closing it closes the connection */
    OutputStream outputStream();

    /**
     * @return the output buffer, for a protocol that assembles messages in place; single-writer only (see
     *         {@link WriteBuffer})
     */
    WriteBuffer output();

    // ---- lifecycle -----------------------------------------------------------------------------------------

    /** Flushes, then half-closes: the peer reads end-of-stream, this side can still read. */
    void shutdownOutput() throws IOException;

    /** @return false once closed by either {@link #close()}, a timeout, or the server stopping */
    boolean isOpen();

    /**
     * @return true if a read or write of this connection failed because Porter enforced a timeout (a read
     *         deadline, the idle or read timeout, or the write timeout), as opposed to the peer or the network
     */
    boolean timedOut();

    /**
     * @return true once sending to the peer failed (it reset or closed the connection, or the write timed out):
     *         nothing written later reaches it. A protocol tells a client that went away (the usual end of an
     *         abandoned download) from its handler's own failure with this; the input may still hold what the
     *         peer sent before (the connection stays open for reading it). A failed {@link #transferFrom} counts
     *         too: usually the peer's, and after part of a file was sent nothing can follow either way
     */
    default boolean writeFailed() {
        return false;
    }

    /**
     * @return true once the server is stopping gracefully: finish the message in hand, then end the
     *         conversation (an HTTP server answers with {@code Connection: close})
     */
    boolean isDraining();

    /**
     * Asks to be resumed later instead of closed: when {@link Protocol#serve} returns after this call, the server
     * releases the buffers and the thread, watches the socket, and calls {@code serve} again on a new virtual
     * thread when bytes arrive, or closes the connection once {@link ConnectionConfig#idleTimeout()} passes
     * first. Call it only where the conversation keeps no state in local variables (between requests).
     * Connections without a server (from {@link Client}) ignore it.
     */
    void parkUntilReadable();

    /**
     * Keeps one object with this connection, for protocols that park between messages and need state across
     * turns (for example a request count). Belongs to the thread running the protocol, like reading.
     */
    void attach(Object attachment);

    /** @return the object given to {@link #attach(Object)}, or null */
    Object attachment();

    /**
     * Tells a status view ({@link Server#connections()}) what this conversation is busy with: while it is set,
     * the connection shows as {@link ConnectionState#HANDLING} unless it is blocked on its socket, and
     * {@link ConnectionInfo#activity()} is {@code what.toString()}. Meant for the hot path: it is one plain field
     * write, and {@code toString()} is called only when someone takes a snapshot, on that thread; so pass an
     * object the protocol holds anyway (the request being handled), not a string built for the purpose, and make
     * its {@code toString()} safe to call from another thread at any time. {@code null}: between messages.
     * Connections without a server (from {@link Client}) ignore it.
     */
    default void activity(Object what) {
    }

    /**
     * Sets the idle timeout of this connection only (for example a keep-alive timeout). It bounds the following
     * waits for a new message, including a park ({@link #parkUntilReadable()}).
     *
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    void setIdleTimeout(Duration timeout);

    /**
     * Closes the socket. Safe from any thread and idempotent; a thread blocked in a read or write on this
     * connection gets an {@link IOException}. Buffered output not yet flushed is discarded.
     */
    @Override
    void close();
}
