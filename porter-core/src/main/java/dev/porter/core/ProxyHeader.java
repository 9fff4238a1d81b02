package dev.porter.core;

import dev.porter.core.internal.proxy.ProxyHeaderEncoder;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) says about a connection: the
 * client's address as the proxy in front saw it. A server reads one from a trusted peer before anything else on
 * the connection ({@link ServerConfig#proxyProtocol()}); a proxy puts one in front of what it relays
 * ({@link #encode()}). Immutable and thread-safe.
 *
 * @param version     1 (the text line) or 2 (binary)
 * @param command     {@link Command#PROXY} for a relayed connection, {@link Command#LOCAL} for one the proxy
 *                    made for itself (a health check; v2 only)
 * @param source      the client's address and port, or null when the header names none (v1 {@code UNKNOWN}, v2
 *                    {@code LOCAL}, v2 {@code AF_UNSPEC} or {@code AF_UNIX}): the socket's own peer then stands
 * @param destination the address and port the client connected to, or null exactly when {@code source} is
 * @param alpn        the v2 ALPN TLV (the protocol the client negotiated with the proxy, e.g. {@code h2}), or null
 * @param authority   the v2 AUTHORITY TLV (the host name the client asked for, its TLS SNI), or null
 */
public record ProxyHeader(int version, Command command, InetSocketAddress source, InetSocketAddress destination,
                          String alpn, String authority) {

    /** The v2 command (§2.2); a v1 header is always {@link #PROXY}. */
    public enum Command {
        /** The proxy's own connection (a health check): use the socket's real endpoints. */
        LOCAL,
        /** A relayed connection: the addresses are the client's. */
        PROXY
    }

    /**
     * Validates the combination.
     *
     * @throws IllegalArgumentException if the version is not 1 or 2, only one address is given, addresses come with
     *                                  {@code LOCAL}, an address is unresolved, or v1 is given {@code LOCAL} or TLVs
     */
    public ProxyHeader {
        Objects.requireNonNull(command, "command");
        if (version != 1 && version != 2) throw new IllegalArgumentException("version must be 1 or 2: " + version);
        if ((source == null) != (destination == null)) {
            throw new IllegalArgumentException("give both addresses or neither");
        }
        if (source != null && (source.isUnresolved() || destination.isUnresolved())) {
            throw new IllegalArgumentException("addresses must be resolved IP addresses");
        }
        if (command == Command.LOCAL && source != null) throw new IllegalArgumentException("LOCAL carries no addresses");
        if (version == 1 && (command == Command.LOCAL || alpn != null || authority != null)) {
            throw new IllegalArgumentException("version 1 has neither LOCAL nor TLVs");
        }
    }

    /** @return a v1 header (a text line) naming the client {@code source} that connected to {@code destination} */
    public static ProxyHeader v1(InetSocketAddress source, InetSocketAddress destination) {
        return new ProxyHeader(1, Command.PROXY, Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(destination, "destination"), null, null);
    }

    /** @return a v2 header (binary) naming the client {@code source} that connected to {@code destination} */
    public static ProxyHeader v2(InetSocketAddress source, InetSocketAddress destination) {
        return new ProxyHeader(2, Command.PROXY, Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(destination, "destination"), null, null);
    }

    /** @return a v2 {@code LOCAL} header: the proxy's own connection, such as a health check */
    public static ProxyHeader v2Local() {
        return new ProxyHeader(2, Command.LOCAL, null, null, null, null);
    }

    /** @return a v1 {@code PROXY UNKNOWN} line: the receiver keeps the socket's addresses */
    public static ProxyHeader v1Unknown() {
        return new ProxyHeader(1, Command.PROXY, null, null, null, null);
    }

    /** @return a copy carrying this ALPN protocol id (v2 only) */
    public ProxyHeader withAlpn(String protocol) {
        return new ProxyHeader(version, command, source, destination, protocol, authority);
    }

    /** @return a copy carrying this authority, the host name the client asked for (v2 only) */
    public ProxyHeader withAuthority(String host) {
        return new ProxyHeader(version, command, source, destination, alpn, host);
    }

    /** @return true if the header names the client (else the socket's own peer stands) */
    public boolean hasAddresses() {
        return source != null;
    }

    /**
     * The header as a sender puts it on the wire, to be written before any other byte of the connection and at
     * once (§2: in one segment). Addresses of different families are both sent as IPv6 (an IPv4 one mapped,
     * {@code ::ffff:a.b.c.d}). A v2 header carries the ALPN and AUTHORITY TLVs when set.
     *
     * @return a new array holding the header
     */
    public byte[] encode() {
        return ProxyHeaderEncoder.encode(this);
    }
}
