package dev.porter.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS for a connection made by {@link Client#connect(String, int, Duration, ConnectionConfig, ClientTls)}: TLS
 * 1.3 and 1.2, the server's certificate checked against {@code trust} and its name against the host connected
 * to (RFC 9110 §4.3.4; on unless {@link TrustSource.TrustAll}), the host sent as SNI.
 *
 * @param trust                the authorities the server's certificate must chain to; default the JDK's
 * @param applicationProtocols ALPN names offered, in order of preference; empty offers none
 * @param clientCertificate    a certificate to present if the server asks (mTLS), or null
 * @param handshakeTimeout     longest the handshake may take. Default 10 s
 */
public record ClientTls(TrustSource trust, List<String> applicationProtocols, KeySource clientCertificate,
                        Duration handshakeTimeout) {

    public ClientTls {
        Objects.requireNonNull(trust, "trust");
        applicationProtocols = List.copyOf(applicationProtocols);
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /** The JDK's trust store, no ALPN, no client certificate, 10 s. */
    public static ClientTls defaults() {
        return new ClientTls(TrustSource.jdkDefault(), List.of(), null, Duration.ofSeconds(10));
    }

    /** @return a copy trusting {@code t} */
    public ClientTls withTrust(TrustSource t) {
        return new ClientTls(t, applicationProtocols, clientCertificate, handshakeTimeout);
    }

    /** @return a copy offering these ALPN protocols */
    public ClientTls withApplicationProtocols(List<String> names) {
        return new ClientTls(trust, names, clientCertificate, handshakeTimeout);
    }

    /** @return a copy presenting this certificate when asked */
    public ClientTls withClientCertificate(KeySource k) {
        return new ClientTls(trust, applicationProtocols, k, handshakeTimeout);
    }

    /** @return a copy with this handshake timeout */
    public ClientTls withHandshakeTimeout(Duration d) {
        return new ClientTls(trust, applicationProtocols, clientCertificate, d);
    }
}
