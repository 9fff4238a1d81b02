package dev.porter.core;

import java.nio.file.Path;
import java.util.Objects;

/** Which certificates a TLS peer is trusted by: the JDK's default store, a CA file, or a PKCS#12 trust store. */
public sealed interface TrustSource permits TrustSource.JdkDefault, TrustSource.CaFile, TrustSource.TrustStore,
        TrustSource.TrustAll {

    /** The JDK's trust store ({@code cacerts}). */
    record JdkDefault() implements TrustSource {
    }

    /** One or more PEM certificates ({@code -----BEGIN CERTIFICATE-----}) trusted as certificate authorities. */
    record CaFile(Path file) implements TrustSource {
        public CaFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** A PKCS#12 trust store; its certificate entries are the trusted authorities. */
    record TrustStore(Path file, char[] password) implements TrustSource {
        public TrustStore {
            Objects.requireNonNull(file, "file");
            password = password == null ? new char[0] : password.clone();
        }

        @Override
        public char[] password() {
            return password.clone();
        }

        @Override
        public String toString() {
            return "TrustStore[" + file + "]";
        }
    }

    /**
     * Trusts any certificate and skips host-name verification: for {@code porter get -k} against a test server
     * only. The connection is encrypted but not authenticated.
     */
    record TrustAll() implements TrustSource {
    }

    /** @return the JDK's default trust store */
    static TrustSource jdkDefault() {
        return new JdkDefault();
    }
}
