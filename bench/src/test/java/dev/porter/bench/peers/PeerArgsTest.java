package dev.porter.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerArgsTest {

    @TempDir
    Path dir;

    @Test
    void cleartextPeersTakeTwoArgumentsOnly() {
        PeerArgs peer = PeerArgs.parse(new String[] {"8080", dir.toString()}, "P");
        assertThat(peer.tls()).isFalse();
        assertThatThrownBy(() -> PeerArgs.parse(new String[] {"8080", dir.toString(), "c", "k"}, "P"))
            .hasMessageContaining("usage: P <port> <staticDir>");
    }

    @Test
    void tlsPeersTakeACertificateAndAKeyOrNeither() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        assertThat(PeerArgs.parseWithTls(new String[] {"8443", dir.toString()}, "P").tls()).isFalse();
        PeerArgs tls = PeerArgs.parseWithTls(new String[] {"8443", dir.toString(), cert.toString(), key.toString()}, "P");
        assertThat(tls.tls()).isTrue();
        assertThatThrownBy(() -> PeerArgs.parseWithTls(new String[] {"8443", dir.toString(), cert.toString()}, "P"))
            .hasMessageContaining("[<cert.pem> <key.pem>]");
        assertThatThrownBy(() -> PeerArgs.parseWithTls(new String[] {"8443", dir.toString(), cert.toString(), "missing"}, "P"))
            .hasMessageContaining("not a file");
    }

    /** A PEM certificate and PKCS#8 key, as openssl writes them, made with the JDK's keytool. */
    @Test
    void keyStoreIsBuiltFromPemFiles() throws Exception {
        Path p12 = dir.resolve("made.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "a", "-dname", "CN=localhost",
            "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "secret")
            .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor()).isZero();
        KeyStore made = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            made.load(in, "secret".toCharArray());
        }
        Certificate cert = made.getCertificate("a");
        byte[] key = made.getKey("a", "secret".toCharArray()).getEncoded(); // PKCS#8
        Base64.Encoder mime = Base64.getMimeEncoder(64, new byte[] {'\n'});
        Path certPem = Files.writeString(dir.resolve("cert.pem"),
            "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path keyPem = Files.writeString(dir.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(key) + "\n-----END PRIVATE KEY-----\n");

        KeyStore store = PeerArgs.parseWithTls(
            new String[] {"8443", dir.toString(), certPem.toString(), keyPem.toString()}, "P").keyStore();
        assertThat(store.getCertificate("bench")).isEqualTo(cert);
        assertThat(store.getKey("bench", PeerArgs.KEY_STORE_PASSWORD).getEncoded()).isEqualTo(key);
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedWithTheReason() {
        assertThatThrownBy(() -> PeerArgs.pem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "PRIVATE KEY"))
            .hasMessageContaining("PKCS#8");
    }
}
