package dev.porter.core.internal;

import dev.porter.core.TlsConfig;
import dev.porter.core.TlsSetupException;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The TLS side of a server's accepted connections: an engine for each, handshakes bounded in time and in number
 * (a flood of new connections waits for a slot instead of taking every CPU), their computation on the server's
 * own platform threads ({@link TlsTaskPool}, unless {@link TlsConfig#handshakeThreads()} is 0), and the key files
 * checked for changes now and then, so new connections get a renewed certificate while existing ones keep theirs.
 */
public final class TlsAcceptor implements AutoCloseable {

    /** Re-reads key material; see {@code ServerTlsContext}. */
    public interface Reloader {
        /** @return true if the files had changed and were loaded anew */
        boolean reloadIfChanged() throws TlsSetupException;

        /** Loads the files anew whether or not they changed. */
        void reload() throws TlsSetupException;
    }

    private static final System.Logger LOG = System.getLogger("dev.porter.core.Server");

    private final Supplier<SSLEngine> engines;
    private final Reloader reloader;
    private final TlsConfig config;
    private final Semaphore handshakes;
    private final long timeoutNanos;
    private final long checkEveryNanos;
    private final AtomicLong nextCheck;
    /** Null when handshakes compute on their connections' threads. */
    private final TlsTaskPool pool;

    public TlsAcceptor(TlsConfig config, Supplier<SSLEngine> engines, Reloader reloader) {
        this.config = config;
        this.engines = engines;
        this.reloader = reloader;
        this.handshakes = new Semaphore(config.maxHandshakes());
        this.timeoutNanos = config.handshakeTimeout().toNanos();
        this.checkEveryNanos = config.reloadCheck().toNanos();
        this.nextCheck = new AtomicLong(System.nanoTime() + checkEveryNanos);
        this.pool = config.handshakeThreads() == 0 ? null : new TlsTaskPool(config.handshakeThreads());
    }

    /**
     * @return a server-mode engine with the newest key material: the key files are checked here, when a check is
     *         due, not at the handshake, which comes after this engine (and its key material) was made; there the
     *         first connection after a renewal still got the old certificate
     */
    SSLEngine newEngine() {
        maybeReload();
        return engines.get();
    }

    /**
     * Runs {@code c}'s handshake on the calling (the connection's own) thread, its expensive steps on the pool if
     * there is one. A slot is held only while the handshake computes, not while it waits for the client (see
     * {@code TlsHandshake#run}: a client stalling mid-handshake must not keep other clients' handshakes waiting).
     *
     * @return true if the connection is ready for its protocol; false if it failed or timed out (logged at DEBUG:
     *         scanners and impatient clients are routine on the internet), and must be closed
     */
    boolean handshake(SocketConnection c) {
        try {
            c.handshake(timeoutNanos, config.plaintextReply(), handshakes, pool);
            return true;
        } catch (IOException e) {
            // Interrupted while waiting for a slot (a stop): the interrupt is kept; the connection is closed.
            LOG.log(System.Logger.Level.DEBUG, () -> "TLS handshake with " + c.remoteAddress() + " failed: " + e.getMessage());
            return false;
        }
    }

    /** Checks the key files when the check interval has passed; one connection checks, the others go on. */
    private void maybeReload() {
        if (checkEveryNanos == 0) return;
        long due = nextCheck.get();
        long now = System.nanoTime();
        if (now - due < 0 || !nextCheck.compareAndSet(due, now + checkEveryNanos)) return;
        try {
            if (reloader.reloadIfChanged()) LOG.log(System.Logger.Level.INFO, "TLS certificates reloaded");
        } catch (TlsSetupException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS certificates not reloaded, keeping the current ones: " + e.getMessage());
        } catch (RuntimeException e) {
            // This runs on the accepting thread (a new connection's engine): whatever a reload throws must not end
            // it, or the server would stop accepting for good. The current certificates stay.
            LOG.log(System.Logger.Level.WARNING, "TLS certificates not reloaded, keeping the current ones", e);
        }
    }

    /** Loads the key files anew now (SIGHUP). */
    public void reload() throws TlsSetupException {
        reloader.reload();
    }

    /** @return handshake tasks the pool has completed; -1 without a pool (for tests) */
    long pooledTasks() {
        return pool == null ? -1 : pool.completed();
    }

    /** Ends the handshake threads (a server's stop, once its connections ended); later handshakes compute inline. */
    @Override
    public void close() {
        if (pool != null) pool.close();
    }
}
