package dev.porter.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** The JDK's own TLS client, for what a server presents: its certificate's fingerprint, a socket trusting a CA. */
final class TlsProbe {

    private TlsProbe() {
    }

    /** @return the SHA-256 fingerprint of the certificate a new connection to {@code port} is shown (not checked) */
    static String fingerprint(String host, int port) throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new AcceptAll()}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(10_000);
            s.startHandshake();
            return DevCertificate.fingerprint((X509Certificate) s.getSession().getPeerCertificates()[0]);
        }
    }

    /** @return a connected socket, handshake done, trusting only the authorities of {@code caFile}, host name checked */
    static SSLSocket connect(Path caFile, String host, int port) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** @return the certificate in the first line of output of the form {@code ..., SHA-256 XX:YY:...} */
    static String fingerprintIn(String line) {
        int at = line.lastIndexOf("SHA-256 ");
        if (at < 0) throw new AssertionError("no SHA-256 fingerprint in: " + line);
        return line.substring(at + 8).strip();
    }

    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return List.<X509Certificate>of().toArray(new X509Certificate[0]);
        }
    }
}
