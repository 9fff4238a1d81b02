package dev.porter.http;

import dev.porter.core.KeySource;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The automatic reload (docs/tls.md, "Reload"): once renewed key files are in place and a check is due, the very
 * next connection gets the new certificate, not only the ones after it.
 */
class HttpsCertificateReloadTest {

    @TempDir
    Path tmp;

    @Test
    void theFirstConnectionAfterARenewalGetsTheNewCertificate() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("ca"));
        TestCertificates.Issued first = ca.server("localhost", "127.0.0.1");
        KeySource.Pem pem = new KeySource.Pem(tmp.resolve("fullchain.pem"), tmp.resolve("privkey.pem"));
        first.writePem(pem.certificateChain(), pem.privateKey());
        // A check at every connection: which connection sees the renewal is then the only question.
        TlsConfig tls = TlsConfig.of(pem).withReloadCheck(Duration.ofNanos(1));
        try (HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).tls(tls).build(),
                new Router().get("/", (req, res) -> res.send("ok")))) {
            assertThat(served(server)).isEqualTo(first.certificate());

            TestCertificates.Issued second = ca.server("localhost", "127.0.0.1");
            second.writePem(pem.certificateChain(), pem.privateKey());
            for (Path f : pem.files()) {
                // past coarse file timestamps: the files are seen as changed whatever the clock's resolution
                Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 2_000));
            }
            assertThat(served(server)).as("the first connection after the renewal").isEqualTo(second.certificate());
        }
    }

    /** @return the certificate the server presents to a new connection (trusted blindly: only its identity matters) */
    private static X509Certificate served(HttpServer server) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }
}
