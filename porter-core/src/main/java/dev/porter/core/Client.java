package dev.porter.core;

import dev.porter.core.internal.SocketConnection;
import dev.porter.core.internal.tls.ClientTlsContext;

import javax.net.ssl.SSLEngine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client socket: connects to a welcome socket, then sends requests and reads replies through the returned
 * {@link Connection}.
 *
 * <pre>{@code
 * try (Connection c = Client.connect("127.0.0.1", 7000, Duration.ofSeconds(5))) {
 *     c.writeLine("hello"); c.flush();
 *     System.out.println(c.readLine());
 * }
 * }</pre>
 */
public final class Client {

    private Client() {
    }

    /**
     * Connects with the default connection limits.
     *
     * @throws SocketTimeoutException      if the connection is not made within {@code timeout}
     * @throws java.net.ConnectException   if refused
     * @throws java.net.UnknownHostException if the host does not resolve
     */
    public static Connection connect(String host, int port, Duration timeout) throws IOException {
        return connect(host, port, timeout, ConnectionConfig.defaults());
    }

    /** Connects with the given limits; see {@link #connect(String, int, Duration)}. */
    public static Connection connect(String host, int port, Duration timeout, ConnectionConfig config)
            throws IOException {
        return connect(host, port, timeout, config, null);
    }

    /**
     * Connects, then runs a TLS handshake when {@code tls} is given: the returned connection carries the
     * conversation's plaintext, and {@link Connection#tls()} tells what was negotiated. The server's certificate
     * is checked against {@link ClientTls#trust()} and its name against {@code host} (unless trust is
     * {@link TrustSource.TrustAll}); {@code host} is sent as SNI unless it is an IP literal.
     *
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails: an untrusted or mismatching certificate,
     *                                             no protocol, cipher or ALPN name in common
     * @throws TlsSetupException                   if {@code tls} names a trust store or key file that cannot be read
     */
    public static Connection connect(String host, int port, Duration timeout, ConnectionConfig config, ClientTls tls)
            throws IOException {
        return connect(host, port, timeout, config, tls, null);
    }

    /**
     * Connects as {@link #connect(String, int, Duration, ConnectionConfig, ClientTls)}, first sending
     * {@code preface} in the clear: before the TLS handshake when {@code tls} is given, else at once. For a PROXY
     * protocol header, which precedes everything else on the connection, the TLS handshake included
     * (proxy-protocol.txt §2: the receiver reads it before any other byte). The bytes are written whole before
     * this returns (or the handshake starts); null or empty sends nothing.
     */
    public static Connection connect(String host, int port, Duration timeout, ConnectionConfig config, ClientTls tls,
                                     byte[] preface) throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UnknownHostException(host);
        }
        // Trust and key files are read before connecting: a bad file is the caller's error, not the server's.
        SSLEngine engine = tls == null ? null : context(tls).newEngine(host, port);
        SocketConnection c = open(host, port, addresses, timeout, config, engine, preface);
        if (engine != null) {
            try {
                c.handshake(tls.handshakeTimeout().toNanos(), null);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /**
     * Tries the host's addresses in the resolver's order until one accepts, within {@code timeout} for them all, as
     * curl and Python do: "localhost" is 127.0.0.1 and ::1 on most systems, and a server may listen on one only. A
     * refusal (or an unreachable network) moves on to the next address; a timeout ends the attempt.
     */
    private static SocketConnection open(String host, int port, InetAddress[] addresses, Duration timeout,
                                         ConnectionConfig config, SSLEngine engine, byte[] preface) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketException first = null;
        for (InetAddress a : addresses) {
            long left = deadline - System.nanoTime();
            if (first != null && left <= 0) break;
            try {
                return open(host, port, new InetSocketAddress(a, port), first == null ? timeout : Duration.ofNanos(left),
                        timeout, config, engine, preface);
            } catch (SocketException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        throw first;
    }

    /** @param wait this address's share of {@code timeout}, the whole wait (which a timeout's message names) */
    private static SocketConnection open(String host, int port, InetSocketAddress address, Duration wait, Duration timeout,
                                         ConnectionConfig config, SSLEngine engine, byte[] preface) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis())));
            if (preface != null && preface.length > 0) {
                // Beneath the transport, so beneath TLS: a blocking channel writes it whole (a loop for safety).
                ByteBuffer b = ByteBuffer.wrap(preface);
                while (b.hasRemaining()) ch.write(b);
            }
            return new SocketConnection(ch, config, null, null, engine);
        } catch (SocketTimeoutException e) {
            ch.close();
            throw new SocketTimeoutException("connect to " + host + ":" + port + " timed out after " + timeout.toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Reads {@code tls}'s trust and key files now, as the first {@link #connect} with it would (and keeps what it
     * read for later connections with this same {@code ClientTls}), so that a program can say at start what is
     * wrong with them rather than fail its first connection. Thread-safe.
     *
     * @throws TlsSetupException one line naming the file and the problem: missing, unreadable, no certificate,
     *                           a key that does not match its certificate
     */
    public static void check(ClientTls tls) throws TlsSetupException {
        context(Objects.requireNonNull(tls, "tls"));
    }

    /** Contexts by configuration: loading a trust store costs milliseconds, a connection should not pay it. */
    private static final Map<ClientTls, ClientTlsContext> CONTEXTS = new ConcurrentHashMap<>();

    private static ClientTlsContext context(ClientTls tls) throws TlsSetupException {
        ClientTlsContext ctx = CONTEXTS.get(tls);
        if (ctx != null) return ctx;
        ctx = ClientTlsContext.of(tls);
        if (CONTEXTS.size() >= 64) CONTEXTS.clear(); // a process with many configurations rebuilds now and then
        CONTEXTS.put(tls, ctx);
        return ctx;
    }
}
