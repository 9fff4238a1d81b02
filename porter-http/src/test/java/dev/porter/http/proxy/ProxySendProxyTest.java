package dev.porter.http.proxy;

import dev.porter.core.ClientTls;
import dev.porter.core.ProxyProtocolConfig;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.Router;
import dev.porter.http.testing.Nginx;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PROXY protocol sent by the proxy to its backends ({@link ProxyConfig#sendProxy()}): a Porter backend that
 * requires it (v1 and v2) and nginx with {@code listen ... proxy_protocol} each see the real client's address and
 * port. Clients connect from distinct loopback addresses (127.0.0.5, 127.0.0.6), so the address the backend
 * reports can only have come from the header; two clients in turn on kept-alive backend connections each see
 * their own (a connection opened for one client is never lent to another), health checks pass against a backend
 * that requires the header (v2 LOCAL), and a WebSocket tunnel's connection carries it too. To {@code https://}
 * backends (Porter and nginx with {@code ssl proxy_protocol}) the header precedes the TLS handshake, and the backend's
 * certificate is checked against {@link ProxyConfig#upstreamTls()}.
 */
class ProxySendProxyTest {

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();

    /** A Porter backend that requires a PROXY header from loopback and echoes the client it names. */
    private HttpServer porterBackend() {
        Router r = new Router()
                .get("/who", (req, res) -> res.send(req.remoteAddress().getAddress().getHostAddress() + " "
                        + req.remoteAddress().getPort()))
                .get("/healthz", (req, res) -> res.send("ok"))
                .websocket("/ws", ws -> ws.sendText(ws.request().remoteAddress().getAddress().getHostAddress()));
        HttpConfig.Builder b = HttpConfig.builder();
        b.server(b.build().server().withProxyProtocol(ProxyProtocolConfig.defaults()));
        return fixture.later(TestHttp.start(b, r));
    }

    /** Two requests on one kept-alive connection from {@code from}; @return the two bodies, and the local port */
    private static List<String> twoRequests(String from, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                out.write("GET /who HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                bodies.add(body(in));
            }
            bodies.add(String.valueOf(s.getLocalPort()));
            return bodies;
        }
    }

    /** Reads one response with a Content-Length body. */
    private static String body(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed inside the head: " + head);
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200 ");
        String h = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = h.indexOf("content-length: ") + 16;
        int length = Integer.parseInt(h.substring(at, h.indexOf("\r\n", at)).strip());
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private void eachClientSeesItself(int backendPort, ProxyConfig.SendProxy version) throws IOException {
        eachClientSeesItself(ProxyConfig.builder("http://127.0.0.1:" + backendPort).sendProxy(version));
    }

    private void eachClientSeesItself(ProxyConfig.Builder config) throws IOException {
        HttpServer p = fixture.proxy(config);
        for (String from : new String[]{"127.0.0.5", "127.0.0.6", "127.0.0.5"}) {
            List<String> r = twoRequests(from, p.port());
            assertThat(r.get(0)).as("first request from " + from).isEqualTo(from + " " + r.get(2));
            assertThat(r.get(1)).as("second request from " + from + " on the same connection").isEqualTo(from + " " + r.get(2));
        }
    }

    @Test
    void aPorterBackendSeesTheClientThroughAV1Header() throws IOException {
        eachClientSeesItself(porterBackend().port(), ProxyConfig.SendProxy.V1);
    }

    @Test
    void aPorterBackendSeesTheClientThroughAV2Header() throws IOException {
        eachClientSeesItself(porterBackend().port(), ProxyConfig.SendProxy.V2);
    }

    @Test
    void nginxWithProxyProtocolSeesTheClient() throws Exception {
        Nginx nginx = fixture.later(Nginx.startProxyProtocol(
                "location /who { return 200 \"$proxy_protocol_addr $proxy_protocol_port\"; }"));
        eachClientSeesItself(nginx.port(), ProxyConfig.SendProxy.V1);
        eachClientSeesItself(nginx.port(), ProxyConfig.SendProxy.V2);
    }

    /** The header goes in the clear before the TLS handshake (proxy-protocol.txt §2), as HAProxy sends it. */
    @Test
    void anHttpsPorterBackendReadsTheHeaderBeforeItsHandshake(@TempDir Path dir) throws IOException {
        TestCertificates certs = TestCertificates.create(dir);
        Router r = new Router().get("/who", (req, res) -> res.send(
                req.remoteAddress().getAddress().getHostAddress() + " " + req.remoteAddress().getPort()));
        HttpConfig.Builder b = HttpConfig.builder().tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem()));
        b.server(b.build().server().withProxyProtocol(ProxyProtocolConfig.defaults()));
        HttpServer backend = fixture.later(TestHttp.start(b, r));
        for (ProxyConfig.SendProxy version : new ProxyConfig.SendProxy[]{ProxyConfig.SendProxy.V1, ProxyConfig.SendProxy.V2}) {
            eachClientSeesItself(ProxyConfig.builder("https://127.0.0.1:" + backend.port()).sendProxy(version)
                    .upstreamTls(ClientTls.defaults().withTrust(certs.trust())));
        }
    }

    @Test
    void nginxWithSslAndProxyProtocolSeesTheClient(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued leaf = certs.server("localhost", "127.0.0.1");
        Nginx nginx = fixture.later(Nginx.startTlsProxyProtocol(
                "location /who { return 200 \"$proxy_protocol_addr $proxy_protocol_port\"; }",
                leaf.certificateFile(), leaf.keyFile()));
        eachClientSeesItself(ProxyConfig.builder("https://127.0.0.1:" + nginx.port()).sendProxy(ProxyConfig.SendProxy.V2)
                .upstreamTls(ClientTls.defaults().withTrust(certs.trust())));
    }

    @Test
    void anHttpsBackendSignedByAnUntrustedAuthorityIsABadGateway(@TempDir Path dir) throws IOException {
        TestCertificates certs = TestCertificates.create(dir);
        HttpServer backend = fixture.later(TestHttp.start(HttpConfig.builder()
                .tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem())), new Router().get("/who", (req, res) -> res.send("x"))));
        tlsFailureIsABadGateway(fixture.proxy(ProxyConfig.builder("https://127.0.0.1:" + backend.port()))); // the JDK's trust
    }

    @Test
    void anHttpsBackendWhoseCertificateIsForAnotherNameIsABadGateway(@TempDir Path dir) throws IOException {
        TestCertificates certs = TestCertificates.create(dir);
        HttpServer backend = fixture.later(TestHttp.start(HttpConfig.builder()
                .tls(TlsConfig.of(certs.server("example.com").pem())), new Router().get("/who", (req, res) -> res.send("x"))));
        tlsFailureIsABadGateway(fixture.proxy(ProxyConfig.builder("https://127.0.0.1:" + backend.port())
                .upstreamTls(ClientTls.defaults().withTrust(certs.trust()))));
    }

    private static void tlsFailureIsABadGateway(HttpServer p) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 502 ")
                    .endsWith("\r\n\r\nBad Gateway: the TLS handshake with the upstream server failed\n");
        }
    }

    @Test
    void withoutTheOptionABackendThatRequiresTheHeaderIsUnreachable() throws IOException {
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + porterBackend().port()));
        try (Socket s = new Socket("127.0.0.1", p.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /who HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(head).isEqualTo("HTTP/1.1 502"); // the backend hung up on a connection without a header
        }
    }

    @Test
    void healthChecksSendLocalAndKeepTheBackendUp() throws Exception {
        HttpServer b = porterBackend();
        ProxyHandler handler = fixture.later(ProxyHandler.of(ProxyConfig.builder("http://127.0.0.1:" + b.port())
                .sendProxy(ProxyConfig.SendProxy.V2)
                .health(new ProxyConfig.HealthCheck("/healthz", Duration.ofMillis(50), Duration.ofSeconds(1), 1, 1)).build()));
        Thread.sleep(400); // several checks: one failure would take the backend down (fall 1)
        assertThat(handler.backends().getFirst().up()).isTrue();
    }

    @Test
    void healthChecksOfAnHttpsBackendSendLocalBeforeTheHandshake(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        AtomicInteger checks = new AtomicInteger();
        Router r = new Router().get("/healthz", (req, res) -> {
            checks.incrementAndGet();
            res.send("ok");
        });
        HttpConfig.Builder b = HttpConfig.builder().tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem()));
        b.server(b.build().server().withProxyProtocol(ProxyProtocolConfig.defaults()));
        HttpServer backend = fixture.later(TestHttp.start(b, r));
        ProxyHandler handler = fixture.later(ProxyHandler.of(ProxyConfig.builder("https://127.0.0.1:" + backend.port())
                .sendProxy(ProxyConfig.SendProxy.V2).upstreamTls(ClientTls.defaults().withTrust(certs.trust()))
                .health(new ProxyConfig.HealthCheck("/healthz", Duration.ofMillis(50), Duration.ofSeconds(1), 1, 1)).build()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (checks.get() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(checks.get()).as("checks that reached the handler through PROXY and TLS").isGreaterThanOrEqualTo(3);
        assertThat(handler.backends().getFirst().up()).isTrue();
    }

    @Test
    void aWebSocketTunnelsBackendConnectionCarriesTheHeader() throws Exception {
        tunnelFrom127007(fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + porterBackend().port())
                .sendProxy(ProxyConfig.SendProxy.V2)));
    }

    @Test
    void aWebSocketTunnelToAnHttpsBackendSendsTheHeaderBeforeTheHandshake(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Router r = new Router().websocket("/ws", ws -> ws.sendText(ws.request().remoteAddress().getAddress().getHostAddress()));
        HttpConfig.Builder b = HttpConfig.builder().tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem()));
        b.server(b.build().server().withProxyProtocol(ProxyProtocolConfig.defaults()));
        HttpServer backend = fixture.later(TestHttp.start(b, r));
        tunnelFrom127007(fixture.proxy(ProxyConfig.builder("https://127.0.0.1:" + backend.port())
                .sendProxy(ProxyConfig.SendProxy.V1).upstreamTls(ClientTls.defaults().withTrust(certs.trust()))));
    }

    /** Upgrades from 127.0.0.7 through {@code p}; the backend's first message names the client it was told of. */
    private static void tunnelFrom127007(HttpServer p) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.7"), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), p.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
            assertThat(head.toString()).startsWith("HTTP/1.1 101 ");
            byte[] frame = in.readNBytes(2 + 9); // an unmasked text frame of 9 bytes: 0x81 0x09 "127.0.0.7"
            assertThat(frame[0] & 0xFF).isEqualTo(0x81);
            assertThat(new String(frame, 2, 9, StandardCharsets.US_ASCII)).isEqualTo("127.0.0.7");
        }
    }
}
