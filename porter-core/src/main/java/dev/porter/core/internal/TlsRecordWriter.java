package dev.porter.core.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a {@link TlsRecordLayer}: encrypts through the engine and writes to the socket, every wrap
 * under one lock (a read that must answer the peer wraps too, from the reading thread).
 *
 * <p>Few writes, because every write is a syscall here and a wake-up for the peer: the records of one handshake
 * flight go out together; a response and the close_notify after it share a write; a large body goes as several
 * records per write; and a file goes from a pooled buffer to the engine, not through the connection's output
 * buffer. docs/tls.md ("Performance") measures each.
 */
final class TlsRecordWriter {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** More than any enabled suite adds to a record's plaintext: header, nonce, tag, content type. */
    private static final int RECORD_OVERHEAD = 64;

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final TlsBuffers buffers;
    private final ReentrantLock lock = new ReentrantLock();
    /** The first handshake completed. */
    private volatile boolean established;
    /** A renegotiation was refused: no close_notify follows (the engine is mid-handshake). */
    private volatile boolean renegotiationRefused;
    /** A last record waits in {@code netOut} for the close_notify that follows it (or the next wait for input). */
    private volatile boolean pending;
    /** Where the engine's delegated tasks run: inline, or during a server's first handshake on its pool. */
    private volatile TaskRunner tasks = TlsTaskPool::runInline;

    /** Runs an engine's delegated tasks. */
    @FunctionalInterface
    interface TaskRunner {
        void run(SSLEngine engine) throws IOException;
    }

    TlsRecordWriter(SSLEngine engine, SocketChannel channel, TlsBuffers buffers) {
        this.engine = engine;
        this.channel = channel;
        this.buffers = buffers;
    }

    void established() {
        established = true;
        tasks = TlsTaskPool::runInline;
    }

    /** Until the first handshake completes, runs the engine's tasks with {@code runner}. */
    void runTasksWith(TaskRunner runner) {
        tasks = runner;
    }

    void renegotiationRefused() {
        renegotiationRefused = true;
    }

    /**
     * Sends what the engine has to say of its own: a handshake message, or the answer to one. Every message of a
     * flight goes in one write (a TLS 1.3 server's ServerHello, ChangeCipherSpec and encrypted flight are three
     * records, which the engine hands out one wrap at a time).
     */
    void wrapHandshake() throws IOException {
        lock.lock();
        try {
            ByteBuffer netOut = buffers.netOut();
            netOut.clear();
            SSLEngineResult r;
            do {
                r = engine.wrap(EMPTY, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    // Send what fits; the rest goes by the next call (into a larger buffer if one record is too big).
                    if (netOut.position() == 0) buffers.enlargeNetOut(engine.getSession().getPacketBufferSize());
                    break;
                }
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
            } while (r.getStatus() == SSLEngineResult.Status.OK && r.bytesProduced() > 0
                    && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP);
            send(netOut);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Encrypts as much of {@code src} as one write takes and sends it: one record (or a handshake message) in
     * {@code netOut}, after what waits there; or, when {@code src} holds more than a record after the handshake,
     * several records in a bulk buffer, sent with one syscall.
     *
     * @param last true if a close_notify follows at once: the record then waits in {@code netOut} to go with it
     */
    void wrap(ByteBuffer src, boolean last) throws IOException {
        lock.lock();
        try {
            if (established && src.remaining() > TlsBuffers.RECORD_PLAINTEXT) {
                wrapBulk(src);
                return;
            }
            ByteBuffer netOut = buffers.netOut();
            if (pending) {
                pending = false;
                if (netOut.remaining() < room(src)) send(netOut);
            } else {
                netOut.clear();
            }
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    if (netOut.position() > 0) send(netOut); // the caller wraps again, into the emptied buffer
                    else buffers.enlargeNetOut(engine.getSession().getPacketBufferSize());
                    return;
                }
                case CLOSED -> {
                    if (src.hasRemaining()) throw new SSLException("TLS output is closed");
                }
                default -> {
                }
            }
            if (last && !src.hasRemaining() && netOut.remaining() >= room(EMPTY)
                    && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                pending = true;
                return;
            }
            send(netOut);
            after(r, src.hasRemaining());
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return room enough in {@code netOut} for the record that wrapping {@code src} makes: its plaintext and the
     *         record's header, tag and padding (RFC 8446 §5.2; 22 bytes with Porter's suites, 29 for TLS 1.2).
     *         If the engine needs more after all, the wrap overflows and what waits is sent first.
     */
    private static int room(ByteBuffer src) {
        return Math.min(src.remaining(), TlsBuffers.RECORD_PLAINTEXT) + RECORD_OVERHEAD;
    }

    /** Several records into a pooled bulk buffer while the engine passes application data on, one write. */
    private void wrapBulk(ByteBuffer src) throws IOException {
        if (pending) {
            pending = false;
            send(buffers.netOut());
        }
        ByteBuffer bulk = TlsBuffers.bulk();
        try {
            SSLEngineResult r;
            do {
                r = engine.wrap(src, bulk);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED && src.hasRemaining()) {
                    throw new SSLException("TLS output is closed");
                }
            } while (src.hasRemaining() && r.getStatus() == SSLEngineResult.Status.OK
                    && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    && roomFor(bulk, src.remaining()));
            send(bulk);
            after(r, src.hasRemaining());
        } finally {
            TlsBuffers.releaseBulk(bulk);
        }
    }

