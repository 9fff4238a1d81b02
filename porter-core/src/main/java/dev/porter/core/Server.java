package dev.porter.core;

import dev.porter.core.internal.AcceptLoop;
import dev.porter.core.internal.TlsAcceptor;
import dev.porter.core.internal.tls.ServerTlsContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The welcome socket: binds an address, listens with a backlog, and only accepts. Each accepted client socket
 * becomes a {@link Connection} served by the {@link Protocol} on a new virtual thread of its own, while the
 * welcome socket goes straight back to accepting (on its own platform thread, {@code porter-welcome-PORT}).
 *
 * <pre>{@code
 * try (Server server = Server.start(ServerConfig.of("127.0.0.1", 7000), c -> {
 *     for (String line; (line = c.readLine()) != null; ) { c.writeLine(line); c.flush(); }
 * })) {
 *     System.out.println("Listening on " + server.address());
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Limits come from {@link ServerConfig}. Thread-safety: every method may be called from any thread.
 */
public final class Server implements AutoCloseable {

    private final AcceptLoop loop;
    private volatile boolean closed;
    private final Object stopLock = new Object();

    private Server(AcceptLoop loop) {
        this.loop = loop;
    }

    /**
     * Binds and starts accepting.
     *
     * @throws java.net.BindException        if the address is in use or not local
     * @throws java.net.UnknownHostException if the host does not resolve
     * @throws IOException                   for other socket failures
     */
    public static Server start(ServerConfig config, Protocol protocol) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        Server s = new Server(new AcceptLoop(config, protocol, tlsAcceptor(config.tls())));
        s.loop.start();
        return s;
    }

    /** Loads the key material once (a bad file fails the start with one clear line) and keeps it fresh. */
    private static TlsAcceptor tlsAcceptor(TlsConfig tls) throws TlsSetupException {
        if (tls == null) return null;
        ServerTlsContext context = ServerTlsContext.load(tls);
        return new TlsAcceptor(tls, context::newEngine, new TlsAcceptor.Reloader() {
            @Override
            public boolean reloadIfChanged() throws TlsSetupException {
                return context.reloadIfChanged();
            }

            @Override
            public void reload() throws TlsSetupException {
                context.reload();
            }
        });
    }

    /**
     * Loads the TLS key files anew (for SIGHUP): connections accepted from now on get the new certificate,
     * existing ones keep theirs.
     *
     * @throws TlsSetupException if a file is missing or invalid (the current certificates stay in use)
     * @throws IllegalStateException if this server has no TLS
     */
    public void reloadTls() throws TlsSetupException {
        if (loop.tls() == null) throw new IllegalStateException("this server does not use TLS");
        loop.tls().reload();
    }

    /** @return the bound address; with port 0 configured, the port actually chosen */
    public InetSocketAddress address() {
        return loop.address();
    }

    /** @return the bound port */
    public int port() {
        return loop.address().getPort();
    }

    /** @return a snapshot of accepted, active, rejected and closed connections and live threads */
    public ServerStats stats() {
        return loop.stats();
    }

    /**
     * The connections open right now, parked idle ones included, each with its state, peer, age, byte counts and
     * what its protocol is busy with ({@link Connection#activity(Object)}). A snapshot taken without stopping
     * anything: the figures may be a moment old. Costs one record per connection, so a status page should not
     * call it more than about once a second.
     *
     * @return the open connections in the order they were accepted (oldest first)
     */
    public List<ConnectionInfo> connections() {
        return loop.connections();
    }

    /**
     * @return true from the moment {@link #stop(Duration)}, {@link #close()} or {@link #stopAccepting()} is called:
     *         for a readiness check that tells a load balancer to send no more clients here
     */
    public boolean isStopping() {
        return loop.draining();
    }

    /**
     * Begins a drain without ending anything: closes the welcome socket, so new clients are refused (a load
     * balancer's health checks fail and it stops sending here; with {@link ServerConfig#reusePort()} the kernel
     * sends new connections to the other processes on the port), while open connections go on being served,
     * told to wrap up ({@link Connection#isDraining()} is true: HTTP/1.1 answers with {@code Connection: close}).
     * Call {@link #stop(Duration)} later to end them. Idempotent; a no-op once stopped.
     */
    public void stopAccepting() {
        synchronized (stopLock) {
            if (!closed) loop.stopAccepting();
        }
    }

    /**
     * Stops gracefully: closes the welcome socket (new clients are refused), closes idle connections, lets
     * conversations in flight finish until {@code grace} has passed ({@link Connection#isDraining()} tells them
     * to wrap up), then closes the rest: a conversation blocked on its socket fails with an {@link IOException},
     * one blocked elsewhere (a lock, a queue, a sleep) is interrupted. Idempotent; returns when every connection
     * thread has ended, or, for threads that ignore both the closed socket and the interrupt, after two more
     * seconds (logged as a warning). A protocol may call this from its own conversation (a "shutdown" command):
     * that conversation is neither waited for nor closed, and ends when its {@code serve} returns.
     *
     * @return how many connections were still busy at the deadline and were closed
     */
    public int stop(Duration grace) {
        synchronized (stopLock) {
            if (closed) return 0;
            closed = true;
            try {
                return loop.stop(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            } finally {
                stopLock.notifyAll();
            }
        }
    }

    /** Blocks until another thread stops this server. */
    public void awaitStop() throws InterruptedException {
        synchronized (stopLock) {
            while (!closed) stopLock.wait();
        }
    }

    /** Stops at once: {@link #stop(Duration)} with no grace. */
    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    /** Throws {@link UncheckedIOException}: for contexts that cannot throw checked exceptions. */
    public static Server startUnchecked(ServerConfig config, Protocol protocol) {
        try {
            return start(config, protocol);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
