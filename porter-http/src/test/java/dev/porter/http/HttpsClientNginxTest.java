package dev.porter.http;

import dev.porter.core.ClientTls;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.testing.Nginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Porter's {@link HttpClient} against a real nginx serving TLS (HTTP/2 offered too, as in production) with a
 * certificate from a CA made in the test; skipped when nginx is not installed. The client verifies the chain and
 * the name, gets what it offers by ALPN ({@code h2} by default, {@code http/1.1} when asked), reuses pooled TLS
 * connections (nginx's own connection serial numbers
 * show it), reads large and chunked bodies byte-identical, and follows redirects from http to https and back.
 */
class HttpsClientNginxTest {

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static Nginx nginx;
    private static HttpClient client;
    private static byte[] blob;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.create(dir.resolve("ca"));
        TestCertificates.Issued leaf = ca.server("localhost", "127.0.0.1");
        nginx = Nginx.startTls("""
                location = /tls { return 200 "$ssl_protocol $ssl_alpn_protocol $ssl_server_name $scheme"; }
                location = /conn { return 200 "$connection"; }
                location = /to-https { return 301 https://localhost:{tls_port}/tls; }
                location = /to-http { return 302 http://localhost:{plain_port}/plain; }
                location = /plain { return 200 "plain $scheme"; }
                location /ssi/ { ssi on; ssi_types text/plain; }
                """, leaf.certificateFile(), leaf.keyFile());
        blob = new byte[5 * 1024 * 1024 + 3];
        new Random(5).nextBytes(blob);
        Files.write(nginx.root().resolve("blob.bin"), blob);
        Files.createDirectories(nginx.root().resolve("ssi"));
        Files.writeString(nginx.root().resolve("ssi/text.txt"), "over TLS, in chunks.\n".repeat(4000), StandardCharsets.US_ASCII);
        client = HttpClient.create(ClientConfig.builder().tls(ClientTls.defaults().withTrust(ca.trust())
                .withApplicationProtocols(List.of("http/1.1"))).build());
    }

    /** @return {@code https://localhost:PORT} + path: by name, so the client sends SNI and checks the DNS name */
    private static String url(String path) {
        return "https://localhost:" + nginx.port() + path;
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) client.close();
        if (nginx != null) nginx.close();
    }

    @Test
    void verifiesNginxAndGetsHttp11ByAlpn() throws IOException {
        assertThat(client.get(url("/tls")).bodyString()).isEqualTo("TLSv1.3 http/1.1 localhost https");
        // By IP literal: the certificate's iPAddress name is checked; no SNI is sent for an address.
        assertThat(client.get("https://127.0.0.1:" + nginx.port() + "/tls").bodyString())
                .isEqualTo("TLSv1.3 http/1.1  https");
    }

    @Test
    void theClientsDefaultsTakeH2AndHttp11OnlyIsHonoured() throws IOException {
        // By default the client offers h2 and http/1.1, and nginx takes h2; HTTP_1_1 offers http/1.1 only.
        try (HttpClient defaults = HttpClient.create(ClientConfig.builder()
                .tls(ClientTls.defaults().withTrust(ca.trust())).build());
             HttpClient http11 = HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_1_1)
                     .tls(ClientTls.defaults().withTrust(ca.trust())).build())) {
            assertThat(defaults.get(url("/tls")).bodyString()).isEqualTo("TLSv1.3 h2 localhost https");
            assertThat(http11.get(url("/tls")).bodyString()).isEqualTo("TLSv1.3 http/1.1 localhost https");
        }
    }

    @Test
    void reusesOnePooledTlsConnectionForManyRequests() throws IOException {
        try (HttpClient fresh = HttpClient.create(ClientConfig.builder()
                .tls(ClientTls.defaults().withTrust(ca.trust())).build())) {
            Set<String> connections = new HashSet<>();
            for (int i = 0; i < 50; i++) connections.add(fresh.get(url("/conn")).bodyString());
            assertThat(connections).hasSize(1);
            assertThat(fresh.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void readsLargeAndChunkedBodiesByteIdentical() throws Exception {
        try (ClientResponse r = client.get(url("/blob.bin")); InputStream in = r.body()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] b = new byte[8192];
            for (int n; (n = in.read(b)) > 0; ) md.update(b, 0, n);
            assertThat(md.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(blob));
        }
        try (ClientResponse r = client.get(url("/ssi/text.txt"))) {
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.bodyString()).isEqualTo("over TLS, in chunks.\n".repeat(4000));
        }
    }

    @Test
    void manyVirtualThreadsShareThePool() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) answers.add(threads.submit(() -> client.get(url("/tls")).bodyString()));
            for (Future<String> f : answers) assertThat(f.get()).isEqualTo("TLSv1.3 http/1.1 localhost https");
        }
    }

    @Test
    void followsRedirectsFromHttpToHttpsAndBack() throws IOException {
        assertThat(client.get("http://localhost:" + nginx.plainPort() + "/to-https").bodyString())
                .isEqualTo("TLSv1.3 http/1.1 localhost https");
        assertThat(client.get(url("/to-http")).bodyString()).isEqualTo("plain http");
    }

    @Test
    void refusesNginxWhenTheCaIsNotTrusted() {
        try (HttpClient jdkTrust = HttpClient.create()) {
            assertThatThrownBy(() -> jdkTrust.get(url("/tls"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("certif");
        }
        TestCertificates other = TestCertificates.create(dir.resolve("other"));
        try (HttpClient wrongCa = HttpClient.create(ClientConfig.builder()
                .tls(ClientTls.defaults().withTrust(other.trust())).build())) {
            assertThatThrownBy(() -> wrongCa.get(url("/tls"))).isInstanceOf(IOException.class);
        }
    }
}
