package dev.porter.core.internal;

import dev.porter.core.TlsInfo;
import dev.porter.core.internal.tls.TlsSessions;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * TLS beneath a connection's buffers: an {@link SSLEngine} between the socket and the {@link InputBuffer} /
 * {@link ConnectionOutput} above, which see only plaintext. Blocking, on the connection's virtual thread.
 *
 * <p>Why an engine and not an {@code SSLSocket}: the engine's buffers are Porter's, so an idle connection gives
 * them back ({@link #releaseBuffers()}) and parks in the selector like a plaintext one, with only the engine's
 * session state left; an {@code SSLSocket} keeps its buffers for life and cannot be parked on a selector. See
 * docs/tls.md for the measurements.
 *
 * <p>Buffers: {@code netIn} holds received TLS records not yet decrypted, {@code appIn} decrypted bytes not yet
 * handed up, {@code netOut} one encrypted batch on its way out; each comes from a pool when needed and goes back
 * when empty. Reading and writing may happen on different threads at once (the engine allows concurrent wrap and
 * unwrap); every wrap, including the handshake messages a read may have to answer (TLS 1.3 key updates), holds
 * {@link #writeLock}.
 */
final class TlsTransport implements ByteSource, ByteSink {

    /** Room for one TLS record with its overhead (the engine's packet size is 16,709 bytes for TLS 1.3/1.2). */
    static final int BUFFER_SIZE = 17 * 1024;
    private static final BufferPool POOL = new BufferPool(BUFFER_SIZE, 1024);
    /** TLS record content type of a handshake message (RFC 8446 §5.1): what a ClientHello starts with. */
    private static final int HANDSHAKE_RECORD = 0x16;

    private final SSLEngine engine;
    private final SocketSource net;
    private final SocketChannel channel;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Received bytes in [0, position). */
    private ByteBuffer netIn;
    /** Decrypted bytes in [position, limit). */
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private boolean inboundDone;
    /** A renegotiation was refused: no close_notify follows (the engine is mid-handshake). */
    private volatile boolean renegotiationRefused;
    /** The peer spoke plaintext: it gets no TLS alert (it could not read one). */
    private boolean plaintextPeer;
    private TlsInfo info;

    TlsTransport(SSLEngine engine, SocketSource net, SocketChannel channel) {
        this.engine = engine;
        this.net = net;
        this.channel = channel;
    }

    /** @return what the handshake settled; null before it completed */
    TlsInfo info() {
        return info;
    }

    // ---- handshake ------------------------------------------------------------------------------------------

    /**
     * Runs the whole handshake within {@code timeoutNanos}.
     *
     * @param plaintextReply for a server: bytes to send to a client that speaks plaintext instead (an HTTP 400),
     *                       or null
     * @throws SSLHandshakeException if the peer is not speaking TLS, fails the handshake or closes during it
     * @throws java.net.SocketTimeoutException if it took too long
     */
    void handshake(long timeoutNanos, String plaintextReply) throws IOException {
        handshake(timeoutNanos, plaintextReply, null);
    }

    /**
     * Runs the whole handshake within {@code timeoutNanos}, holding one of {@code slots} only while it works
     * (unwraps, computes, wraps), never while it waits for the peer's bytes.
     *
     * <p>Fix (found by {@code TlsBadInputTest#aThousandStalledHandshakesDoNotKeepOtherClientsOut}): the slot used
     * to be held for the whole handshake, from before the first byte, so 256 clients sending half a ClientHello
     * (or nothing) held every slot for the whole handshake timeout and every new client waited behind them, then
     * timed out: a handshake slowloris shut out all new TLS connections. Now a stalled client holds a socket and
     * its thread, as a stalled plaintext request does, but no slot.
     *
     * @param slots bounds the handshakes computing at once; null for no bound
     * @throws java.io.InterruptedIOException if interrupted while waiting for a slot (the interrupt is kept)
     */
    void handshake(long timeoutNanos, String plaintextReply, Semaphore slots) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean holding = false;
        try {
            engine.beginHandshake();
            boolean checkedFirstByte = engine.getUseClientMode();
            while (true) {
                SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
                boolean waiting = (status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP
                        || status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN)
                        && (netIn == null || netIn.position() == 0);
                if (slots != null && !holding && !waiting && !finished(status)) {
                    holding = acquire(slots, deadline);
                }
                switch (status) {
                    case NEED_WRAP -> wrap(EMPTY);
                    case NEED_TASK -> runTasks();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (unwrap() == Unwrapped.NEED_DATA) {
                            if (holding) {
                                slots.release();
                                holding = false;
                            }
                            if (readNet(deadline - System.nanoTime()) < 0) {
                                throw new SSLHandshakeException("peer closed the connection during the TLS handshake");
                            }
                            if (!checkedFirstByte) {
                                checkedFirstByte = true;
                                refusePlaintext(plaintextReply);
                            }
                        } else if (inboundDone) {
                            throw new SSLHandshakeException("peer closed TLS during the handshake");
                        }
                    }
                    default -> {
                        info = TlsSessions.info(engine);
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) throw net.timeout("TLS handshake not completed in time");
            }
        } catch (SSLException e) {
            if (!plaintextPeer) sendAlert();
            throw e;
        } finally {
            if (holding) slots.release();
        }
    }

    /**
     * After a failed handshake the engine holds its fatal alert (protocol_version, no_application_protocol,
     * handshake_failure, …): sends it, best effort, so the peer learns why.
     *
     * <p>Fix (found by {@code HttpsRealClientsTest}: {@code openssl s_client -tls1_1} and {@code -alpn h2} saw only
     * "unexpected eof"): the connection used to be closed with the alert still inside the engine, so a refused
     * client never learnt the reason. An {@code SSLEngine}, unlike an {@code SSLSocket}, hands its alert out
     * only through a {@code wrap} after the failure.
     */
    private void sendAlert() {
        if (!writeLock.tryLock()) return;
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                if (netOut == null) netOut = POOL.acquire();
                netOut.clear();
                SSLEngineResult r;
                try {
                    r = engine.wrap(EMPTY, netOut);
                } catch (SSLException reportedAgain) {
                    continue; // a delegated task's failure is thrown by the next wrap; the alert comes after it
                }
                netOut.flip();
                while (netOut.hasRemaining()) channel.write(netOut);
                if (r.bytesProduced() == 0) break;
            }
        } catch (IOException | RuntimeException e) {
            // The peer is gone or the engine has nothing more to say: the connection is closed next anyway.
        } finally {
            writeLock.unlock();
        }
    }

    private static boolean finished(SSLEngineResult.HandshakeStatus s) {
        return s == SSLEngineResult.HandshakeStatus.FINISHED || s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /** Takes a slot within the deadline. @return true */
    private boolean acquire(Semaphore slots, long deadline) throws IOException {
        try {
            if (!slots.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw net.timeout("no TLS handshake slot free within the handshake timeout");
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a TLS handshake slot");
        }
    }

    /** A first byte that cannot start a ClientHello: plaintext on a TLS port. Answers it if asked, then fails. */
    private void refusePlaintext(String reply) throws IOException {
        int first = netIn.get(0) & 0xFF;
        if (first == HANDSHAKE_RECORD) return;
        plaintextPeer = true;
        if (reply != null && first >= 'A' && first <= 'Z') {
            // The client cannot read a TLS alert: tell it in its own language (nginx answers HTTP with a 400).
            ByteBuffer b = ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1));
            writeLock.lock();
            try {
                while (b.hasRemaining()) channel.write(b);
            } finally {
                writeLock.unlock();
            }
        }
        throw new SSLHandshakeException("plaintext sent to a TLS port (first byte 0x" + Integer.toHexString(first) + ")");
    }

    private void runTasks() {
        // Certificate checks and key agreement: run inline, on this connection's own virtual thread.
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
    }

    // ---- reading --------------------------------------------------------------------------------------------

    private enum Unwrapped { PROGRESS, NEED_DATA }

    @Override
    public int read(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        return read(dst, off, len, timeoutNanos, false);
    }

    @Override
    public int readWithin(byte[] dst, int off, int len, long timeoutNanos) throws IOException {
        return read(dst, off, len, timeoutNanos, true);
    }

    private int read(byte[] dst, int off, int len, long timeoutNanos, boolean within) throws IOException {
        while (true) {
            if (appIn != null && appIn.hasRemaining()) {
                int n = Math.min(len, appIn.remaining());
                appIn.get(dst, off, n);
                return n;
            }
            if (inboundDone) return -1;
            if (unwrap() == Unwrapped.PROGRESS) continue;
            int n = within ? readNetWithin(timeoutNanos) : readNet(timeoutNanos);
            // End of stream without close_notify: a truncation the protocol above detects by its own framing.
            if (n < 0) return -1;
        }
    }

    /** Decrypts what {@code netIn} holds into {@code appIn} (which the caller emptied), answering handshake needs. */
    private Unwrapped unwrap() throws IOException {
        if (netIn == null || netIn.position() == 0) return Unwrapped.NEED_DATA;
        if (appIn == null) appIn = POOL.acquire();
        appIn.clear();
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } catch (SSLException e) {
            // After the handshake too (a refused renegotiation, a bad record): the peer gets the engine's alert.
            // During the handshake, handshake() sends it.
            if (info != null) sendAlert();
            throw e;
        } finally {
            netIn.compact();
            appIn.flip();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (netIn.position() == netIn.capacity()) netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                return Unwrapped.NEED_DATA;
            }
            case BUFFER_OVERFLOW -> {
                appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
                return Unwrapped.PROGRESS;
            }
            case CLOSED -> inboundDone = true;
            default -> {
            }
        }
        if (r.getStatus() == SSLEngineResult.Status.OK && renegotiation(r.getHandshakeStatus())) {
            // Fix (found by TlsBadInputTest#clientInitiatedRenegotiationIsRefusedAndTheConnectionClosed and by
            // testssl.sh): a TLS 1.2 peer's second handshake used to be half answered — completed when the
            // connection's thread was reading, stalled until a timeout when it was parked. Porter does not
            // renegotiate: a client-initiated one costs the server a key exchange per request (a DoS lever, which
            // testssl.sh reports) and nothing needs it. Refused here for every engine, whatever the JDK's
            // jdk.tls.rejectClientInitiatedRenegotiation says; the connection is then closed. (With that property
            // true, which ServerTlsContext sets, the JDK refuses first, with a handshake_failure alert.)
            refuseRenegotiation(r.getHandshakeStatus());
        }
        switch (r.getHandshakeStatus()) {
            case NEED_TASK -> runTasks();
            case NEED_WRAP -> {
                // A read that must answer (TLS 1.3 KeyUpdate, the peer's close_notify): only while handshaking
                // after the first one; the first handshake loop wraps for itself.
                if (info != null) wrap(EMPTY);
            }
            default -> {
            }
        }
        return Unwrapped.PROGRESS;
    }

    /**
     * Ends a renegotiation the peer started. The JDK refuses it itself, in the task that reads the ClientHello,
     * when {@code jdk.tls.rejectClientInitiatedRenegotiation} is true (ServerTlsContext sets it): that task is
     * run, and if it refused (the engine's inbound side is then closed) the refusal's handshake_failure alert is
     * sent, so the client learns why. Otherwise nothing more is wrapped — the engine's answer, and a close_notify
     * (see {@link #closeNotify()}), would only confuse the peer — and the connection is cut.
     */
    private void refuseRenegotiation(SSLEngineResult.HandshakeStatus status) throws SSLException {
        renegotiationRefused = true;
        if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
        if (engine.isInboundDone()) sendAlert();
        throw new SSLException("TLS renegotiation refused");
    }

    /**
     * @return true if, after the first handshake, a TLS 1.2 peer started another one (TLS 1.3 has no
     *         renegotiation: its post-handshake messages, a KeyUpdate answered by a wrap, are legitimate)
     */
    private boolean renegotiation(SSLEngineResult.HandshakeStatus status) {
        return info != null && !"TLSv1.3".equals(info.protocol())
                && status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                && status != SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private int readNet(long timeoutNanos) throws IOException {
        if (timeoutNanos <= 0) throw net.timeout("read deadline passed");
        ensureNetIn();
        int n = net.read(netIn.array(), netIn.position(), netIn.remaining(), timeoutNanos);
        if (n > 0) netIn.position(netIn.position() + n);
        return n;
    }

    private int readNetWithin(long timeoutNanos) throws IOException {
        ensureNetIn();
        int n = net.readWithin(netIn.array(), netIn.position(), netIn.remaining(), timeoutNanos);
        if (n > 0) netIn.position(netIn.position() + n);
        return n;
    }

    private void ensureNetIn() {
        if (netIn == null) netIn = POOL.acquire();
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    @Override
    public long readingUntil() {
        return net.readingUntil();
    }

    @Override
    public boolean buffered() {
        return (appIn != null && appIn.hasRemaining()) || (netIn != null && netIn.position() > 0);
    }

    // ---- writing --------------------------------------------------------------------------------------------

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public void write(ByteBuffer src) throws IOException {
        do {
            wrap(src);
        } while (src.hasRemaining());
    }

    /** Encrypts as much of {@code src} as one wrap takes (or a handshake message) and sends it. */
    private void wrap(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            if (netOut == null) netOut = POOL.acquire();
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                    return;
                }
                case CLOSED -> {
                    if (src.hasRemaining()) throw new SSLException("TLS output is closed");
                }
                default -> {
                }
            }
            netOut.flip();
            while (netOut.hasRemaining()) channel.write(netOut);
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && src.hasRemaining()
                    && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                // Only a renegotiation (TLS 1.2) makes a wrap wait for the peer; Porter does not renegotiate.
                throw new SSLException("TLS renegotiation is not supported");
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) {
        return -1; // every byte must be encrypted: the caller copies through its buffer
    }

    /** Sends close_notify (RFC 8446 §6.1), then ends the output side. */
    @Override
    public void shutdownOutput() throws IOException {
        closeNotify();
        channel.shutdownOutput();
    }

    /** Best effort close_notify: only if no other thread is writing right now, never blocking on the lock. */
    void closeNotify() {
        if (renegotiationRefused || !writeLock.tryLock()) return;
        try {
            engine.closeOutbound();
            if (!engine.isOutboundDone()) wrap(EMPTY);
        } catch (IOException e) {
            // The peer is gone already: there is nobody left to tell.
        } finally {
            writeLock.unlock();
        }
    }

    /** Gives the network and application buffers back if they hold nothing (before a wait or a park). */
    void releaseBuffers() {
        if (appIn != null && !appIn.hasRemaining()) {
            POOL.release(appIn);
            appIn = null;
        }
        if (netIn != null && netIn.position() == 0) {
            POOL.release(netIn);
            netIn = null;
        }
        if (writeLock.tryLock()) {
            try {
                if (netOut != null) {
                    POOL.release(netOut);
                    netOut = null;
                }
            } finally {
                writeLock.unlock();
            }
        }
    }
}
