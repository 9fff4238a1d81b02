package dev.porter.core.testing;

import dev.porter.core.KeySource;
import dev.porter.core.TrustSource;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A certificate authority made for one test, and certificates it issues, written as files the TLS code reads:
 * the CA as PEM ({@link #caFile()}) and as a PKCS#12 trust store ({@link #trustStore()}); each issued certificate
 * as a PEM chain plus PKCS#8 key and as a PKCS#12 key store (password {@link #PASSWORD}).
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.create(tempDir);
 * TestCertificates.Issued server = ca.server("localhost", "127.0.0.1");   // EC P-256, valid now
 * TlsConfig config = TlsConfig.of(server.pem());
 * ClientTls client = ClientTls.defaults().withTrust(ca.trust());
 * }</pre>
 *
 * Certificates carry what strict verifiers (OpenSSL 3, Python's ssl) demand: subject alternative names, key
 * usage, extended key usage, subject and authority key identifiers. Names that are IP literals become iPAddress
 * SANs, all others dNSName SANs; the first name is also the subject's CN. Issued from one CA per directory.
 * Made with BouncyCastle ({@code bcpkix}, a test dependency), signing with the JDK's providers.
 */
public final class TestCertificates {

    /** The password of every PKCS#12 file written here (keys and trust store). */
    public static final char[] PASSWORD = "changeit".toCharArray();

    /** The key algorithm of an issued certificate. */
    public enum KeyType {
        /** EC on P-256 (secp256r1). */
        EC,
        /** RSA, 2048 bits. */
        RSA,
        /** EdDSA on Curve25519 (RFC 8410). */
        ED25519
    }

    /**
     * One issued certificate and where it was written.
     *
     * @param certificate     the leaf certificate
     * @param key             its private key
     * @param certificateFile the PEM chain (the leaf; the CA is a root and is not repeated)
     * @param keyFile         the PEM PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----})
     * @param pkcs12File      both in a PKCS#12 store, password {@link #PASSWORD}
     */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certificateFile, Path keyFile,
                         Path pkcs12File) {

        /** @return the PEM files as a key source */
        public KeySource.Pem pem() {
            return new KeySource.Pem(certificateFile, keyFile);
        }

        /** @return the PKCS#12 file as a key source */
        public KeySource.Pkcs12 pkcs12() {
            return new KeySource.Pkcs12(pkcs12File, PASSWORD);
        }

        /** Writes this certificate and PKCS#8 key over (or into) {@code chain} and {@code key}: a renewal. */
        public void writePem(Path chain, Path key) {
            writeObject(chain, certificate);
            try {
                writeObject(key, new JcaPKCS8Generator(this.key, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the key in OpenSSL's traditional form ({@code BEGIN RSA PRIVATE KEY} / {@code EC PRIVATE KEY}). */
        public void writeTraditionalKey(Path file) {
            writeObject(file, key);
        }

        /** Writes the key as encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
        public void writeEncryptedKey(Path file, char[] password) {
            try {
                var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider()).setPassword(password).build();
                writeObject(file, new JcaPKCS8Generator(key, encryptor));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final AtomicInteger issued = new AtomicInteger();

    private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /**
     * Makes a CA ("Porter Test CA …", EC P-256, valid from a day ago for a year), writing {@code ca.pem} and
     * {@code ca.p12} into {@code dir} (created if need be).
     */
    public static TestCertificates create(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = keyPair(KeyType.EC);
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=Porter Test CA " + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate ca = sign(b, keys.getPrivate());
            TestCertificates c = new TestCertificates(dir, keys, ca);
            writeObject(c.caFile(), ca);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            try (OutputStream out = Files.newOutputStream(dir.resolve("ca.p12"))) {
                store.store(out, PASSWORD);
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the CA certificate as PEM */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** @return the CA certificate */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** @return the CA as a trust source ({@link #caFile()}) */
    public TrustSource.CaFile trust() {
        return new TrustSource.CaFile(caFile());
    }

    /** @return the CA as a PKCS#12 trust store ({@code ca.p12}, password {@link #PASSWORD}) */
    public TrustSource.TrustStore trustStore() {
        return new TrustSource.TrustStore(dir.resolve("ca.p12"), PASSWORD);
    }

    /** @return a server certificate (EC P-256) for {@code names}, valid from a day ago for 30 days */
    public Issued server(String... names) {
        return server(KeyType.EC, names);
    }

    /** @return a server certificate with a {@code type} key for {@code names}, valid from a day ago for 30 days */
    public Issued server(KeyType type, String... names) {
        Instant now = Instant.now();
        return issue(type, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, names);
    }

    /**
     * @return a server certificate (EC P-256) for {@code names} shaped like a public CA's: valid from a day ago for
     *         90 days (as Let's Encrypt's), with a CRL distribution point ({@link #CRL_URL}, which nobody serves).
     *         For scanners such as testssl.sh, which grade the certificate too: without revocation information
     *         or with under 30 days left it reports HIGH findings that concern the test certificate, not the server
     */
    public Issued publicServer(String... names) {
        Instant now = Instant.now();
        return issueWithCrl(KeyType.EC, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), false, CRL_URL, names);
    }

    /** The CRL URL of {@link #publicServer}'s certificates: a loopback address and a port nothing listens on. */
    public static final String CRL_URL = "http://127.0.0.1:9/porter-test-ca.crl";

    /** @return a server certificate (EC) for {@code names} that expired yesterday */
    public Issued expiredServer(String... names) {
        Instant now = Instant.now();
        return issue(KeyType.EC, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), false, names);
    }

    /** @return a server certificate (EC) for {@code names} valid only from tomorrow */
    public Issued notYetValidServer(String... names) {
        Instant now = Instant.now();
        return issue(KeyType.EC, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, names);
    }

    /** @return a client certificate (EC, extended key usage clientAuth) with subject CN {@code commonName} */
    public Issued client(String commonName) {
        Instant now = Instant.now();
        return issue(KeyType.EC, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), true, commonName);
    }

    /**
     * Issues a certificate and writes its files ({@code N-NAME.crt.pem}, {@code N-NAME.key.pem},
     * {@code N-NAME.p12}).
     *
     * @param client whether it is a client certificate (clientAuth) rather than a server one (serverAuth)
     * @param names  host names and IP literals (SANs; the first is also the CN); at least one
     */
    public Issued issue(KeyType type, Instant notBefore, Instant notAfter, boolean client, String... names) {
        return issueWithCrl(type, notBefore, notAfter, client, null, names);
    }

    private Issued issueWithCrl(KeyType type, Instant notBefore, Instant notAfter, boolean client, String crlUrl,
                                String... names) {
        if (names.length == 0) throw new IllegalArgumentException("a certificate needs a name");
        try {
            KeyPair keys = keyPair(type);
            GeneralName[] sans = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                boolean ip = names[i].contains(":") || IPV4.matcher(names[i]).matches();
                sans[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
            }
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            int usage = KeyUsage.digitalSignature | (type == KeyType.RSA ? KeyUsage.keyEncipherment : 0);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + names[0]), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            if (crlUrl != null) {
                var point = new org.bouncycastle.asn1.x509.DistributionPoint(
                        new org.bouncycastle.asn1.x509.DistributionPointName(
                                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl))),
                        null, null);
                b.addExtension(Extension.cRLDistributionPoints, false,
                        new org.bouncycastle.asn1.x509.CRLDistPoint(new org.bouncycastle.asn1.x509.DistributionPoint[] {point}));
            }
            X509Certificate cert = sign(b, caKeys.getPrivate());
            String base = issued.incrementAndGet() + "-" + names[0].replaceAll("[^A-Za-z0-9.-]", "_");
            Issued result = new Issued(cert, keys.getPrivate(), dir.resolve(base + ".crt.pem"),
                    dir.resolve(base + ".key.pem"), dir.resolve(base + ".p12"));
            result.writePem(result.certificateFile(), result.keyFile());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keys.getPrivate(), PASSWORD, new X509Certificate[]{cert});
            try (OutputStream out = Files.newOutputStream(result.pkcs12File())) {
                store.store(out, PASSWORD);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        return switch (type) {
            case EC -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                yield g.generateKeyPair();
            }
            case RSA -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                yield g.generateKeyPair();
            }
            case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        };
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static void writeObject(Path file, Object pemObject) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            if (pemObject instanceof PemObjectGenerator g) pem.writeObject(g);
            else pem.writeObject(pemObject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
