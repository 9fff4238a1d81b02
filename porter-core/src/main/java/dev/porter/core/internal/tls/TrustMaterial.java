package dev.porter.core.internal.tls;

import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * The trust managers a {@link TrustSource} stands for: the JDK's {@code cacerts}, the certificates of a PEM CA
 * file, the certificate entries of a PKCS#12 trust store, or (a client's {@code -k} only) everything.
 */
final class TrustMaterial {

    private TrustMaterial() {
    }

    /** @return the files {@code source} reads (watched for changes by a server), maybe none */
    static List<Path> files(TrustSource source) {
        return switch (source) {
            case TrustSource.CaFile ca -> List.of(ca.file());
            case TrustSource.TrustStore store -> List.of(store.file());
            case TrustSource.JdkDefault d -> List.of();
            case TrustSource.TrustAll a -> List.of();
        };
    }

    /** Loads {@code source}; a file that is missing, unreadable or holds no certificate fails naming it. */
    static X509ExtendedTrustManager load(TrustSource source) throws TlsSetupException {
        return switch (source) {
            case TrustSource.JdkDefault d -> fromStore(null, "the JDK's trust store");
            case TrustSource.CaFile ca -> caFile(ca.file());
            case TrustSource.TrustStore store -> trustStore(store);
            case TrustSource.TrustAll a -> new TrustAll();
        };
    }

    private static X509ExtendedTrustManager caFile(Path file) throws TlsSetupException {
        List<X509Certificate> cas = Pem.certificates(file, "CA file");
        if (cas.isEmpty()) {
            throw new TlsSetupException("no certificate (-----BEGIN CERTIFICATE-----) in CA file " + file);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
            return fromStore(store, "CA file " + file);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsSetupException("cannot use CA file " + file + ": " + Pem.oneLine(e.getMessage()), e);
        }
    }

    private static X509ExtendedTrustManager trustStore(TrustSource.TrustStore source) throws TlsSetupException {
        Path file = source.file();
        char[] password = source.password();
        try {
            KeyStore store = KeyMaterial.Pkcs12.open(file, password, "trust store");
            boolean any = false;
            for (String alias : Collections.list(store.aliases())) any |= store.isCertificateEntry(alias);
            if (!any) {
                // The JDK reads a PKCS#12 certificate as trusted only with its "trusted key usage" attribute, which
                // keytool writes and openssl does not.
                throw new TlsSetupException("no trusted certificate entry in trust store " + file
                        + " (import the CA with keytool -importcert, or give it as a PEM CA file)");
            }
            return fromStore(store, "trust store " + file);
        } catch (java.security.KeyStoreException e) {
            throw new TlsSetupException("cannot read trust store " + file + ": " + Pem.oneLine(e.getMessage()), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static X509ExtendedTrustManager fromStore(KeyStore store, String what) throws TlsSetupException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) return x;
            }
            throw new TlsSetupException("no X.509 trust manager for " + what);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot use " + what + ": " + Pem.oneLine(e.getMessage()), e);
        }
    }

    /**
     * Trusts every certificate. Being an {@link X509ExtendedTrustManager}, the JDK calls it as it is instead of
     * wrapping it with its own host-name check, so with no endpoint identification algorithm nothing is checked.
     */
    static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Refuses every client certificate: a server that asks for none (ClientAuth.NONE) needs a trust manager all
     * the same, and this one spares loading the JDK's {@code cacerts} for nothing.
     */
    static final class TrustNone extends X509ExtendedTrustManager {
        private static CertificateException refused() {
            return new CertificateException("this server does not accept client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw refused();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw refused();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
