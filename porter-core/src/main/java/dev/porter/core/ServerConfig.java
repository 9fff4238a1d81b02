package dev.porter.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Server} binds and what it allows. Immutable; start from {@link #defaults()} or
 * {@link #of(String, int)} and change values with the {@code withX} methods.
 *
 * @param host           address to bind: a name or literal, IPv4 or IPv6; {@code "0.0.0.0"} or {@code "::"} for
 *                       every address. Default {@code 127.0.0.1}.
 * @param port           port to bind; 0 picks a free one ({@link Server#port()} tells which). Default 0.
 * @param backlog        listen backlog: connect requests the kernel queues before refusing. Default 1024.
 * @param maxConnections most connections open at once; see {@link #overflow()}. Default 10,000.
 * @param overflow       what happens to a client beyond {@code maxConnections}. Default {@link OverflowPolicy#CLOSE}.
 * @param reuseAddress   SO_REUSEADDR on the welcome socket, so a restarted server can bind at once. Default true.
 * @param connection     limits and timeouts of every accepted connection
 * @param tls            TLS beneath every connection's conversation, or null for plaintext. Default null
 * @param proxyProtocol  a PROXY protocol header required from every connection (before TLS) and accepted only
 *                       from trusted peers, or null for none (the default); see {@link ProxyProtocolConfig}
 * @param reusePort      SO_REUSEPORT on the welcome socket, so several processes may listen on the same address
 *                       and port and the kernel spreads new connections among them. Default false. Where the
 *                       platform lacks it, {@link Server#start} fails with {@link UnsupportedOperationException}
 */
public record ServerConfig(String host, int port, int backlog, int maxConnections, OverflowPolicy overflow,
                           boolean reuseAddress, ConnectionConfig connection, TlsConfig tls,
                           ProxyProtocolConfig proxyProtocol, boolean reusePort) {

    /** Validates every value. */
    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(connection, "connection");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
        if (backlog < 1) throw new IllegalArgumentException("backlog must be >= 1: " + backlog);
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
    }

    /** A server without PROXY protocol or SO_REUSEPORT; see the canonical constructor. */
    public ServerConfig(String host, int port, int backlog, int maxConnections, OverflowPolicy overflow,
                        boolean reuseAddress, ConnectionConfig connection, TlsConfig tls) {
        this(host, port, backlog, maxConnections, overflow, reuseAddress, connection, tls, null, false);
    }

    /** A plaintext server; see the canonical constructor. */
    public ServerConfig(String host, int port, int backlog, int maxConnections, OverflowPolicy overflow,
                        boolean reuseAddress, ConnectionConfig connection) {
        this(host, port, backlog, maxConnections, overflow, reuseAddress, connection, null);
    }

    /** Loopback, a free port, backlog 1024, 10,000 connections, overflow closed, default connection limits. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 0, 1024, 10_000, OverflowPolicy.CLOSE, true, ConnectionConfig.defaults());
    }

    /** The defaults, bound to this host and port. */
    public static ServerConfig of(String host, int port) {
        return defaults().withHost(host).withPort(port);
    }

    /** @return a copy bound to this host */
    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, backlog, maxConnections, overflow, reuseAddress, connection, tls, proxyProtocol, reusePort);
    }

    /** @return a copy bound to this port */
    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, backlog, maxConnections, overflow, reuseAddress, connection, tls, proxyProtocol, reusePort);
    }

    /** @return a copy with this listen backlog */
    public ServerConfig withBacklog(int b) {
        return new ServerConfig(host, port, b, maxConnections, overflow, reuseAddress, connection, tls, proxyProtocol, reusePort);
    }

    /** @return a copy allowing at most this many connections, handling more as {@code policy} says */
    public ServerConfig withMaxConnections(int max, OverflowPolicy policy) {
        return new ServerConfig(host, port, backlog, max, policy, reuseAddress, connection, tls, proxyProtocol, reusePort);
    }

    /** @return a copy with SO_REUSEADDR on or off */
    public ServerConfig withReuseAddress(boolean on) {
        return new ServerConfig(host, port, backlog, maxConnections, overflow, on, connection, tls, proxyProtocol, reusePort);
    }

    /** @return a copy whose connections use these limits */
    public ServerConfig withConnection(ConnectionConfig c) {
        return new ServerConfig(host, port, backlog, maxConnections, overflow, reuseAddress, c, tls, proxyProtocol, reusePort);
    }

    /** @return a copy serving every connection over TLS ({@code null}: plaintext) */
    public ServerConfig withTls(TlsConfig t) {
        return new ServerConfig(host, port, backlog, maxConnections, overflow, reuseAddress, connection, t, proxyProtocol, reusePort);
    }

    /** @return a copy requiring a PROXY protocol header from trusted peers ({@code null}: none) */
    public ServerConfig withProxyProtocol(ProxyProtocolConfig p) {
        return new ServerConfig(host, port, backlog, maxConnections, overflow, reuseAddress, connection, tls, p, reusePort);
    }

    /** @return a copy with SO_REUSEPORT on or off */
    public ServerConfig withReusePort(boolean on) {
        return new ServerConfig(host, port, backlog, maxConnections, overflow, reuseAddress, connection, tls, proxyProtocol, on);
    }

    /** @return a copy whose connections close after this much silence between messages */
    public ServerConfig withIdleTimeout(Duration d) {
        return withConnection(connection.withIdleTimeout(d));
    }
}
