package dev.porter.cli;

import dev.porter.core.KeySource;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.HttpsRedirect;
import dev.porter.http.Router;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static dev.porter.cli.GetCommandTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code porter get https://…} in-process against Porter's HTTPS server: trust by {@code --cacert}, by nothing
 * ({@code -k}), or not at all (curl's exit 60); {@code -v}'s handshake lines; a failed handshake (35); a CA file
 * that cannot be used (77).
 */
class GetTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates ca;
    static HttpServer trusted;
    static HttpServer selfSigned;
    static HttpServer otherName;
    static HttpServer plain;
    static HttpServer redirect;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.create(dir.resolve("ca"));
        Router router = new Router().get("/text", (req, res) -> res.send("over " + req.scheme() + "\n"));
        trusted = https(router, ca.server("localhost", "127.0.0.1").pem());
        selfSigned = https(router, selfSigned(dir.resolve("self")));
        otherName = https(router, ca.server("example.com").pem());
        plain = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), router);
        redirect = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), new HttpsRedirect(trusted.port()));
    }

    private static HttpServer https(Router router, KeySource key) throws IOException {
        return HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).tls(TlsConfig.of(key)).build(), router);
    }

    @AfterAll
    static void stop() {
        for (HttpServer s : new HttpServer[] {trusted, selfSigned, otherName, plain, redirect}) if (s != null) s.close();
    }

    private static String url(HttpServer s, String host) {
        return "https://" + host + ":" + s.port() + "/text";
    }

    private static void assertOneLine(GetCommandTest.Run r, int code, String text) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("porter get: ").contains(text).doesNotContain("\tat ", "Exception:");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void fetchesHttpsWithTheCaOfCacert() {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            GetCommandTest.Run r = get("--cacert", ca.caFile().toString(), url(trusted, host));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.outText()).isEqualTo("over https\n");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void verboseShowsTheTlsVersionCipherAlpnAndCertificateLikeCurl() {
        GetCommandTest.Run r = get("-v", "--cacert", ca.caFile().toString(), url(trusted, "localhost"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("\\* SSL connection using TLSv1\\.[23] / TLS_\\w+\n")
                .contains("* ALPN: server accepted h2\n", "*  subject: CN=localhost\n", "*  SSL certificate verify ok.\n");
        assertThat(r.err().indexOf("* Connected to localhost")).isLessThan(r.err().indexOf("* SSL connection"));
        assertThat(r.err().indexOf("* SSL connection")).isLessThan(r.err().indexOf("> GET /text HTTP/2"));
    }

    @Test
    void withoutTrustTheCertificateIsRefusedWithCurlsExit60() {
        assertOneLine(get(url(trusted, "localhost")), ExitCode.PEER_CERTIFICATE.code(),
                "not issued by a trusted authority; use --cacert FILE");
        assertOneLine(get(url(selfSigned, "localhost")), 60, "SSL certificate problem");
    }

    @Test
    void aCertificateForAnotherHostIsRefusedWith60() {
        assertOneLine(get("--cacert", ca.caFile().toString(), url(otherName, "127.0.0.1")), 60,
                "the server's certificate is not for this host");
        assertOneLine(get("--cacert", ca.caFile().toString(), url(otherName, "localhost")), 60,
                "the server's certificate is not for this host");
    }

    @Test
    void insecureAcceptsASelfSignedCertificateAndSaysItWasNotChecked() {
        GetCommandTest.Run r = get("-k", url(selfSigned, "localhost"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).isEqualTo("over https\n");
        GetCommandTest.Run v = get("--insecure", "-v", url(otherName, "127.0.0.1"));
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.err()).contains("*  SSL certificate verify result: not checked (-k/--insecure)");
    }

    @Test
    void anExpiredCertificateIsRefusedWith60() throws Exception {
        TestCertificates.Issued expired = ca.expiredServer("localhost");
        // Porter's server refuses to load an expired certificate, so a bare JDK server presents it.
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", expired.key(), TestCertificates.PASSWORD, new X509Certificate[] {expired.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, TestCertificates.PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                } catch (IOException e) {
                    // The client refuses the certificate: expected.
                }
            });
            assertOneLine(get("--cacert", ca.caFile().toString(), "https://localhost:" + server.getLocalPort() + "/"), 60,
                    "the server's certificate has expired");
        }
    }

    @Test
    void aServerThatDoesNotSpeakTlsIsAHandshakeFailureWith35() {
        assertOneLine(get("--cacert", ca.caFile().toString(), "https://127.0.0.1:" + plain.port() + "/text"),
                ExitCode.TLS_HANDSHAKE.code(), "TLS handshake failed");
    }

    @Test
    void aCaFileThatCannotBeUsedIsCurlsExit77() throws IOException {
        assertOneLine(get("--cacert", dir.resolve("missing.pem").toString(), url(trusted, "localhost")),
                ExitCode.CA_FILE.code(), "cannot use --cacert: ");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        assertOneLine(get("--cacert", notPem.toString(), url(trusted, "localhost")), 77, "no certificate");
    }

    @Test
    void followsARedirectFromHttpToHttps() {
        GetCommandTest.Run r = get("-L", "--cacert", ca.caFile().toString(), "http://localhost:" + redirect.port() + "/text");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.outText()).isEqualTo("over https\n");
    }

    /** A self-signed EC certificate for localhost (its own issuer), as PEM chain and key. */
    static KeySource.Pem selfSigned(Path dir) throws Exception {
        Files.createDirectories(dir);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeySource.Pem pem = new KeySource.Pem(dir.resolve("self.pem"), dir.resolve("self-key.pem"));
        try (Writer w = Files.newBufferedWriter(pem.certificateChain()); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(cert);
        }
        try (Writer w = Files.newBufferedWriter(pem.privateKey()); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        return pem;
    }
}
