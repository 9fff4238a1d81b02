package dev.porter.core.internal;

import dev.porter.core.TlsInfo;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;

/**
 * TLS beneath a connection's buffers: an {@link SSLEngine} between the socket and the {@link InputBuffer} /
 * {@link ConnectionOutput} above, which see only plaintext. Blocking, on the connection's virtual thread. This
 * class is the transport's face ({@link ByteSource}, {@link ByteSink}); the work is done by four parts:
 * {@link TlsHandshake} drives the first handshake, {@link TlsRecordLayer} moves records through the engine and
 * its {@link TlsRecordWriter} sends them (every wrap under its lock), {@link TlsBuffers} holds the pooled buffers
 * and gives them back.
 *
 * <p>Why an engine and not an {@code SSLSocket}: the engine's buffers are Porter's, so an idle connection gives
 * them back ({@link #releaseBuffers()}) and parks in the selector like a plaintext one, with only the engine's
 * session state left; an {@code SSLSocket} keeps its buffers for life and cannot be parked on a selector. See
 * docs/tls.md for the measurements.
 */
final class TlsTransport implements ByteSource, ByteSink {

    private final SSLEngine engine;
    private final SocketSource net;
    private final SocketChannel channel;
    private final TlsRecordLayer records;

    TlsTransport(SSLEngine engine, SocketSource net, SocketChannel channel) {
        this.engine = engine;
        this.net = net;
        this.channel = channel;
        this.records = new TlsRecordLayer(engine, net, channel);
    }

    /** @return what the handshake settled; null before it completed */
    TlsInfo info() {
        return records.info();
    }

    /**
     * Runs the whole handshake within {@code timeoutNanos}.
     *
     * @param plaintextReply for a server: bytes to send to a client that speaks plaintext instead (an HTTP 400),
     *                       or null
     * @throws javax.net.ssl.SSLHandshakeException if the peer is not speaking TLS, fails the handshake or closes
     *                                             during it
     * @throws java.net.SocketTimeoutException if it took too long
     */
    void handshake(long timeoutNanos, String plaintextReply) throws IOException {
        handshake(timeoutNanos, plaintextReply, null, null);
    }

    /**
     * As {@link #handshake(long, String)}, holding one of {@code slots} only while the handshake computes, never
     * while it waits for the peer's bytes (see {@link TlsHandshake#run}).
     *
     * @param slots bounds the handshakes computing at once; null for no bound
     * @param pool  runs the engine's delegated tasks while this thread waits; null to run them on this thread
     * @throws java.io.InterruptedIOException if interrupted while waiting for a slot or the pool (the interrupt is
     *                                        kept)
     */
    void handshake(long timeoutNanos, String plaintextReply, Semaphore slots, TlsTaskPool pool) throws IOException {
        new TlsHandshake(engine, records, net).run(timeoutNanos, plaintextReply, slots, pool);
    }

    // ---- reading --------------------------------------------------------------------------------------------

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
            if (records.decrypted()) return records.take(dst, off, len);
            if (records.inboundDone()) return -1;
            if (records.unwrap() == TlsRecordLayer.Unwrapped.PROGRESS) continue;
            int n = within ? records.readNetWithin(timeoutNanos) : records.readNet(timeoutNanos);
            // End of stream without close_notify: a truncation the protocol above detects by its own framing.
            if (n < 0) return -1;
        }
    }

    @Override
    public long readingUntil() {
        return net.readingUntil();
    }

    @Override
    public boolean buffered() {
        return records.buffered() || net.buffered(); // net: bytes read past a PROXY protocol header
    }

    // ---- writing --------------------------------------------------------------------------------------------

    @Override
    public void write(ByteBuffer src) throws IOException {
        do {
            records.wrap(src, false);
        } while (src.hasRemaining());
    }

    /** Several buffers' bytes as one stream of plaintext: a record may span them, several records per write. */
    @Override
    public void write(ByteBuffer[] srcs) throws IOException {
        records.wrapAll(srcs);
    }

    /** The close_notify that follows goes in the same write as the last record, when it fits. */
    @Override
    public void writeLast(ByteBuffer src) throws IOException {
        do {
            records.wrap(src, true);
        } while (src.hasRemaining());
    }

    /** No sendfile under TLS (every byte is encrypted here): one batch of the file, read, encrypted and sent. */
    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        return records.sendFile(file, position, count);
    }

    /** Sends close_notify (RFC 8446 §6.1), then ends the output side. */
    @Override
    public void shutdownOutput() throws IOException {
        closeNotify();
        records.flushPending(); // a last record, if another writer kept closeNotify from sending it
        channel.shutdownOutput();
    }

    /** Best effort close_notify: only if no other thread is writing right now, never blocking on the lock. */
    void closeNotify() {
        records.closeNotify();
    }

    /** Gives the network and application buffers back if they hold nothing (before a wait or a park). */
    void releaseBuffers() {
        records.releaseBuffers();
    }
}