    /**
     * Encrypts all of {@code srcs} as one stream of plaintext (a record may span buffers: a frame's header and its
     * payload go in one record), several records per write into a pooled bulk buffer.
     */
    void wrapAll(ByteBuffer[] srcs) throws IOException {
        lock.lock();
        try {
            if (!established) { // not before the handshake completed: record by record, as any other write
                for (ByteBuffer src : srcs) while (src.hasRemaining()) wrap(src, false);
                return;
            }
            if (pending) {
                pending = false;
                send(buffers.netOut());
            }
            ByteBuffer bulk = TlsBuffers.bulk();
            try {
                while (remaining(srcs)) {
                    SSLEngineResult r;
                    do {
                        r = engine.wrap(srcs, bulk);
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED && remaining(srcs)) {
                            throw new SSLException("TLS output is closed");
                        }
                    } while (r.getStatus() == SSLEngineResult.Status.OK && remaining(srcs)
                            && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                            && roomFor(bulk, plaintext(srcs)));
                    send(bulk);
                    after(r, remaining(srcs));
                }
            } finally {
                TlsBuffers.releaseBulk(bulk);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return true if {@code bulk} takes another record: a full one while the batch is short of
     *         {@link TlsBuffers#BULK_RECORDS}, beyond that only the short last record of what is being sent. The
     *         JDK's engine puts at most 16,367 bytes of data in a record (TLS 1.3, AES-GCM), so 64 KiB of plaintext
     *         is four records and 68 bytes; that last record took a write of its own (docs/tls.md, "the 1 MiB
     *         path"). The engine wraps only into a whole packet's room, which the bulk buffer keeps for it.
     */
    private static boolean roomFor(ByteBuffer bulk, long plaintextLeft) {
        return bulk.remaining() >= TlsBuffers.BUFFER_SIZE
                && (bulk.position() <= (TlsBuffers.BULK_RECORDS - 1) * TlsBuffers.BUFFER_SIZE
                    || plaintextLeft <= TlsBuffers.RECORD_PLAINTEXT);
    }

    private static long plaintext(ByteBuffer[] srcs) {
        long n = 0;
        for (ByteBuffer b : srcs) n += b.remaining();
        return n;
    }

    private static boolean remaining(ByteBuffer[] srcs) {
        for (ByteBuffer b : srcs) if (b.hasRemaining()) return true;
        return false;
    }

    /** Writes what {@code out} holds, all of it, and empties it. */
    private void send(ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) channel.write(out);
        out.clear();
    }

    /** Does what a wrap's result asks for after its bytes went out. */
    private void after(SSLEngineResult r, boolean more) throws IOException {
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
        if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && more
                && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
            // Only a renegotiation (TLS 1.2) makes a wrap wait for the peer; Porter does not renegotiate.
            throw new SSLException("TLS renegotiation is not supported");
        }
    }

    /**
     * Certificate checks and key agreement: on a server's handshake pool during its first handshake (see
     * {@link TlsTaskPool}), otherwise inline on this connection's own thread (a client's handshakes, and the rare
     * task after the first handshake: a refused renegotiation's).
     */
    void runTasks() throws IOException {
        tasks.run(engine);
    }

    /**
     * Encrypts and sends one batch of {@code file}, read into a pooled buffer that goes back at once: no copy
     * through the connection's output buffer, several records per write.
     *
     * @return the file bytes sent, at most {@code count}; 0 if the file ended
     */
    long sendFile(FileChannel file, long position, long count) throws IOException {
        ByteBuffer chunk = TlsBuffers.fileChunk();
        try {
            chunk.limit((int) Math.min(chunk.capacity(), count));
            int n = file.read(chunk, position);
            if (n <= 0) return 0;
            chunk.flip();
            while (chunk.hasRemaining()) wrap(chunk, false);
            return n;
        } finally {
            TlsBuffers.releaseFileChunk(chunk);
        }
    }

    /** Sends what waits in {@code netOut}, before this side waits for the peer (which may be waiting for it). */
    void flushPending() throws IOException {
        if (!pending) return;
        lock.lock();
        try {
            if (pending) {
                pending = false;
                send(buffers.netOut());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends bytes unencrypted, for a peer that spoke plaintext and could not read a TLS alert. */
    void writePlaintext(ByteBuffer b) throws IOException {
        lock.lock();
        try {
            while (b.hasRemaining()) channel.write(b);
        } finally {
            lock.unlock();
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
        if (!lock.tryLock()) return;
        try {
            pending = false; // whatever waited is moot: the connection failed
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                ByteBuffer netOut = buffers.netOut();
                netOut.clear();
                SSLEngineResult r;
                try {
                    r = engine.wrap(EMPTY, netOut);
                } catch (SSLException reportedAgain) {
                    continue; // a delegated task's failure is thrown by the next wrap; the alert comes after it
                }
                send(netOut);
                if (r.bytesProduced() == 0) break;
            }
        } catch (IOException | RuntimeException e) {
            // The peer is gone or the engine has nothing more to say: the connection is closed next anyway.
        } finally {
            lock.unlock();
        }
    }

    /**
     * Best effort close_notify, with what waits in {@code netOut} in front of it: only if no other thread is
     * writing right now, never blocking on the lock.
     */
    void closeNotify() {
        if (renegotiationRefused || !lock.tryLock()) return;
        try {
            engine.closeOutbound();
            // Twice at most: a wrap that overflowed sent what waited in front of the close_notify instead.
            for (int i = 0; i < 2 && !engine.isOutboundDone(); i++) wrap(EMPTY, false);
            flushPending();
        } catch (IOException e) {
            // The peer is gone already: there is nobody left to tell.
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives {@code netOut} back, unless a writer is using it now (the reader never waits for a writer here);
     * what waits in it is sent first.
     */
    void releaseOutput() {
        if (!lock.tryLock()) return;
        try {
            flushPending();
            buffers.releaseOutput();
        } catch (IOException e) {
            // The peer is gone: the next read or write on this connection reports it.
            buffers.releaseOutput();
        } finally {
            lock.unlock();
        }
    }
}
