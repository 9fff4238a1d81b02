package dev.porter.core.internal.tls;

import dev.porter.core.TlsInfo;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link TlsInfo} a protocol sees on {@code Connection.tls()} from a finished handshake. */
public final class TlsSessions {

    private TlsSessions() {
    }

    /**
     * @param session             the session the handshake settled ({@code engine.getSession()})
     * @param applicationProtocol the ALPN result ({@code engine.getApplicationProtocol()}); null or "" for none
     * @param serverName          the SNI host name, or null if none was sent
     * @return what the handshake settled; peer certificates empty when the peer showed none
     */
    public static TlsInfo info(SSLSession session, String applicationProtocol, String serverName) {
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), applicationProtocol, serverName,
                peerCertificates(session));
    }

    /**
     * @return what {@code engine}'s finished handshake settled: on a server the name the client asked for, on a
     *         client the name it sent
     */
    public static TlsInfo info(SSLEngine engine) {
        SSLSession session = engine.getSession();
        String serverName = engine.getUseClientMode()
                ? sentServerName(engine)
                : SniKeyManager.requestedServerName(session);
        if (engine.getUseClientMode() || engine.getNeedClientAuth() || engine.getWantClientAuth()) {
            return info(session, engine.getApplicationProtocol(), serverName);
        }
        // A server that asked for no certificate has none to report, and asking the session anyway costs an
        // SSLPeerUnverifiedException with its stack trace on every handshake (one per connection in JFR's
        // exception counts of the new-connection job).
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), engine.getApplicationProtocol(),
                serverName, List.of());
    }

    private static String sentServerName(SSLEngine engine) {
        List<SNIServerName> names = engine.getSSLParameters().getServerNames();
        if (names == null) return null;
        for (SNIServerName n : names) {
            if (n instanceof SNIHostName h) return h.getAsciiName();
        }
        return null;
    }

    private static List<X509Certificate> peerCertificates(SSLSession session) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) chain.add(x);
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            // No certificate shown: a client without one (ClientAuth.OPTIONAL), or no handshake yet.
            return List.of();
        }
    }
}
