package dev.porter.core;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a TLS connection's handshake settled, as a protocol sees it on {@link Connection#tls()}.
 *
 * @param protocol            {@code TLSv1.3} or {@code TLSv1.2}
 * @param cipherSuite         the negotiated suite, e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param applicationProtocol the ALPN protocol chosen ({@code h2}, {@code http/1.1}), or empty if none was
 * @param serverName          the host name the client asked for (SNI), or null if it sent none
 * @param peerCertificates    the peer's chain, leaf first: the client's (mTLS) on a server, the server's on a
 *                            client; empty if it showed none
 */
public record TlsInfo(String protocol, String cipherSuite, String applicationProtocol, String serverName,
                      List<X509Certificate> peerCertificates) {

    public TlsInfo {
        applicationProtocol = applicationProtocol == null ? "" : applicationProtocol;
        peerCertificates = List.copyOf(peerCertificates);
    }
}
