package dev.porter.http;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsConfig;
import dev.porter.core.TrustSource;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.internal.Transport;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP over TLS with Porter on both sides: handlers see {@code https} and the handshake, HSTS goes out over TLS
 * only, a plaintext request to the TLS port is answered 400 in plaintext, {@link HttpsRedirect} sends plain
 * clients to https, and the client checks the server's certificate and name, pools TLS connections and follows a
 * redirect from http to https.
 */
class HttpsTest {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static HttpServer https;
    private static HttpServer http;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        certs = TestCertificates.create(dir);
        Router router = new Router()
                .get("/who", (req, res) -> res.send(req.scheme() + " " + req.tls().map(t -> t.protocol() + " "
                        + t.applicationProtocol() + " " + t.serverName()).orElse("plain")))
                .get("/hsts-set", (req, res) -> {
                    res.setHeader("Strict-Transport-Security", "max-age=1");
                    res.send("own");
                });
        TlsConfig tls = TlsConfig.of(certs.server("localhost", "127.0.0.1").pem());
        https = TestHttp.start(HttpConfig.builder().tls(tls).strictTransportSecurity(Duration.ofDays(1)), router);
        http = TestHttp.start(HttpConfig.builder(), new HttpsRedirect(https.port()));
        client = HttpClient.create(ClientConfig.builder().tls(ClientTls.defaults().withTrust(certs.trust())
                .withApplicationProtocols(java.util.List.of("http/1.1"))).build());
    }

    @AfterAll
    static void stop() {
        client.close();
        https.stop(Duration.ofSeconds(1));
        http.stop(Duration.ofSeconds(1));
    }

    private static String url(String path) {
        return "https://localhost:" + https.port() + path;
    }

    @Test
    void handlersSeeHttpsAndTheHandshake() throws IOException {
        ClientResponse r = client.get(url("/who"));
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("https TLSv1.3 http/1.1 localhost");
    }

    @Test
    void sendsStrictTransportSecurityOverTlsUnlessTheHandlerDid() throws IOException {
        assertThat(client.get(url("/who")).headers().first("Strict-Transport-Security")).isEqualTo("max-age=86400");
        assertThat(client.get(url("/hsts-set")).headers().all("Strict-Transport-Security")).containsExactly("max-age=1");
    }

    @Test
    void reusesPooledTlsConnections() throws IOException {
        long before = client.stats().connectionsOpened();
        for (int i = 0; i < 5; i++) client.get(url("/who")).bodyString();
        assertThat(client.stats().connectionsOpened() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void answersPlainHttpOnTheTlsPortWith400InPlaintext() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", https.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("sent to an HTTPS port");
        }
    }

    @Test
    void redirectsPlainHttpToHttpsAndTheClientFollows() throws IOException {
        ClientResponse r = HttpClient.create(ClientConfig.builder().followRedirects(false).build())
                .get("http://localhost:" + http.port() + "/who?x=1");
        assertThat(r.status().code()).isEqualTo(308);
        assertThat(r.headers().first("Location")).isEqualTo("https://localhost:" + https.port() + "/who?x=1");
        assertThat(client.get("http://localhost:" + http.port() + "/who").bodyString()).startsWith("https TLSv1.3");
    }

    @Test
    void refusesAServerWhoseCertificateIsNotTrusted() {
        HttpClient jdkTrust = HttpClient.create();
        assertThatThrownBy(() -> jdkTrust.get(url("/who"))).isInstanceOf(IOException.class)
                .hasMessageContaining("certif");
    }

    @Test
    void refusesAServerWhoseNameDoesNotMatch() throws IOException {
        TestCertificates other = TestCertificates.create(dir.resolve("other"));
        TlsConfig tls = TlsConfig.of(other.server("example.com").pem());
        try (HttpServer wrongName = TestHttp.start(HttpConfig.builder().tls(tls), (req, res) -> res.send("x"))) {
            HttpClient c = HttpClient.create(ClientConfig.builder().tls(ClientTls.defaults().withTrust(other.trust())).build());
            assertThatThrownBy(() -> c.get("https://localhost:" + wrongName.port() + "/")).isInstanceOf(IOException.class);
            HttpClient insecure = HttpClient.create(ClientConfig.builder()
                    .tls(ClientTls.defaults().withTrust(new TrustSource.TrustAll())).build());
            assertThat(insecure.get("https://localhost:" + wrongName.port() + "/").bodyString()).isEqualTo("x");
        }
    }
}
