package dev.porter.core.internal.tls;

import dev.porter.core.KeySource;
import dev.porter.core.TlsSetupException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;

/**
 * A private key and its certificate chain (leaf first), loaded from a {@link KeySource} and checked: the files
 * exist and are readable, hold a certificate and a key, the leaf certificate's public key belongs to the private
 * key, and the leaf is valid now. Every failure is a one-line {@link TlsSetupException} naming the file, with no
 * password in it, so that a server start-up can print it as it is.
 *
 * @param origin the file the material came from (the certificate file for PEM), for messages and logs
 * @param key    the private key
 * @param chain  the certificate chain, leaf first, at least one certificate
 */
record KeyMaterial(Path origin, PrivateKey key, List<X509Certificate> chain) {

    private static final System.Logger LOG = System.getLogger(KeyMaterial.class.getName());
    /** A certificate this close to its end is logged as a warning at each load: renewal was probably missed. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    /** The KeyFactory algorithms a PKCS#8 key is tried with, in order (TLS signs with these: RFC 8446 §4.2.3). */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    KeyMaterial {
        chain = List.copyOf(chain);
    }

    /** Loads and validates {@code source} as of now. */
    static KeyMaterial load(KeySource source) throws TlsSetupException {
        KeyMaterial m = switch (source) {
            case KeySource.Pem pem -> pem(pem);
            case KeySource.Pkcs12 p12 -> pkcs12(p12);
        };
        m.validate(source, Instant.now());
        return m;
    }

    /** @return the leaf certificate, the one that names the host */
    X509Certificate leaf() {
        return chain.getFirst();
    }

