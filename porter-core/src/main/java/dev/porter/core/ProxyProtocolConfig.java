package dev.porter.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The PROXY protocol on a listener (HAProxy's proxy-protocol.txt, versions 1 and 2, both accepted): every
 * connection from a trusted peer must open with a header naming the real client, which then stands as
 * {@link Connection#remoteAddress()} (the socket's own peer stays {@link Connection#peerAddress()}). The header is
 * read before anything else, TLS included. As the specification demands, nothing is guessed: a trusted peer that
 * sends no valid header within {@code headerTimeout}, and any peer outside {@code trustedProxies} (whose header
 * would be a spoof), is disconnected at once without a byte sent; the first of each kind is logged as a warning,
 * later ones at debug. A v2 {@code LOCAL} header (a balancer's health check) and v1 {@code UNKNOWN} keep the
 * socket's addresses. Immutable.
 *
 * @param trustedProxies the peers allowed to connect and send a header; default {@link AddressRange#LOOPBACK}
 * @param headerTimeout  longest wait for the whole header after the connection is accepted; default 5 s (§2
 *                       suggests at least 3, to cover a TCP retransmit)
 * @param maxHeaderSize  longest v2 header in bytes, TLVs included; default 4096, at least 232 (AF_UNIX addresses
 *                       with no TLV). A v1 line is always at most 107 bytes
 */
public record ProxyProtocolConfig(List<AddressRange> trustedProxies, Duration headerTimeout, int maxHeaderSize) {

    /** Validates every value and copies the list. */
    public ProxyProtocolConfig {
        trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, "trustedProxies"));
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("headerTimeout must be positive: " + headerTimeout);
        }
        if (maxHeaderSize < 232) throw new IllegalArgumentException("maxHeaderSize must be >= 232: " + maxHeaderSize);
    }

    /** Loopback trusted, a 5-second header timeout, headers up to 4096 bytes. */
    public static ProxyProtocolConfig defaults() {
        return new ProxyProtocolConfig(AddressRange.LOOPBACK, Duration.ofSeconds(5), 4096);
    }

    /** @return a copy trusting exactly these peers */
    public ProxyProtocolConfig withTrustedProxies(List<AddressRange> ranges) {
        return new ProxyProtocolConfig(ranges, headerTimeout, maxHeaderSize);
    }

    /** @return a copy waiting at most this long for the header */
    public ProxyProtocolConfig withHeaderTimeout(Duration d) {
        return new ProxyProtocolConfig(trustedProxies, d, maxHeaderSize);
    }

    /** @return a copy accepting v2 headers up to this many bytes */
    public ProxyProtocolConfig withMaxHeaderSize(int bytes) {
        return new ProxyProtocolConfig(trustedProxies, headerTimeout, bytes);
    }

    /** @return true if a peer at {@code peer} may send a header */
    public boolean trusts(java.net.InetAddress peer) {
        return AddressRange.anyContains(trustedProxies, peer);
    }
}
