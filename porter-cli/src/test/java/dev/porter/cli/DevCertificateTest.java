package dev.porter.cli;

import dev.porter.core.TlsSetupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dev certificate of {@code --tls}: made once, reused, renewed near its end, kept private, accepted by PKIX. */
class DevCertificateTest {

    @TempDir
    Path tmp;

    @Test
    void isMadeOnceWithPrivateKeysAndReusedAfterwards() throws Exception {
        Path dir = tmp.resolve("home/.porter/tls");
        Instant now = Instant.now();
        DevCertificate.Material first = DevCertificate.obtain(dir, now);
        assertThat(first.created()).isTrue();
        assertThat(dir).isDirectory();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .contains("dev-ca.pem", "dev-ca-key.pem", "localhost.pem", "localhost-key.pem")
                .noneMatch(n -> n.endsWith(".tmp"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String key : new String[] {"dev-ca-key.pem", "localhost-key.pem"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)))).as(key).isEqualTo("rw-------");
        }

        DevCertificate.Material again = DevCertificate.obtain(dir, now.plus(Duration.ofDays(100)));
        assertThat(again.created()).isFalse();
        assertThat(DevCertificate.fingerprint(again.certificate())).isEqualTo(DevCertificate.fingerprint(first.certificate()));
        assertThat(again.authority()).isEqualTo(first.authority());
    }

    @Test
    void isTrustedThroughItsAuthorityForLocalhostAndBothLoopbackAddresses() throws Exception {
        DevCertificate.Material m = DevCertificate.obtain(tmp, Instant.now());
        X509Certificate cert = m.certificate();
        assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(800)));
        assertThat(cert.getSubjectAlternativeNames()).extracting(san -> san.get(1).toString())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(m.authority().getBasicConstraints()).isZero();
        assertThat(m.authority().getCriticalExtensionOIDs()).as("name constraints, critical").contains("2.5.29.30");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("dev-ca", m.authority());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        tm.checkServerTrusted(new X509Certificate[] {cert}, "ECDHE_ECDSA"); // the chain is valid under PKIX
        // A certificate of another authority is not:
        X509Certificate other = DevCertificate.obtain(tmp.resolve("other"), Instant.now()).certificate();
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {other}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void theServerCertificateSpansAtMost825DaysFromNotBeforeToNotAfterAsApplePlatformsRequire() throws Exception {
        // Apple's platforms refuse a TLS server certificate whose validity period (notAfter − notBefore) is longer
        // than 825 days; testssl.sh reports it too ("> 825 days issued after 2018/03/01 is too long").
        X509Certificate cert = DevCertificate.obtain(tmp, Instant.now()).certificate();
        Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertThat(validity).isLessThanOrEqualTo(Duration.ofDays(825)).isGreaterThan(Duration.ofDays(800));
    }

    @Test
    void aServerCertificateSpanningMoreThan825DaysIsIssuedAnewUnderTheSameAuthority() throws Exception {
        // As the dev certificates made before this fix were: 825 days from their making, an hour backdated.
        Instant now = Instant.now();
        DevCertificate.Material first = DevCertificate.obtain(tmp, now);
        java.security.PrivateKey caKey = java.security.KeyFactory.getInstance("EC").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(pemBody(tmp.resolve(DevCertificate.CA_KEY_FILE))));
        java.security.KeyPair keys = DevCertificateIssuer.newKeyPair();
        X509Certificate overlong = DevCertificateIssuer.server(keys, first.authority(), caKey,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(825)));
        Files.writeString(tmp.resolve(DevCertificate.CERT_FILE), pem("CERTIFICATE", overlong.getEncoded()));
        Files.writeString(tmp.resolve(DevCertificate.KEY_FILE), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

        DevCertificate.Material again = DevCertificate.obtain(tmp, now);
        assertThat(again.created()).isTrue();
        assertThat(again.authority()).isEqualTo(first.authority());
        assertThat(Duration.between(again.certificate().getNotBefore().toInstant(),
                again.certificate().getNotAfter().toInstant())).isLessThanOrEqualTo(Duration.ofDays(825));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] pemBody(Path file) throws Exception {
        String text = Files.readString(file);
        return java.util.Base64.getMimeDecoder().decode(text.substring(text.indexOf("-----", 5) + 5, text.indexOf("-----END")));
    }

    @Test
    void theServerCertificateIsRenewedWithinThirtyDaysOfItsEndUnderTheSameAuthority() throws Exception {
        DevCertificate.Material first = DevCertificate.obtain(tmp, Instant.now());
        Instant end = first.certificate().getNotAfter().toInstant();

        DevCertificate.Material early = DevCertificate.obtain(tmp, end.minus(Duration.ofDays(31)));
        assertThat(early.created()).as("31 days before its end").isFalse();

        DevCertificate.Material renewed = DevCertificate.obtain(tmp, end.minus(Duration.ofDays(29)));
        assertThat(renewed.created()).as("29 days before its end").isTrue();
        assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
        assertThat(renewed.authority()).as("the authority users trust is kept").isEqualTo(first.authority());
        renewed.certificate().verify(first.authority().getPublicKey());

        Instant expired = renewed.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));
        assertThat(DevCertificate.obtain(tmp, expired).created()).as("after its end").isTrue();
    }

    @Test
    void theAuthorityIsMadeAnewNearItsOwnEnd() throws Exception {
        DevCertificate.Material first = DevCertificate.obtain(tmp, Instant.now());
        Instant caEnd = first.authority().getNotAfter().toInstant();
        DevCertificate.Material late = DevCertificate.obtain(tmp, caEnd.minus(Duration.ofDays(10)));
        assertThat(late.created()).isTrue();
        assertThat(late.authority()).isNotEqualTo(first.authority());
        late.certificate().verify(late.authority().getPublicKey());
    }

    @Test
    void damagedOrMismatchedFilesAreMadeAnew() throws Exception {
        DevCertificate.Material first = DevCertificate.obtain(tmp, Instant.now());
        Files.writeString(tmp.resolve("localhost.pem"), "not a certificate\n");
        DevCertificate.Material fixed = DevCertificate.obtain(tmp, Instant.now());
        assertThat(fixed.created()).isTrue();
        assertThat(fixed.authority()).isEqualTo(first.authority());

        // A key that is not the certificate's: the pair is made anew.
        Files.copy(tmp.resolve("dev-ca-key.pem"), tmp.resolve("localhost-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(DevCertificate.obtain(tmp, Instant.now()).created()).isTrue();

        // The authority's key lost: a new authority (and so a new server certificate).
        Files.delete(tmp.resolve("dev-ca-key.pem"));
        DevCertificate.Material fresh = DevCertificate.obtain(tmp, Instant.now());
        assertThat(fresh.created()).isTrue();
        assertThat(fresh.authority()).isNotEqualTo(first.authority());
    }

    @Test
    void aDirectoryThatCannotBeMadeIsOneClearLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> DevCertificate.obtain(file.resolve("tls"), Instant.now()))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("cannot keep the dev certificate in " + file.resolve("tls"))
                .hasMessageNotContaining("\n");
    }

    @Test
    void livesInTheUsersHomeOrUnderAnAbsoluteXdgDataHome() {
        assertThat(DevCertificate.directory(Map.of(), "/home/ana")).isEqualTo(Path.of("/home/ana/.porter/tls"));
        assertThat(DevCertificate.directory(Map.of("XDG_DATA_HOME", "/data/ana"), "/home/ana"))
                .isEqualTo(Path.of("/data/ana/porter/tls"));
        assertThat(DevCertificate.directory(Map.of("XDG_DATA_HOME", "relative/dir"), "/home/ana"))
                .as("the XDG spec ignores a relative path").isEqualTo(Path.of("/home/ana/.porter/tls"));
        assertThat(DevCertificate.directory(Map.of("XDG_DATA_HOME", ""), "/home/ana")).isEqualTo(Path.of("/home/ana/.porter/tls"));
    }
}
