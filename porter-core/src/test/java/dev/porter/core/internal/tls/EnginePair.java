package dev.porter.core.internal.tls;

import dev.porter.core.TlsInfo;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Runs a TLS handshake between two in-memory engines, no sockets: each side's records are handed to the other a
 * few bytes at a time ({@link #CHUNK}), so records arrive split as they do from a network and every
 * BUFFER_UNDERFLOW path is taken. When a side fails, its alert is still delivered to the other, so both see the
 * outcome a real connection would.
 */
final class EnginePair {

    /** Bytes handed to an engine per unwrap: smaller than any TLS record. */
    static final int CHUNK = 61;

    /** How the handshake ended: for each side, its failure (null if none) and, if both succeeded, their view. */
    record Outcome(SSLException clientFailure, SSLException serverFailure, TlsInfo client, TlsInfo server) {
        boolean succeeded() {
            return clientFailure == null && serverFailure == null;
        }
    }

    private static final class Side {
        final SSLEngine engine;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int receivedRead;
        final ByteBuffer pending;
        final ByteBuffer netOut;
        final ByteBuffer appIn;
        SSLException failure;

        Side(SSLEngine engine) {
            this.engine = engine;
            int packet = engine.getSession().getPacketBufferSize();
            this.pending = ByteBuffer.allocate(packet * 2).flip();
            this.netOut = ByteBuffer.allocate(packet);
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
        }
    }

    private EnginePair() {
    }

    /** Handshakes {@code client} with {@code server} until neither can move, then reports the outcome. */
    static Outcome handshake(SSLEngine client, SSLEngine server) {
        Side c = new Side(client);
        Side s = new Side(server);
        try {
            client.beginHandshake();
        } catch (SSLException e) {
            // The client refused its own settings (no protocol it may use): nothing was sent.
            return new Outcome(e, null, null, null);
        }
        try {
            server.beginHandshake();
        } catch (SSLException e) {
            return new Outcome(null, e, null, null);
        }
        for (int round = 0; round < 100_000; round++) {
            boolean moved = step(c, s);
            moved |= step(s, c);
            if (!moved) break;
        }
        if (c.failure == null && s.failure == null) {
            return new Outcome(null, null, TlsSessions.info(client), TlsSessions.info(server));
        }
        return new Outcome(c.failure, s.failure, null, null);
    }

    /** One move of {@code self}: a wrap, a task, or an unwrap of a few more bytes from {@code peer}. */
    private static boolean step(Side self, Side peer) {
        SSLEngine e = self.engine;
        try {
            if (self.failure != null) return flushAlert(self, peer);
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = e.getDelegatedTask()) != null) task.run();
                    return true;
                }
                case NEED_WRAP -> {
                    return wrap(self, peer);
                }
                default -> {
                    return unwrap(self);
                }
            }
        } catch (SSLException ex) {
            self.failure = ex;
            flushAlert(self, peer);
            return true;
        }
    }

    private static boolean wrap(Side self, Side peer) throws SSLException {
        SSLEngineResult r = self.engine.wrap(ByteBuffer.allocate(0), self.netOut);
        self.netOut.flip();
        peer.received.write(self.netOut.array(), 0, self.netOut.limit());
        self.netOut.clear();
        return r.bytesProduced() > 0 || r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP;
    }

    private static boolean unwrap(Side self) throws SSLException {
        byte[] all = self.received.toByteArray();
        int fresh = Math.min(CHUNK, all.length - self.receivedRead);
        if (fresh <= 0 && !self.pending.hasRemaining()) return false;
        self.pending.compact();
        self.pending.put(all, self.receivedRead, fresh);
        self.pending.flip();
        self.receivedRead += fresh;
        SSLEngineResult r = self.engine.unwrap(self.pending, self.appIn);
        self.appIn.clear();
        return fresh > 0 || r.bytesConsumed() > 0;
    }

    /** After a failure, the engine still owes its peer an alert: wrap it and deliver it. */
    private static boolean flushAlert(Side self, Side peer) {
        boolean moved = false;
        for (int i = 0; i < 10 && !self.engine.isOutboundDone(); i++) {
            try {
                SSLEngineResult r = self.engine.wrap(ByteBuffer.allocate(0), self.netOut);
                self.netOut.flip();
                peer.received.write(self.netOut.array(), 0, self.netOut.limit());
                self.netOut.clear();
                if (r.bytesProduced() == 0) break;
                moved = true;
            } catch (SSLException ex) {
                break;
            }
        }
        return moved;
    }
}