    /** @return the leaf's subject alternative names of type dNSName (2) and iPAddress (7), as the JDK renders them */
    List<String> names() {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
            if (sans == null) return names;
            for (List<?> san : sans) {
                if (san.size() >= 2 && (Integer.valueOf(2).equals(san.get(0)) || Integer.valueOf(7).equals(san.get(0)))
                        && san.get(1) instanceof String name) {
                    names.add(name);
                }
            }
        } catch (CertificateParsingException e) {
            // A malformed SAN extension: the certificate names no host, so SNI never picks it (it may be the default).
            LOG.log(System.Logger.Level.DEBUG, "unreadable subject alternative names in " + origin, e);
        }
        return names;
    }

    private static KeyMaterial pem(KeySource.Pem source) throws TlsSetupException {
        Path certFile = source.certificateChain();
        Path keyFile = source.privateKey();
        List<X509Certificate> chain = Pem.certificates(certFile, "TLS certificate file");
        if (chain.isEmpty()) {
            throw new TlsSetupException(
                    "no certificate (-----BEGIN CERTIFICATE-----) in TLS certificate file " + certFile);
        }
        for (Pem.Block block : Pem.blocks(Pem.read(keyFile, "TLS key file"))) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return new KeyMaterial(certFile, pkcs8(block.der(keyFile), keyFile), chain);
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" -> throw new TlsSetupException(
                        "TLS key file " + keyFile + " holds a traditional OpenSSL key (BEGIN " + block.label()
                                + "); Porter reads PKCS#8 (BEGIN PRIVATE KEY): convert it with " + convert(keyFile));
                case "ENCRYPTED PRIVATE KEY" -> throw new TlsSetupException("TLS key file " + keyFile
                        + " is encrypted (BEGIN ENCRYPTED PRIVATE KEY); Porter reads unencrypted PKCS#8 keys:"
                        + " decrypt it with " + convert(keyFile) + " (keep the result private to the server's user)");
                case "OPENSSH PRIVATE KEY" -> throw new TlsSetupException("TLS key file " + keyFile
                        + " holds an OpenSSH key, not a TLS key: give the certificate's PKCS#8 key");
                default -> {
                    // Certificates and parameters beside the key (a combined file) are skipped.
                }
            }
        }
        throw new TlsSetupException("no private key (-----BEGIN PRIVATE KEY-----) in TLS key file " + keyFile);
    }

    /** @return the openssl command that writes {@code key} as unencrypted PKCS#8 next to it */
    private static String convert(Path key) {
        String name = key.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String out = dot > 0 ? name.substring(0, dot) + ".pkcs8" + name.substring(dot) : name + ".pkcs8";
        return "openssl pkcs8 -topk8 -nocrypt -in " + key + " -out " + key.resolveSibling(out);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws TlsSetupException {
        // A PKCS#8 structure names its algorithm (RFC 5208 §5); rather than parse the OID, each factory that TLS
        // can use is asked in turn: a factory refuses a key of another algorithm.
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // Not this algorithm (or this JDK lacks it): try the next.
            }
        }
        throw new TlsSetupException("the key in TLS key file " + file
                + " is malformed or of an unsupported algorithm (RSA, EC and EdDSA are read)");
    }

    private static KeyMaterial pkcs12(KeySource.Pkcs12 source) throws TlsSetupException {
        Path file = source.file();
        char[] password = source.password();
        KeyStore store = Pkcs12.open(file, password, "PKCS#12 file");
        try {
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (!store.isKeyEntry(alias)) continue;
                Key key;
                try {
                    key = store.getKey(alias, password);
                } catch (UnrecoverableKeyException e) {
                    throw new TlsSetupException("the private key in PKCS#12 file " + file
                            + " does not open with the store's password (Porter needs one password for both)", e);
                }
                if (!(key instanceof PrivateKey privateKey)) continue;
                Certificate[] certs = store.getCertificateChain(alias);
                if (certs == null || certs.length == 0) {
                    throw new TlsSetupException("no certificate for the private key in PKCS#12 file " + file);
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : certs) {
                    if (!(c instanceof X509Certificate x)) {
                        throw new TlsSetupException("a certificate in PKCS#12 file " + file + " is not X.509");
                    }
                    chain.add(x);
                }
                return new KeyMaterial(file, privateKey, chain);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot read PKCS#12 file " + file + ": " + Pem.oneLine(e.getMessage()), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        throw new TlsSetupException("no private key entry in PKCS#12 file " + file);
    }

    /** Checks that the leaf belongs to the key and is valid at {@code now}; warns if it expires soon. */
    private void validate(KeySource source, Instant now) throws TlsSetupException {
        if (!belongTogether(key, leaf().getPublicKey())) {
            for (int i = 1; i < chain.size(); i++) {
                if (belongTogether(key, chain.get(i).getPublicKey())) {
                    throw new TlsSetupException("the certificate of the private key is not first in " + origin
                            + ": put the server's own certificate first, then its intermediates (RFC 8446 §4.4.2)");
                }
            }
            String keyPlace = source instanceof KeySource.Pem pem
                    ? "the private key in " + pem.privateKey()
                    : "its private key";
            throw new TlsSetupException("the certificate in " + origin + " does not match " + keyPlace);
        }
        Instant notAfter = leaf().getNotAfter().toInstant();
        Instant notBefore = leaf().getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new TlsSetupException("the TLS certificate in " + origin + " expired on " + day(notAfter)
                    + " (" + notAfter + "); renew it");
        }
        if (now.isBefore(notBefore)) {
            throw new TlsSetupException("the TLS certificate in " + origin + " is not valid before " + day(notBefore)
                    + " (" + notBefore + "); check the clock or the certificate");
        }
        if (Duration.between(now, notAfter).compareTo(EXPIRY_WARNING) < 0) {
            LOG.log(System.Logger.Level.WARNING, "the TLS certificate in " + origin + " expires on " + day(notAfter)
                    + " (" + notAfter + "): renew it");
        }
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /**
     * Whether {@code publicKey} belongs to {@code key}: a fresh nonce signed with one verifies with the other. This
     * works alike for RSA, EC and EdDSA, where comparing key parameters would need code per algorithm.
     */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "RSASSA-PSS" -> null;
            default -> null;
        };
        if (algorithm == null) {
            // PSS keys need their parameters to sign; the handshake itself will reveal a mismatch.
            return key.getAlgorithm().equals(publicKey.getAlgorithm());
        }
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key of another algorithm than the certificate's is refused by initVerify: they do not match.
            return false;
        }
    }

    /** Opening PKCS#12 stores, shared with the trust stores of {@link TrustMaterial}. */
    static final class Pkcs12 {
        private Pkcs12() {
        }

        static KeyStore open(Path file, char[] password, String what) throws TlsSetupException {
            byte[] bytes = Pem.bytes(file, what);
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(new ByteArrayInputStream(bytes), password);
                return store;
            } catch (IOException e) {
                // The JDK reports a wrong password as an IOException caused by UnrecoverableKeyException.
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new TlsSetupException("cannot open " + what + " " + file + ": wrong password", e);
                }
                throw new TlsSetupException("cannot open " + what + " " + file + ": not a PKCS#12 store ("
                        + Pem.oneLine(e.getMessage()) + ")", e);
            } catch (GeneralSecurityException e) {
                throw new TlsSetupException("cannot open " + what + " " + file + ": " + Pem.oneLine(e.getMessage()), e);
            }
        }
    }
}
