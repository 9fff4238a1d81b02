package dev.porter.core.internal.tls;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;

/**
 * A client's TLS set-up from a {@link ClientTls}: its trust and optional client certificate loaded and checked
 * once, and an {@link SSLEngine} per connection. Every engine: client mode; TLS 1.3 and 1.2 only; the host sent
 * as SNI (RFC 6066 §3) unless it is an IP literal, which SNI cannot carry; the server's certificate checked
 * against the trust and its names against the host (endpoint identification "HTTPS", RFC 9110 §4.3.4 and RFC
 * 6125) unless the trust is {@link TrustSource.TrustAll}; the ALPN names offered; the client certificate
 * presented if the server asks. The cipher suites are the JDK's defaults: a client meets servers it does not
 * control, and the JDK's defaults already exclude every suite it considers weak.
 *
 * <p>One context serves many connections: the JDK keeps its session cache, so a second connection to the same
 * host and port can resume (RFC 8446 §2.2). Thread-safe.
 */
public final class ClientTlsContext {

    private static final System.Logger LOG = System.getLogger(ClientTlsContext.class.getName());

    private final ClientTls tls;
    private final SSLContext context;
    private final boolean verifyHost;

    private ClientTlsContext(ClientTls tls, SSLContext context) {
        this.tls = tls;
        this.context = context;
        this.verifyHost = !(tls.trust() instanceof TrustSource.TrustAll);
    }

    /**
     * Loads the trust and the client certificate of {@code tls}.
     *
     * @throws TlsSetupException one line naming the file and the problem, as for a server
     */
    public static ClientTlsContext of(ClientTls tls) throws TlsSetupException {
        Objects.requireNonNull(tls, "tls");
        KeyManager[] keys = tls.clientCertificate() == null
                ? new KeyManager[0]
                : new KeyManager[]{new SniKeyManager(List.of(KeyMaterial.load(tls.clientCertificate())))};
        TrustManager[] trust = {TrustMaterial.load(tls.trust())};
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            TlsPolicy.protocols(context);
            return new ClientTlsContext(tls, context);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot set up TLS: " + Pem.oneLine(e.getMessage()), e);
        }
    }

    /** @return the settings this context was made from */
    public ClientTls config() {
        return tls;
    }

    /**
     * @param host the host connected to, as the user gave it: a DNS name, an IPv4 literal or an IPv6 literal (with
     *             or without brackets). Its names are what the server's certificate must show
     * @param port the port connected to (with the host, the key of the session cache)
     * @return a new client-mode engine for one connection to {@code host}
     */
    public SSLEngine newEngine(String host, int port) {
        String peer = HostNames.normalize(host);
        SSLEngine engine = context.createSSLEngine(peer, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(TlsPolicy.PROTOCOLS.toArray(String[]::new));
        p.setServerNames(serverNames(peer));
        if (verifyHost) p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!tls.applicationProtocols().isEmpty()) {
            p.setApplicationProtocols(tls.applicationProtocols().toArray(String[]::new));
        }
        engine.setSSLParameters(p);
        return engine;
    }

    private static List<SNIServerName> serverNames(String host) {
        // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in HostName."
        if (host.isEmpty() || HostNames.isIpLiteral(host)) return List.of();
        try {
            return List.of(new SNIHostName(host));
        } catch (IllegalArgumentException e) {
            // A name SNI cannot carry (an underscore, say): connect without SNI; verification still uses the host.
            LOG.log(System.Logger.Level.DEBUG, "no SNI for host " + host + ": " + e.getMessage());
            return List.of();
        }
    }
}
