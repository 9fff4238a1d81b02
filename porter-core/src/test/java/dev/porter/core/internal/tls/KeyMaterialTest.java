package dev.porter.core.internal.tls;

import dev.porter.core.KeySource;
import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;
import dev.porter.core.testing.LogCapture;
import dev.porter.core.testing.TestCertificates;
import dev.porter.core.testing.TestCertificates.Issued;
import dev.porter.core.testing.TestCertificates.KeyType;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class KeyMaterialTest {

    @TempDir
    Path dir;
    TestCertificates ca;

    @BeforeEach
    void makeCa() {
        ca = TestCertificates.create(dir);
    }

    /** Loading must fail with one line, fit for a user, naming {@code file}. */
    private static String failure(ThrowingCallable load, Path file) {
        TlsSetupException e = catchThrowableOfType(TlsSetupException.class, load);
        assertThat(e).as("a TlsSetupException").isNotNull();
        assertThat(e.getMessage())
                .doesNotContain("\n", "\r", "\tat ", "Exception", new String(TestCertificates.PASSWORD))
                .contains(file.toString());
        return e.getMessage();
    }

    @Test
    void loadsAnEcKeyAndChainFromPem() throws Exception {
        Issued server = ca.server("a.example", "127.0.0.1");
        KeyMaterial m = KeyMaterial.load(server.pem());
        assertThat(m.key().getAlgorithm()).isEqualTo("EC");
        assertThat(m.chain()).containsExactly(server.certificate());
        assertThat(m.names()).containsExactly("a.example", "127.0.0.1");
        assertThat(m.origin()).isEqualTo(server.certificateFile());
    }

    @Test
    void loadsAnRsaKeyFromPem() throws Exception {
        Issued server = ca.server(KeyType.RSA, "rsa.example");
        KeyMaterial m = KeyMaterial.load(server.pem());
        assertThat(m.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(m.leaf()).isEqualTo(server.certificate());
    }

    @Test
    void loadsAnEd25519KeyFromPem() throws Exception {
        Issued server = ca.server(KeyType.ED25519, "ed.example");
        KeyMaterial m = KeyMaterial.load(server.pem());
        assertThat(m.key().getAlgorithm()).isIn("EdDSA", "Ed25519");
        assertThat(m.leaf()).isEqualTo(server.certificate());
    }

    @Test
    void aCertificateExpiringWithinTwoWeeksIsLoadedWithAWarning() throws Exception {
        Instant now = Instant.now();
        Issued soon = ca.issue(KeyType.EC, now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(5)), false, "soon.example");
        try (LogCapture log = LogCapture.of(KeyMaterial.class.getName())) {
            KeyMaterial.load(soon.pem());
            assertThat(log.messages(System.Logger.Level.WARNING)).singleElement().asString()
                    .contains(soon.certificateFile().toString(), "expires on");
        }
    }

    @Test
    void loadsAPkcs12Store() throws Exception {
        Issued server = ca.server(KeyType.RSA, "p12.example");
        KeyMaterial m = KeyMaterial.load(server.pkcs12());
        assertThat(m.key()).isEqualTo(server.key());
        assertThat(m.leaf()).isEqualTo(server.certificate());
    }

    @Test
    void readsACombinedFileWithTextAroundTheBlocks() throws Exception {
        Issued server = ca.server("combined.example");
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, "subject=CN = combined.example\nissuer=CN = Porter Test CA\n"
                + Files.readString(server.certificateFile()) + "some comment\n" + Files.readString(server.keyFile()));
        KeyMaterial m = KeyMaterial.load(new KeySource.Pem(combined, combined));
        assertThat(m.leaf()).isEqualTo(server.certificate());
    }

    @Test
    void aMissingCertificateFileIsNamed() {
        Issued server = ca.server("a.example");
        Path missing = dir.resolve("nope.crt");
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(missing, server.keyFile())), missing))
                .isEqualTo("TLS certificate file " + missing + " does not exist");
    }

    @Test
    void aMissingKeyFileIsNamed() {
        Issued server = ca.server("a.example");
        Path missing = dir.resolve("nope.key");
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(server.certificateFile(), missing)), missing))
                .isEqualTo("TLS key file " + missing + " does not exist");
    }

    @Test
    void aDirectoryInsteadOfAKeyFileIsNamed() throws IOException {
        Issued server = ca.server("a.example");
        Path folder = Files.createDirectory(dir.resolve("keys"));
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(server.certificateFile(), folder)), folder))
                .isEqualTo("TLS key file " + folder + " is a directory");
    }

    @Test
    void anUnreadableKeyFileIsNamed() throws IOException {
        Issued server = ca.server("a.example");
        Files.setPosixFilePermissions(server.keyFile(), java.util.Set.of());
        // root reads every file whatever its mode: nothing to test then.
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(server.keyFile()), "running as root");
        assertThat(failure(() -> KeyMaterial.load(server.pem()), server.keyFile()))
                .isEqualTo("TLS key file " + server.keyFile() + " is not readable (permission denied)");
    }

    @Test
    void aCertificateFileWithoutACertificateIsNamed() {
        Issued server = ca.server("a.example");
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(server.keyFile(), server.keyFile())), server.keyFile()))
                .startsWith("no certificate (-----BEGIN CERTIFICATE-----) in TLS certificate file");
    }

    @Test
    void aKeyFileWithoutAKeyIsNamed() {
        Issued server = ca.server("a.example");
        Path certs = server.certificateFile();
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(certs, certs)), certs))
                .isEqualTo("no private key (-----BEGIN PRIVATE KEY-----) in TLS key file " + certs);
    }

    @Test
    void aTraditionalRsaKeyGetsTheCommandThatConvertsIt() {
        Issued server = ca.server(KeyType.RSA, "a.example");
        Path key = dir.resolve("server.key");
        server.writeTraditionalKey(key);
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(server.certificateFile(), key)), key))
                .contains("BEGIN RSA PRIVATE KEY")
                .endsWith("openssl pkcs8 -topk8 -nocrypt -in " + key + " -out " + dir.resolve("server.pkcs8.key"));
    }

    @Test
    void aTraditionalEcKeyGetsTheCommandThatConvertsIt() {
        Issued server = ca.server("a.example");
        Path key = dir.resolve("ec.pem");
        server.writeTraditionalKey(key);
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(server.certificateFile(), key)), key))
                .contains("BEGIN EC PRIVATE KEY", "openssl pkcs8 -topk8 -nocrypt -in " + key);
    }

    @Test
    void anEncryptedKeyGetsTheCommandThatDecryptsIt() {
        Issued server = ca.server("a.example");
        Path key = dir.resolve("encrypted.pem");
        server.writeEncryptedKey(key, "secret-pass".toCharArray());
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(server.certificateFile(), key)), key))
                .contains("is encrypted", "openssl pkcs8 -topk8 -nocrypt -in " + key)
                .doesNotContain("secret-pass");
    }

    @Test
    void aCertificateThatDoesNotMatchTheKeyIsRefused() {
        Issued a = ca.server("a.example");
        Issued b = ca.server("b.example");
        KeySource mixed = new KeySource.Pem(a.certificateFile(), b.keyFile());
        assertThat(failure(() -> KeyMaterial.load(mixed), a.certificateFile())).isEqualTo(
                "the certificate in " + a.certificateFile() + " does not match the private key in " + b.keyFile());
    }

    @Test
    void anRsaCertificateWithAnEcKeyIsRefused() {
        Issued rsa = ca.server(KeyType.RSA, "a.example");
        Issued ec = ca.server("a.example");
        KeySource mixed = new KeySource.Pem(rsa.certificateFile(), ec.keyFile());
        assertThat(failure(() -> KeyMaterial.load(mixed), rsa.certificateFile()))
                .contains("does not match the private key");
    }

    @Test
    void aChainWithTheLeafNotFirstSaysSo() throws IOException {
        Issued server = ca.server("a.example");
        Path chain = dir.resolve("reversed.pem");
        Files.writeString(chain, Files.readString(ca.caFile()) + Files.readString(server.certificateFile()));
        assertThat(failure(() -> KeyMaterial.load(new KeySource.Pem(chain, server.keyFile())), chain))
                .contains("is not first in " + chain);
    }

    @Test
    void anExpiredCertificateSaysWhen() {
        Issued old = ca.expiredServer("old.example");
        LocalDate day = LocalDate.ofInstant(old.certificate().getNotAfter().toInstant(), ZoneOffset.UTC);
        assertThat(failure(() -> KeyMaterial.load(old.pem()), old.certificateFile()))
                .startsWith("the TLS certificate in " + old.certificateFile() + " expired on " + day + " (");
    }

    @Test
    void aCertificateNotYetValidSaysFromWhen() {
        Issued early = ca.notYetValidServer("early.example");
        LocalDate day = LocalDate.ofInstant(early.certificate().getNotBefore().toInstant(), ZoneOffset.UTC);
        assertThat(failure(() -> KeyMaterial.load(early.pkcs12()), early.pkcs12File()))
                .contains("is not valid before " + day);
    }

    @Test
    void aWrongPkcs12PasswordIsNamedWithoutThePassword() {
        Issued server = ca.server("a.example");
        KeySource wrong = new KeySource.Pkcs12(server.pkcs12File(), "wrong-secret".toCharArray());
        assertThat(failure(() -> KeyMaterial.load(wrong), server.pkcs12File()))
                .isEqualTo("cannot open PKCS#12 file " + server.pkcs12File() + ": wrong password")
                .doesNotContain("wrong-secret");
    }

    @Test
    void aPemFileGivenAsPkcs12IsNamed() {
        Issued server = ca.server("a.example");
        KeySource notAStore = new KeySource.Pkcs12(server.certificateFile(), TestCertificates.PASSWORD);
        assertThat(failure(() -> KeyMaterial.load(notAStore), server.certificateFile()))
                .startsWith("cannot open PKCS#12 file " + server.certificateFile() + ": not a PKCS#12 store");
    }

    @Test
    void aPkcs12StoreWithoutAKeyIsNamed() {
        Path trustOnly = ca.trustStore().file();
        KeySource source = new KeySource.Pkcs12(trustOnly, TestCertificates.PASSWORD);
        assertThat(failure(() -> KeyMaterial.load(source), trustOnly))
                .isEqualTo("no private key entry in PKCS#12 file " + trustOnly);
    }

    @Test
    void trustLoadsFromACaFileAndATrustStore() throws Exception {
        Issued server = ca.server("a.example");
        var chain = new java.security.cert.X509Certificate[]{server.certificate()};
        for (TrustSource source : new TrustSource[]{ca.trust(), ca.trustStore()}) {
            var tm = TrustMaterial.load(source);
            tm.checkServerTrusted(chain, "ECDHE_ECDSA");
            assertThat(tm.getAcceptedIssuers()).containsExactly(ca.caCertificate());
        }
    }

    @Test
    void aCaFileWithoutCertificatesIsNamed() {
        Issued server = ca.server("a.example");
        assertThat(failure(() -> TrustMaterial.load(new TrustSource.CaFile(server.keyFile())), server.keyFile()))
                .isEqualTo("no certificate (-----BEGIN CERTIFICATE-----) in CA file " + server.keyFile());
    }

    @Test
    void aTrustStoreWithoutTrustedCertificatesIsNamed() {
        Issued server = ca.server("a.example");
        TrustSource store = new TrustSource.TrustStore(server.pkcs12File(), TestCertificates.PASSWORD);
        assertThat(failure(() -> TrustMaterial.load(store), server.pkcs12File()))
                .startsWith("no trusted certificate entry in trust store " + server.pkcs12File());
    }

    @Test
    void aMissingCaFileIsNamed() {
        Path missing = dir.resolve("missing-ca.pem");
        assertThat(failure(() -> TrustMaterial.load(new TrustSource.CaFile(missing)), missing))
                .isEqualTo("CA file " + missing + " does not exist");
    }
}
