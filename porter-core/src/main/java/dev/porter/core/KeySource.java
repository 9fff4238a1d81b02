package dev.porter.core;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a certificate chain and its private key come from. Files are read when a server starts and again when
 * they change (see {@link TlsConfig#reloadCheck()}); a file that is missing, unreadable, malformed, expired or
 * whose certificate does not match its key fails the start with a {@link TlsSetupException} naming the file.
 */
public sealed interface KeySource permits KeySource.Pem, KeySource.Pkcs12 {

    /** @return the files this source reads (watched for changes) */
    java.util.List<Path> files();

    /**
     * PEM files: a certificate chain (leaf first, then intermediates) and an unencrypted PKCS#8 private key
     * ({@code -----BEGIN PRIVATE KEY-----}), RSA, EC or Ed25519. Both may be one file. A key in OpenSSL's
     * traditional form ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}) or encrypted is refused with
     * the {@code openssl pkcs8} command that converts it.
     */
    record Pem(Path certificateChain, Path privateKey) implements KeySource {
        public Pem {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public java.util.List<Path> files() {
            return java.util.List.of(certificateChain, privateKey);
        }
    }

    /**
     * A PKCS#12 keystore holding one private key entry (the first one found is used) and its chain.
     *
     * @param password the store's password, which must also open the key; copied, never logged
     */
    record Pkcs12(Path file, char[] password) implements KeySource {
        public Pkcs12 {
            Objects.requireNonNull(file, "file");
            password = password == null ? new char[0] : password.clone();
        }

        @Override
        public char[] password() {
            return password.clone();
        }

        @Override
        public java.util.List<Path> files() {
            return java.util.List.of(file);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pkcs12 p && p.file.equals(file) && Arrays.equals(p.password, password);
        }

        @Override
        public int hashCode() {
            return file.hashCode();
        }

        @Override
        public String toString() {
            return "Pkcs12[" + file + "]";
        }
    }
}
