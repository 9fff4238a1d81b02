package dev.porter.core.internal;

import dev.porter.core.ProxyProtocolConfig;
import dev.porter.core.internal.proxy.ProxyHeaderException;
import dev.porter.core.internal.proxy.ProxyHeaderParser;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PROXY protocol side of a listener: refuses peers it does not trust, and reads each trusted connection's
 * header on the connection's own thread before TLS or the protocol see a byte (proxy-protocol.txt §2: "the
 * receiver MUST NOT start processing the connection before it receives a complete and valid PROXY protocol
 * header"). Bytes read past the header go back to the connection for the next reader. A refused connection is
 * closed without a word; the first refusal of each kind is a warning, later ones are debug lines, so a
 * misconfigured balancer shows in the log at once and a scanner cannot flood it.
 */
final class ProxyAcceptor {

    private static final System.Logger LOG = System.getLogger("dev.porter.core.Server");
    /** The first read's buffer: every header without large TLVs fits (§2: headers fit in 536 bytes). */
    private static final int FIRST_READ = 536;

    private final ProxyProtocolConfig config;
    private final AtomicBoolean warnedUntrusted = new AtomicBoolean();
    private final AtomicBoolean warnedBadHeader = new AtomicBoolean();

    ProxyAcceptor(ProxyProtocolConfig config) {
        this.config = config;
    }

    /** @return true if {@code peer} may connect; false (logged) if it must be closed at once */
    boolean admits(InetSocketAddress peer) {
        if (config.trusts(peer.getAddress())) return true;
        log(warnedUntrusted, () -> "closed a connection from " + peer.getAddress().getHostAddress()
                + ": this listener requires a PROXY protocol header, accepted only from trusted proxies "
                + config.trustedProxies());
        return false;
    }

    /**
     * Reads {@code c}'s header within the configured time.
     *
     * @return true if the connection may go on (its client address set); false if it must be closed (logged)
     */
    boolean readHeader(SocketConnection c) {
        ProxyHeaderParser parser = new ProxyHeaderParser(config.maxHeaderSize());
        byte[] buf = new byte[Math.min(FIRST_READ, config.maxHeaderSize())];
        int n = 0;
        long deadline = System.nanoTime() + config.headerTimeout().toNanos();
        try {
            while (true) {
                int used = parser.parse(buf, 0, n);
                if (used > 0) {
                    c.proxied(parser.result(), buf, used, n - used);
                    return true;
                }
                // The parser fails a header longer than the limit, so a full buffer below the limit may grow.
                if (n == buf.length) buf = Arrays.copyOf(buf, Math.min(buf.length * 2, config.maxHeaderSize()));
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new SocketTimeoutException("no complete header within " + config.headerTimeout().toMillis() + " ms");
                int r = c.readForProxyHeader(buf, n, buf.length - n, left);
                if (r < 0) {
                    if (n == 0) {
                        // Connected and left without a byte: a TCP health check, or a port scan. Nothing to report.
                        LOG.log(System.Logger.Level.DEBUG, () -> "connection from " + c.peerAddress() + " closed before a PROXY header");
                        return false;
                    }
                    throw new ProxyHeaderException(ProxyHeaderException.Problem.TRUNCATED, "the connection ended inside the header");
                }
                n += r;
            }
        } catch (ProxyHeaderException | SocketTimeoutException e) {
            log(warnedBadHeader, () -> "closed a connection from trusted proxy " + c.peerAddress().getAddress().getHostAddress()
                    + ": no valid PROXY protocol header (" + e.getMessage() + ")");
            return false;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "reading the PROXY header from " + c.peerAddress() + " failed: " + e);
            return false;
        }
    }

    private static void log(AtomicBoolean warned, java.util.function.Supplier<String> message) {
        if (warned.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, message.get() + " (further such connections are logged at DEBUG)");
        } else {
            LOG.log(System.Logger.Level.DEBUG, message);
        }
    }
}
