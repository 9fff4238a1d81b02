package dev.porter.http.proxy;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpClientException;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.HttpVersion;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.Router;
import dev.porter.http.Status;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketOptions;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static dev.porter.http.proxy.ProxyFixture.ws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WebSocket over HTTP/2 through {@link ProxyHandler}: Porter's client sends an RFC 8441 extended CONNECT (h2c with
 * prior knowledge, and h2 over TLS), the proxy asks a Porter backend with an HTTP/1.1 upgrade and joins the stream
 * to the backend socket. Echo of text, binary and 1 MiB, Close both ways, the negotiated sub-protocol and
 * extension reaching the client, a refusal (400) relayed, a wrong Sec-WebSocket-Accept (502), the tunnel cap (503), and a quiet tunnel outliving the
 * proxy's read timeout (only the tunnel idle timeout bounds it).
 */
class ProxyWebSocketH2Test {

    @TempDir
    Path dir;
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();

    private HttpServer backend() {
        Router r = new Router()
                .websocket("/echo", WebSocketOptions.defaults().subprotocols("chat.v1").origins("http://example.test"), ws -> {
                    var q = ws.request();
                    fixture.backendSaw(q.version() + " key=" + (q.header("Sec-WebSocket-Key") != null) + " origin="
                            + q.header("Origin") + " via=" + q.header("Via"));
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                    fixture.backendSaw("closed " + ws.closeCode() + " " + ws.closeReason());
                })
                .websocket("/bye", ws -> ws.close(4001, "bye now"))
                .get("/refuse", (req, res) -> res.send(Status.BAD_REQUEST, "no websocket here\n"))
                .get("/ok", (req, res) -> res.send("a plain 200\n"));
        return fixture.later(TestHttp.start(HttpConfig.builder(), r));
    }

    private HttpServer proxyTo(HttpServer b) {
        return fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()), HttpConfig.builder());
    }

    private HttpClient h2c() {
        return fixture.later(HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build()));
    }

    private static void echoes(ClientWebSocket ws) throws Exception {
        ws.sendText("héllo");
        assertThat(ws.receive()).isEqualTo(new WebSocket.Text("héllo"));
        byte[] small = {0, 1, 2, (byte) 0xff};
        ws.sendBinary(small);
        assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(small));
        byte[] big = new byte[1 << 20];
        new Random(8441).nextBytes(big);
        ws.sendBinary(big);
        assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(big));
    }

    @Test
    void s5_echoesThroughTheProxyOverH2cAndTheClientsCloseReachesTheBackend() throws Exception {
        HttpServer p = proxyTo(backend());
        ClientWebSocket closed;
        WebSocketRequest req = WebSocketRequest.builder(ws(p, "/echo")).subprotocols("chat.v1")
                .header("Origin", "http://example.test").build();
        try (ClientWebSocket ws = h2c().websocket(req)) {
            closed = ws;
            assertThat(ws.request().version()).as("RFC 8441 was used").isEqualTo("HTTP/2");
            assertThat(ws.subprotocol()).isEqualTo("chat.v1");
            assertThat(ws.extensions()).startsWith("permessage-deflate"); // the backend's, passed on
            assertThat(ws.responseHeaders().first("Sec-WebSocket-Accept")).as("RFC 8441 §5").isNull();
            echoes(ws);
            ws.close(4000, "done");
            assertThat(ws.receive()).isNull();
        }
        assertThat(closed.serverCloseCode()).as("the backend's Close came back").isEqualTo(4000);
        assertThat(fixture.saw()).isEqualTo("HTTP/1.1 key=true origin=http://example.test via=2 porter");
        assertThat(fixture.saw()).isEqualTo("closed 4000 done");
    }

    @Test
    void s5_echoesThroughTheProxyOverH2WithTls() throws Exception {
        HttpServer b = backend();
        TestCertificates certs = TestCertificates.create(dir);
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()),
                HttpConfig.builder().tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem())));
        HttpClient h2 = fixture.later(HttpClient.create(ClientConfig.builder().tls(ClientTls.defaults().withTrust(certs.trust())).build()));
        try (ClientWebSocket ws = h2.websocket(URI.create("wss://127.0.0.1:" + p.port() + "/echo"))) {
            assertThat(ws.request().version()).isEqualTo("HTTP/2");
            echoes(ws);
            ws.close(1000, "");
            assertThat(ws.receive()).isNull();
        }
    }

    @Test
    void s5_theBackendClosingReachesTheClient() throws Exception {
        HttpServer p = proxyTo(backend());
        try (ClientWebSocket ws = h2c().websocket(ws(p, "/bye"))) {
            assertThat(ws.request().version()).isEqualTo("HTTP/2");
            assertThat(ws.receive()).isNull();
            assertThat(ws.serverCloseCode()).isEqualTo(4001);
            assertThat(ws.closeReason()).isEqualTo("bye now");
        }
    }

    @Test
    void s5_aRefusalReachesTheClientWithItsStatus() throws Exception {
        HttpServer p = proxyTo(backend());
        HttpClient c = h2c();
        assertThatThrownBy(() -> c.websocket(ws(p, "/refuse")))
                .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(400));
        // A 2xx that is no 101 must not tell the client its tunnel is open (RFC 8441 §5).
        assertThatThrownBy(() -> c.websocket(ws(p, "/ok")))
                .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(502));
        // The connection is still good for another conversation.
        try (ClientWebSocket ws = c.websocket(ws(p, "/echo"))) {
            ws.sendText("still");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("still"));
        }
    }

    @Test
    void s5_aBackend101WithAWrongAcceptIsA502() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = raw.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                        if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) fixture.backendSaw("key " + line.substring(18).trim().length());
                    }
                    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    s.getInputStream().read();
                } catch (IOException e) {
                    // the proxy closed the connection: the test's assertions tell
                }
            });
            HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + raw.getLocalPort()), HttpConfig.builder());
            assertThatThrownBy(() -> h2c().websocket(ws(p, "/x")))
                    .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(502));
            assertThat(fixture.saw()).as("a base64 nonce of 16 bytes (RFC 6455 §4.1)").isEqualTo("key 24");
        }
    }

    @Test
    void overMaxTunnelsTheExtendedConnectIsAnswered503() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()).maxTunnels(1), HttpConfig.builder());
        HttpClient c = h2c();
        try (ClientWebSocket first = c.websocket(ws(p, "/echo"))) {
            assertThatThrownBy(() -> c.websocket(ws(p, "/echo")))
                    .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(503));
            first.sendText("still here");
            assertThat(first.receive()).isEqualTo(new WebSocket.Text("still here"));
        }
    }

    @Test
    void aQuietTunnelOutlivesTheProxysReadTimeout() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()),
                HttpConfig.builder().bodyReadTimeout(Duration.ofMillis(200)));
        try (ClientWebSocket ws = h2c().websocket(WebSocketRequest.builder(ws(p, "/echo")).deflate(false).build())) {
            ws.sendText("one");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("one"));
            Thread.sleep(700); // quiet for more than the read timeout of the proxy's HTTP/2 streams
            ws.sendText("two");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("two"));
        }
    }

    @Test
    void aQuietTunnelIsClosedAfterTheTunnelIdleTimeout() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()).tunnelIdleTimeout(Duration.ofMillis(300)),
                HttpConfig.builder());
        try (ClientWebSocket ws = h2c().websocket(WebSocketRequest.builder(ws(p, "/echo")).deflate(false).build())) {
            assertThat(ws.receive()).as("the tunnel was closed: the stream ends").isNull();
        }
    }
}
