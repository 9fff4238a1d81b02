package dev.porter.core.internal;

import dev.porter.core.TlsInfo;
import dev.porter.core.internal.tls.TlsSessions;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * TLS records in and out of one {@link SSLEngine}: reads records from the socket into {@link TlsBuffers},
 * decrypts them ({@link #unwrap()}), encrypts and sends ({@link #wrap}), and answers what the engine asks for on
 * the way — delegated tasks, a TLS 1.3 KeyUpdate, alerts — while refusing a TLS 1.2 renegotiation. Both the first
 * handshake ({@link TlsHandshake}) and the plaintext traffic after it ({@link TlsTransport}) go through here.
 *
 * <p>Reading and writing may happen on different threads at once (the engine allows concurrent wrap and unwrap);
 * every wrap, including the handshake messages a read may have to answer, goes through the {@link TlsRecordWriter}
 * and its lock.
 */
final class TlsRecordLayer {

    /** What an unwrap achieved: bytes decrypted or the engine's state moved on, or a whole record is missing. */
    enum Unwrapped { PROGRESS, NEED_DATA }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SocketSource net;
    private final TlsBuffers buffers = new TlsBuffers();
    private final TlsRecordWriter writer;
    private boolean inboundDone;
    private TlsInfo info;

    TlsRecordLayer(SSLEngine engine, SocketSource net, SocketChannel channel) {
        this.engine = engine;
        this.net = net;
        this.writer = new TlsRecordWriter(engine, channel, buffers);
    }

    /** @return what the first handshake settled; null before it completed */
    TlsInfo info() {
        return info;
    }

    /** The first handshake completed: from now on, handshake messages the peer sends are answered here. */
    void established() {
        info = TlsSessions.info(engine);
        writer.established();
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
                if (info != null) writer.wrap(EMPTY, false);
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
    private void refuseRenegotiation(SSLEngineResult.HandshakeStatus status) throws IOException {
        writer.renegotiationRefused();
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
        writer.flushPending();
        ByteBuffer netIn = buffers.netIn();
        int n = net.read(netIn.array(), netIn.position(), netIn.remaining(), timeoutNanos);
        if (n > 0) netIn.position(netIn.position() + n);
        return n;
    }

    /** As {@link #readNet}, but a timeout leaves the connection usable ({@link ByteSource#readWithin}). */
    int readNetWithin(long timeoutNanos) throws IOException {
        writer.flushPending();
        ByteBuffer netIn = buffers.netIn();
        int n = net.readWithin(netIn.array(), netIn.position(), netIn.remaining(), timeoutNanos);
        if (n > 0) netIn.position(netIn.position() + n);
        return n;
    }

    void runTasks() throws IOException {
        writer.runTasks();
    }

    /** Until the first handshake completes, runs the engine's delegated tasks with {@code runner}. */
    void runTasksWith(TlsRecordWriter.TaskRunner runner) {
        writer.runTasksWith(runner);
    }

    // ---- writing: see TlsRecordWriter ----------------------------------------------------------------------

    void wrapHandshake() throws IOException {
        writer.wrapHandshake();
    }

    void wrap(ByteBuffer src, boolean last) throws IOException {
        writer.wrap(src, last);
    }

    void wrapAll(ByteBuffer[] srcs) throws IOException {
        writer.wrapAll(srcs);
    }

    long sendFile(FileChannel file, long position, long count) throws IOException {
        return writer.sendFile(file, position, count);
    }

    void flushPending() throws IOException {
        writer.flushPending();
    }

    void writePlaintext(ByteBuffer b) throws IOException {
        writer.writePlaintext(b);
    }

    void sendAlert() {
        writer.sendAlert();
    }

    void closeNotify() {
        writer.closeNotify();
    }

    /** Gives the network and application buffers back if they hold nothing (before a wait or a park). */
    void releaseBuffers() {
        buffers.releaseInput();
        writer.releaseOutput();
    }
}
