package dev.porter.core.internal;

import dev.porter.core.TlsInfo;
import dev.porter.core.internal.tls.TlsSessions;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * TLS records in and out of one {@link SSLEngine}: reads records from the socket into {@link TlsBuffers},
 * decrypts them ({@link #unwrap()}), encrypts and sends ({@link #wrap}), and answers what the engine asks for on
 * the way — delegated tasks, a TLS 1.3 KeyUpdate, alerts — while refusing a TLS 1.2 renegotiation. Both the first
 * handshake ({@link TlsHandshake}) and the plaintext traffic after it ({@link TlsTransport}) go through here.
 *
 * <p>Reading and writing may happen on different threads at once (the engine allows concurrent wrap and unwrap);
 * every wrap, including the handshake messages a read may have to answer, holds {@link #writeLock}.
 */
final class TlsRecordLayer {

    /** What an unwrap achieved: bytes decrypted or the engine's state moved on, or a whole record is missing. */
    enum Unwrapped { PROGRESS, NEED_DATA }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SocketSource net;
    private final SocketChannel channel;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final TlsBuffers buffers = new TlsBuffers();
    private boolean inboundDone;
    /** A renegotiation was refused: no close_notify follows (the engine is mid-handshake). */
    private volatile boolean renegotiationRefused;
    private TlsInfo info;

    TlsRecordLayer(SSLEngine engine, SocketSource net, SocketChannel channel) {
        this.engine = engine;
        this.net = net;
        this.channel = channel;
    }

    /** @return what the first handshake settled; null before it completed */
    TlsInfo info() {
        return info;
    }

    /** The first handshake completed: from now on, handshake messages the peer sends are answered here. */
    void established() {
        info = TlsSessions.info(engine);
    }

    /** @return true once the peer's close_notify was read */
    boolean inboundDone() {
        return inboundDone;
    }

    /** @return true if received records wait to be decrypted */
    boolean received() {
        return buffers.received();
    }

    /** @return the first byte received; only when {@link #received()} */
    int firstReceivedByte() {
        return buffers.netIn().get(0) & 0xFF;
    }

    /** @return true if bytes already received wait for a read, decrypted or not */
    boolean buffered() {
        return buffers.decrypted() || buffers.received();
    }

    /** @return true if decrypted bytes wait to be handed up */
    boolean decrypted() {
        return buffers.decrypted();
    }

    /** Hands up decrypted bytes; only when {@link #decrypted()}. @return the count copied */
    int take(byte[] dst, int off, int len) {
        return buffers.take(dst, off, len);
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /** Decrypts what {@code netIn} holds into {@code appIn} (which the caller emptied), answering handshake needs. */
    Unwrapped unwrap() throws IOException {
        if (!buffers.received()) return Unwrapped.NEED_DATA;
        ByteBuffer netIn = buffers.netIn();
        ByteBuffer appIn = buffers.appIn();
        appIn.clear();
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } catch (SSLException e) {
            // After the handshake too (a refused renegotiation, a bad record): the peer gets the engine's alert.
            // During the handshake, TlsHandshake sends it.
            if (info != null) sendAlert();
            throw e;
        } finally {
            netIn.compact();
            appIn.flip();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (netIn.position() == netIn.capacity()) buffers.growNetIn(engine.getSession().getPacketBufferSize());
                return Unwrapped.NEED_DATA;
            }
            case BUFFER_OVERFLOW -> {
                buffers.enlargeAppIn(engine.getSession().getApplicationBufferSize());
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

    /** Reads records into {@code netIn}, the watchdog bounding the wait. @return the count read, or -1 at the end */
    int readNet(long timeoutNanos) throws IOException {
        if (timeoutNanos <= 0) throw net.timeout("read deadline passed");
        ByteBuffer netIn = buffers.netIn();
        int n = net.read(netIn.array(), netIn.position(), netIn.remaining(), timeoutNanos);
        if (n > 0) netIn.position(netIn.position() + n);
        return n;
    }

    /** As {@link #readNet}, but a timeout leaves the connection usable ({@link ByteSource#readWithin}). */
    int readNetWithin(long timeoutNanos) throws IOException {
        ByteBuffer netIn = buffers.netIn();
        int n = net.readWithin(netIn.array(), netIn.position(), netIn.remaining(), timeoutNanos);
        if (n > 0) netIn.position(netIn.position() + n);
        return n;
    }

    void runTasks() {
        // Certificate checks and key agreement: run inline, on this connection's own virtual thread.
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /** Sends what the engine has to say of its own: a handshake message, or the answer to one. */
    void wrapHandshake() throws IOException {
        wrap(EMPTY);
    }

    /** Encrypts as much of {@code src} as one wrap takes (or a handshake message) and sends it. */
    void wrap(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            ByteBuffer netOut = buffers.netOut();
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    buffers.enlargeNetOut(engine.getSession().getPacketBufferSize());
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

    /** Sends bytes unencrypted, for a peer that spoke plaintext and could not read a TLS alert. */
    void writePlaintext(ByteBuffer b) throws IOException {
        writeLock.lock();
        try {
            while (b.hasRemaining()) channel.write(b);
        } finally {
            writeLock.unlock();
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
    void sendAlert() {
        if (!writeLock.tryLock()) return;
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                ByteBuffer netOut = buffers.netOut();
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
        buffers.releaseInput();
        // The output buffer only if no writer is using it now: the reader never waits for a writer here.
        if (writeLock.tryLock()) {
            try {
                buffers.releaseOutput();
            } finally {
                writeLock.unlock();
            }
        }
    }
}
