package dev.porter.core.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drives a connection's first TLS handshake to its end, within a deadline: wraps, unwraps and runs the engine's
 * tasks through the {@link TlsRecordLayer} as the engine asks, bounds the handshakes computing at once, answers a
 * client that speaks plaintext to a TLS port, and makes sure a failed handshake's alert reaches the peer. Used
 * once per connection, then dropped: nothing of it stays with an idle connection.
 */
final class TlsHandshake {

    /** TLS record content type of a handshake message (RFC 8446 §5.1): what a ClientHello starts with. */
    private static final int HANDSHAKE_RECORD = 0x16;

    private final SSLEngine engine;
    private final TlsRecordLayer records;
    private final SocketSource net;
    /** The peer spoke plaintext: it gets no TLS alert (it could not read one). */
    private boolean plaintextPeer;

    TlsHandshake(SSLEngine engine, TlsRecordLayer records, SocketSource net) {
        this.engine = engine;
        this.records = records;
        this.net = net;
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
     * @param plaintextReply for a server: bytes to send to a client that speaks plaintext instead (an HTTP 400),
     *                       or null
     * @param slots          bounds the handshakes computing at once; null for no bound
     * @param pool           runs the engine's delegated tasks while this thread waits, within the deadline;
     *                       null to run them on this thread
     * @throws SSLHandshakeException if the peer is not speaking TLS, fails the handshake or closes during it
     * @throws java.net.SocketTimeoutException if it took too long
     * @throws java.io.InterruptedIOException if interrupted while waiting for a slot or for the pool (the interrupt
     *                                        is kept)
     */
    void run(long timeoutNanos, String plaintextReply, Semaphore slots, TlsTaskPool pool) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean holding = false;
        // A task is submitted only while a slot is held, and waited for: the pool never has more than the slots.
        if (pool != null) records.runTasksWith(e -> pool.run(e, deadline, net));
        try {
            engine.beginHandshake();
            boolean checkedFirstByte = engine.getUseClientMode();
            while (true) {
                SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
                boolean waiting = (status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP
                        || status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN)
                        && !records.received();
                if (slots != null && !holding && !waiting && !finished(status)) {
                    holding = acquire(slots, deadline);
                }
                switch (status) {
                    case NEED_WRAP -> records.wrapHandshake();
                    case NEED_TASK -> records.runTasks();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (records.unwrap() == TlsRecordLayer.Unwrapped.NEED_DATA) {
                            if (holding) {
                                slots.release();
                                holding = false;
                            }
                            if (records.readNet(deadline - System.nanoTime()) < 0) {
                                throw new SSLHandshakeException("peer closed the connection during the TLS handshake");
                            }
                            if (!checkedFirstByte) {
                                checkedFirstByte = true;
                                refusePlaintext(plaintextReply);
                            }
                        } else if (records.inboundDone()) {
                            throw new SSLHandshakeException("peer closed TLS during the handshake");
                        }
                    }
                    default -> {
                        records.established();
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) throw net.timeout("TLS handshake not completed in time");
            }
        } catch (SSLException e) {
            if (!plaintextPeer) records.sendAlert();
            throw e;
        } finally {
            if (holding) slots.release();
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
        int first = records.firstReceivedByte();
        if (first == HANDSHAKE_RECORD) return;
        plaintextPeer = true;
        if (reply != null && first >= 'A' && first <= 'Z') {
            // The client cannot read a TLS alert: tell it in its own language (nginx answers HTTP with a 400).
            records.writePlaintext(ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1)));
        }
        throw new SSLHandshakeException("plaintext sent to a TLS port (first byte 0x" + Integer.toHexString(first) + ")");
    }
}
