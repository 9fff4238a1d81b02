package dev.porter.http.proxy;

import dev.porter.http.ClientResponse;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpClientException;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.Router;
import dev.porter.http.Status;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import static dev.porter.http.proxy.ProxyFixture.ws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WebSocket through {@link ProxyHandler} (RFC 6455 over RFC 9110 §7.8's upgrade), Porter's server as the backend and
 * Porter's client in front: echo of text, binary and a 16 MiB message, ping, close codes both ways, the backend
 * refusing (its 400 reaches the client), plain requests on the same proxy during a tunnel, the tunnel cap (503)
 * and the idle timeout, and the fields that must and must not cross.
 */
class ProxyWebSocketTest {

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();

    private HttpServer backend() {
        Router r = new Router()
                .websocket("/echo", ws -> {
                    fixture.backendSaw("upgrade=" + ws.request().header("Upgrade") + " via=" + ws.request().header("Via")
                            + " xff=" + ws.request().header("X-Forwarded-For") + " te=" + ws.request().header("TE"));
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                    fixture.backendSaw("closed " + ws.closeCode() + " " + ws.closeReason());
                })
                .websocket("/bye", ws -> ws.close(4001, "bye now"))
                .websocket("/target", ws -> ws.sendText(ws.request().target()))
                .websocket("/fields", ws -> {
                    var q = ws.request();
                    ws.sendText(q.header("Upgrade") + "|" + q.header("Connection") + "|" + q.header("X-Hop") + "|"
                            + q.header("Keep-Alive") + "|" + q.header("TE") + "|" + q.header("X-End"));
                })
                .get("/refuse", (req, res) -> res.send(Status.BAD_REQUEST, "no websocket here\n"))
                .get("/plain", (req, res) -> res.send("plain " + req.header("Upgrade")));
        return fixture.later(TestHttp.start(HttpConfig.builder(), r));
    }

    private HttpClient client() {
        return fixture.later(HttpClient.create());
    }

    @Test
    void echoesTextBinaryAndA16MiBMessageThroughTheTunnel() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        ClientWebSocket closed;
        try (ClientWebSocket ws = client().websocket(ws(p, "/echo"))) {
            closed = ws;
            assertThat(ws.responseHeaders().first("Via")).contains("porter");
            assertThat(ws.extensions()).startsWith("permessage-deflate"); // the backend's, passed on
            ws.sendText("héllo");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("héllo"));
            byte[] data = new byte[16 << 20];
            new Random(3).nextBytes(data);
            ws.sendBinary(data);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(data));
            ws.close(4000, "done");
        }
        assertThat(closed.serverCloseCode()).as("the backend's Close came back").isEqualTo(4000);
        assertThat(fixture.saw()).isEqualTo("upgrade=websocket via=1.1 porter xff=127.0.0.1 te=null");
        assertThat(fixture.saw()).isEqualTo("closed 4000 done");
    }

    /** A target Porter's server accepts but {@link java.net.URI} refuses ({@code {}}, {@code |}) is tunnelled as sent. */
    @Test
    void aTargetWithCharactersUriRefusesIsUpgradedAsReceived() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        String target = "/target?q={1}|x";
        try (HttpWire wire = HttpWire.connect(p)) {
            WireResponse r = wire.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").readResponse(true);
            assertThat(r.status()).isEqualTo(101);
            byte[] frame = wire.readBytes(2 + target.length()); // FIN text, unmasked, a 7-bit length
            assertThat(new String(frame, 2, target.length(), StandardCharsets.US_ASCII)).isEqualTo(target);
        }
    }

    @Test
    void pingIsAnsweredAcrossTheTunnel() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        try (ClientWebSocket ws = client().websocket(WebSocketRequest.builder(ws(p, "/echo")).deflate(false).build())) {
            ws.ping("are you there".getBytes(StandardCharsets.UTF_8));
            ws.sendText("after the ping");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("after the ping"));
        }
    }

    @Test
    void theBackendClosingReachesTheClient() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        try (ClientWebSocket ws = client().websocket(ws(p, "/bye"))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.serverCloseCode()).isEqualTo(4001);
            assertThat(ws.closeReason()).isEqualTo("bye now");
        }
    }

    @Test
    void aRefusedUpgradeReachesTheClientWithItsStatus() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        assertThatThrownBy(() -> client().websocket(ws(p, "/refuse")))
                .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(400));
        // The same path as a plain request still works, and the upgrade field did not reach the backend.
        try (ClientResponse r = client().send(dev.porter.http.ClientRequest.get("http://127.0.0.1:" + p.port() + "/plain"))) {
            assertThat(r.bodyString()).isEqualTo("plain null");
        }
    }

    @Test
    void plainRequestsGoOnDuringATunnel() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        HttpClient c = client();
        try (ClientWebSocket ws = c.websocket(ws(p, "/echo"))) {
            ws.sendText("one");
            for (int i = 0; i < 5; i++) {
                try (ClientResponse r = c.send(dev.porter.http.ClientRequest.get("http://127.0.0.1:" + p.port() + "/plain"))) {
                    assertThat(r.bodyString()).isEqualTo("plain null");
                }
            }
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("one"));
        }
    }

    @Test
    void overMaxTunnelsTheUpgradeIsAnswered503() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()).maxTunnels(1));
        HttpClient c = client();
        try (ClientWebSocket first = c.websocket(ws(p, "/echo"))) {
            assertThatThrownBy(() -> c.websocket(ws(p, "/echo")))
                    .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(503));
            first.sendText("still here");
            assertThat(first.receive()).isEqualTo(new WebSocket.Text("still here"));
        }
        // The slot comes back when the tunnel ends.
        awaitUpgradeWorks(c, p);
    }

    private static void awaitUpgradeWorks(HttpClient c, HttpServer p) throws Exception {
        for (int i = 0; ; i++) {
            try (ClientWebSocket ws = c.websocket(ws(p, "/echo"))) {
                ws.sendText("again");
                assertThat(ws.receive()).isEqualTo(new WebSocket.Text("again"));
                return;
            } catch (HttpClientException.WebSocketHandshake e) {
                if (e.status() != 503 || i > 100) throw e;
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aQuietTunnelIsClosedAfterTheIdleTimeout() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()).tunnelIdleTimeout(Duration.ofMillis(300)));
        try (Socket s = new Socket("127.0.0.1", p.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 ").contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            // Say nothing: the proxy closes both sides once the tunnel idled out, so the read ends.
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(fixture.saw()).startsWith("upgrade=websocket");
        assertThat(fixture.saw()).startsWith("closed 1006");
    }

    @Test
    void rfc9110_s7_6_1_onlyTheTwoUpgradeFieldsAreSentAgainOtherHopByHopFieldsGo() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        try (Socket s = new Socket("127.0.0.1", p.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /fields HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: keep-alive, Upgrade, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                    + "X-End: kept\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            // RFC 6455 §4.2.2: the accept key is the backend's, for the client's key (§1.3's example).
            assertThat(head).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                    .containsIgnoringCase("Upgrade: websocket").containsIgnoringCase("Connection: Upgrade");
            int b0 = in.read();
            int len = in.read();
            assertThat(b0).isEqualTo(0x81); // an unmasked final text frame from the server (RFC 6455 §5.2)
            String text = new String(in.readNBytes(len), StandardCharsets.UTF_8);
            assertThat(text).isEqualTo("websocket|Upgrade|null|null|null|kept");
        }
    }

    @Test
    void anUpgradeToAnotherProtocolIsForwardedAsAPlainRequest() throws Exception {
        HttpServer b = backend();
        HttpServer p = fixture.proxy(ProxyConfig.builder("http://127.0.0.1:" + b.port()));
        try (Socket s = new Socket("127.0.0.1", p.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /plain HTTP/1.1\r\nHost: x\r\nUpgrade: foo/2\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200 ");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed inside the head: " + sb);
            sb.append((char) b);
        }
        return sb.toString();
    }
}
