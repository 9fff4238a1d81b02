package dev.porter.core.internal;

import dev.porter.core.Connection;
import dev.porter.core.ConnectionInfo;
import dev.porter.core.OverflowPolicy;
import dev.porter.core.Protocol;
import dev.porter.core.ServerConfig;
import dev.porter.core.ServerStats;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The welcome socket at work: binds, listens, and only accepts. Every accepted client socket is handed to a new
 * virtual thread running the protocol, and the loop goes straight back to {@code accept()}. Also owns the
 * bookkeeping the public {@code Server} reports: live connections, counters, graceful stop.
 */
public final class AcceptLoop implements ConnectionOwner {

    private static final System.Logger LOG = System.getLogger("dev.porter.core.Server");
    /** How long stop() waits, after closing the last connections, for their threads to unwind. */
    private static final long UNWIND_NANOS = 2_000_000_000L;

    private final ServerConfig config;
    private final Protocol protocol;
    /** TLS beneath every connection, or null for plaintext. */
    private final TlsAcceptor tls;
    /** The PROXY protocol header required first on every connection, or null. */
    private final ProxyAcceptor proxy;
    private final ServerSocketChannel welcome;
    private final InetSocketAddress bound;
    private final BufferPool pool = BufferPool.shared();
    private final ThreadFactory threads = Thread.ofVirtual().factory();
    private final Set<SocketConnection> live = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final IdlePoller poller;
    private final Thread acceptThread;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong runningThreads = new AtomicLong();
    private volatile boolean draining;
    private volatile boolean stopped;

    /** Binds the welcome socket at once, so a port in use fails here with a clear {@link java.net.BindException}. */
    public AcceptLoop(ServerConfig config, Protocol protocol, TlsAcceptor tls) throws IOException {
        this.config = config;
        this.protocol = protocol;
        this.tls = tls;
        this.proxy = config.proxyProtocol() == null ? null : new ProxyAcceptor(config.proxyProtocol());
        this.slots = new Semaphore(config.maxConnections());
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, config.reuseAddress());
            if (config.reusePort()) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this platform");
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            InetSocketAddress at = new InetSocketAddress(config.host(), config.port());
            // bind() would throw the unchecked UnresolvedAddressException, without a message: say it as
            // Client.connect does.
            if (at.isUnresolved()) throw new java.net.UnknownHostException(config.host());
            ch.bind(at, config.backlog());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.welcome = ch;
        this.bound = (InetSocketAddress) ch.getLocalAddress();
        this.poller = new IdlePoller("porter-idle-" + bound.getPort(), this::resume, this::ended,
                overridesExpired(protocol) ? this::expired : this::ended);
        this.acceptThread = Thread.ofPlatform().name("porter-welcome-" + bound.getPort()).unstarted(this::acceptLoop);
    }

    /** @return the address actually bound (the real port when 0 was asked) */
    public InetSocketAddress address() {
        return bound;
    }

    /** Starts the idle poller and the accept thread. */
    public void start() {
        poller.start();
        acceptThread.start();
    }

    @Override
    public boolean draining() {
        return draining;
    }

    private void acceptLoop() {
        boolean backlog = config.overflow() == OverflowPolicy.BACKLOG;
        while (!stopped) {
            SocketChannel ch;
            try {
                if (backlog) slots.acquire();
                ch = welcome.accept();
            } catch (ClosedChannelException e) {
                if (backlog) slots.release();
                break; // stop() closed the welcome socket
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (IOException e) {
                if (backlog) slots.release();
                // EMFILE and friends: back off briefly instead of spinning, keep the server alive.
                LOG.log(System.Logger.Level.WARNING, "accept failed on " + bound + ": " + e.getMessage());
                LockSupport.parkNanos(10_000_000);
                continue;
            }
            long id = accepted.incrementAndGet();
            if (!backlog && !slots.tryAcquire()) {
                rejected.incrementAndGet();
                closeQuietly(ch);
                continue;
            }
            handOff(ch, id);
        }
    }

    private void handOff(SocketChannel ch, long id) {
        SocketConnection c;
        try {
            if (proxy != null && !proxy.admits((InetSocketAddress) ch.getRemoteAddress())) {
                // Its header would be a spoof (proxy-protocol.txt §5), and it may not talk without one.
                rejected.incrementAndGet();
                slots.release();
                closeQuietly(ch);
                return;
            }
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c = new SocketConnection(ch, config.connection(), pool, this, tls == null ? null : tls.newEngine());
            c.awaitsProxyHeader = proxy != null;
        } catch (IOException e) {
            // The client vanished between accept and setup (ENOTCONN): nothing to serve.
            slots.release();
            closeQuietly(ch);
            return;
        }
        c.id = id;
        live.add(c);
        active.incrementAndGet();
        resume(c);
    }

    /** Runs (or resumes) the protocol for {@code c} on a new virtual thread. */
    private void resume(SocketConnection c) {
        runningThreads.incrementAndGet();
        threads.newThread(() -> converse(c)).start();
    }

    private void converse(SocketConnection c) {
        boolean parked = false;
        c.thread = Thread.currentThread();
        try {
            // The PROXY header comes first on the wire, before a TLS ClientHello.
            if (c.awaitsProxyHeader && !proxy.readHeader(c)) return;
            if (c.needsHandshake() && !tls.handshake(c)) return;
            while (true) {
                c.parkRequested = false;
                protocol.serve(c);
                if (!c.parkRequested || !c.isOpen() || draining) break;
                if (c.hasBufferedInput()) continue;
                c.releaseAll();
                c.thread = null;
                // The connection's own idle timeout: a protocol may have set a shorter one (an HTTP keep-alive).
                if (poller.park(c, c.idleNanos())) {
                    parked = true;
                    return; // the poller owns c now
                }
                break;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + c.remoteAddress() + " ended: " + e);
        } catch (InterruptedException e) {
            // Only stop() interrupts conversation threads, after its deadline: the connection is closed already.
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + c.remoteAddress() + " interrupted by stop");
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "protocol failed for client " + c.remoteAddress() + "; closing it", t);
        } finally {
            if (!parked) endConversation(c);
            // Last, so that once stop() sees no running thread, every ended connection is already counted.
            runningThreads.decrementAndGet();
        }
    }

    /** A parked connection's idle timeout passed: the protocol says goodbye on a thread of its own, then it closes. */
    private void expired(SocketConnection c) {
        runningThreads.incrementAndGet();
        threads.newThread(() -> {
            c.thread = Thread.currentThread();
            try {
                c.channel.configureBlocking(true);
                Watchdog.resumed(c); // the goodbye's write is bounded by the write timeout
                protocol.expired(c);
                c.flush();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection " + c.remoteAddress() + " expired: " + e);
            } finally {
                endConversation(c);
                runningThreads.decrementAndGet();
            }
        }).start();
    }

    /** @return true if {@code p} has something to say to an expiring connection (else no thread is started) */
    private static boolean overridesExpired(Protocol p) {
        try {
            return p.getClass().getMethod("expired", Connection.class).getDeclaringClass() != Protocol.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Protocol.expired is public", e);
        }
    }

    /** The end of a conversation thread's last turn: close_notify over TLS, the socket closed, the slot freed. */
    private void endConversation(SocketConnection c) {
        c.thread = null;
        if (tls != null) sayGoodbye(c);
        c.close();
        c.releaseBuffers();
        ended(c);
    }

    /** A TLS conversation that ended while the connection is open: send close_notify (RFC 8446 §6.1) first. */
    private static void sayGoodbye(SocketConnection c) {
        if (!c.isOpen() || c.needsHandshake()) return;
        try {
            c.shutdownOutput();
        } catch (IOException e) {
            // The peer left first: nobody to tell.
        }
    }

    /** @return the TLS side of this server, or null for plaintext */
    public TlsAcceptor tls() {
        return tls;
    }

    private void ended(SocketConnection c) {
        c.close();
        if (live.remove(c)) {
            // Free the slot before the counters show the connection gone: whoever sees active() drop may connect
            // at once and must find room (a flood's end is recovered from immediately).
            slots.release();
            active.decrementAndGet();
            closed.incrementAndGet();
        }
    }

    /**
     * Walks the live connections, parked ones included: costs the caller a record per connection, and the
     * connections nothing (each one's figures are fields it keeps anyway).
     *
     * @return the open connections in the order they were accepted
     */
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> all = new ArrayList<>(live.size());
        for (SocketConnection c : live) {
            ConnectionInfo info = c.info();
            if (info != null) all.add(info);
        }
        all.sort(Comparator.comparingLong(ConnectionInfo::id));
        return all;
    }

    /** @return a snapshot of the counters */
    public ServerStats stats() {
        return new ServerStats(accepted.get(), active.get(), rejected.get(), closed.get(), runningThreads.get());
    }

    /**
     * Closes the welcome socket and marks the server draining, while open connections go on being served: the
     * first step of a drain behind a load balancer (its health checks are refused, so it sends no more).
     */
    public void stopAccepting() {
        if (draining) return;
        draining = true;
        closeQuietly(welcome);
        LOG.log(System.Logger.Level.INFO, "stopped accepting on " + bound + "; " + active.get() + " connection(s) still served");
    }

    /**
     * Stops accepting, ends idle connections, waits up to {@code grace} for conversations in flight, then
     * closes the rest.
     *
     * @return the number of connections closed at the deadline
     */
    public int stop(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        stopped = true;
        draining = true;
        closeQuietly(welcome);
        // Wake a BACKLOG-mode loop waiting for a slot: it takes this permit and its accept() fails on the closed
        // welcome socket. Never interrupt the accept thread: an interrupt landing while accept() completes makes
        // the JDK throw ClosedByInterruptException and drop the accepted socket unclosed (a leaked descriptor,
        // and a client left waiting forever).
        slots.release();
        acceptThread.join();
        poller.stop();
        // A protocol may stop its own server (an admin "shutdown" command): never wait for, close or interrupt
        // the conversation that is calling; it ends when its serve() returns.
        SocketConnection caller = null;
        for (SocketConnection c : live) {
            if (c.thread == Thread.currentThread()) caller = c;
        }
        int callers = caller == null ? 0 : 1;
        for (SocketConnection c : live) c.wakeIfIdle();
        while (runningThreads.get() > callers && System.nanoTime() < deadline) {
            Thread.sleep(5);
            for (SocketConnection c : live) c.wakeIfIdle();
        }
        // The deadline passed: close what is left. A thread blocked on its socket fails at once; one waiting on
        // something else (a lock, a queue, a sleep) is interrupted.
        int forced = 0;
        for (SocketConnection c : live) {
            if (c == caller) continue;
            forced++;
            c.close();
            Thread t = c.thread;
            if (t != null) t.interrupt();
        }
        long unwind = System.nanoTime() + UNWIND_NANOS;
        while (runningThreads.get() > callers && System.nanoTime() < unwind) Thread.sleep(2);
        long stuck = runningThreads.get() - callers;
        if (stuck > 0) {
            LOG.log(System.Logger.Level.WARNING, stuck + " conversation thread(s) on " + bound
                    + " ignored the stop (closed socket and interrupt) and are still running");
        }
        for (SocketConnection c : live) {
            if (c != caller) ended(c);
        }
        if (tls != null) tls.close();
        return forced;
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed", e);
        }
    }
}
