package dev.porter.http.wsclient;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpClientException;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketOptions;
import dev.porter.http.WebSocketRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Porter's WebSocket client against Porter's WebSocket server, over ws and wss: echo with and without
 * permessage-deflate, sub-protocols, the handshake as sent, close codes both ways, limits, and refusals.
 */
class WebSocketClientTest {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static HttpServer server;
    private static HttpServer tls;
    private static HttpClient client;
    private static final LinkedBlockingQueue<String> serverSaw = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        Router r = new Router()
                .websocket("/echo", ws -> {
                    String first = null; // names the conversation: tests end theirs in any order
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) {
                        if (first == null && m instanceof WebSocket.Text t) first = t.text();
                        ws.send(m);
                    }
                    serverSaw.add(first + ": closed " + ws.closeCode() + " " + ws.closeReason());
                })
                .websocket("/chat", WebSocketOptions.defaults().subprotocols("chat.v2", "chat.v1"), ws ->
                        ws.sendText(ws.subprotocol() + "|" + ws.request().header("X-Token") + "|" + ws.request().query("room")))
                .websocket("/bye", ws -> ws.close(4001, "bye now"))
                .websocket("/big", ws -> ws.sendBinary(new byte[4096]))
                .get("/plain", (req, res) -> res.send("not a websocket"));
        server = HttpServer.start(HttpConfig.defaults(), r);
        certs = TestCertificates.create(dir);
        tls = HttpServer.start(HttpConfig.builder().tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem())).build(), r);
        client = HttpClient.create(ClientConfig.builder().tls(ClientTls.defaults().withTrust(certs.trust())).build());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        tls.close();
    }

    /** @return what the echo handler reported for the conversation that began with {@code first} */
    private static String saw(String first) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String s; (s = serverSaw.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
            if (s.startsWith(first + ": ")) return s;
        }
        throw new AssertionError("the server reported nothing for " + first);
    }

    private static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    @Test
    void echoesTextAndBinaryWithPermessageDeflateNegotiated() throws IOException {
        try (ClientWebSocket ws = client.websocket(ws("/echo"))) {
            assertThat(ws.extensions()).startsWith("permessage-deflate");
            assertThat(ws.isOpen()).isTrue();
            for (int i = 0; i < 100; i++) {
                ws.sendText("héllo " + i + " " + "abc".repeat(i));
                assertThat(ws.receive()).isEqualTo(new WebSocket.Text("héllo " + i + " " + "abc".repeat(i)));
            }
            byte[] data = new byte[300_000];
            new Random(7).nextBytes(data);
            ws.sendBinary(data);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(data));
        }
    }

    @Test
    void rfc7692_s7_2_3_6_emptyMessagesEchoCompressedBetweenOthers() throws IOException {
        try (ClientWebSocket ws = client.websocket(ws("/echo"))) {
            for (String m : new String[]{"a", "", "", "b", ""}) {
                ws.sendText(m);
                assertThat(ws.receive()).isEqualTo(new WebSocket.Text(m));
            }
            ws.sendBinary(new byte[0]);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(new byte[0]));
        }
    }

    @Test
    void withoutDeflateNothingIsNegotiatedAndMessagesStillEcho() throws IOException {
        try (ClientWebSocket ws = client.websocket(WebSocketRequest.builder(ws("/echo")).deflate(false).build())) {
            assertThat(ws.extensions()).isNull();
            assertThat(ws.request().header("Sec-WebSocket-Extensions")).isNull();
            ws.sendText("plain");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("plain"));
        }
    }

    @Test
    void aMessageOf16MiBEchoesWhole() throws IOException {
        byte[] data = new byte[16 << 20];
        new Random(3).nextBytes(data);
        try (ClientWebSocket ws = client.websocket(ws("/echo"))) {
            ws.sendBinary(data);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(data));
        }
    }

    @Test
    void subprotocolHeadersAndQueryReachTheServer() throws IOException {
        WebSocketRequest req = WebSocketRequest.builder(ws("/chat?room=blue")).subprotocols("chat.v1", "chat.v2")
                .header("X-Token", "t0k").build();
        try (ClientWebSocket ws = client.websocket(req)) {
            assertThat(ws.subprotocol()).isEqualTo("chat.v2"); // the server's preference among those offered
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("chat.v2|t0k|blue"));
            assertThat(ws.responseHeaders().first("Sec-WebSocket-Protocol")).isEqualTo("chat.v2");
            assertThat(ws.request().method()).isEqualTo("GET");
            assertThat(ws.request().target()).isEqualTo("/chat?room=blue");
            assertThat(ws.request().query("room")).isEqualTo("blue");
            assertThat(ws.request().header("Sec-WebSocket-Protocol")).isEqualTo("chat.v1, chat.v2");
            assertThat(ws.request().header("Host")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(ws.request().remoteAddress().getPort()).isEqualTo(server.port());
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void s7_1_5_theServersCloseCodeAndReasonAreReported() throws IOException {
        try (ClientWebSocket ws = client.websocket(ws("/bye"))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(4001);
            assertThat(ws.closeReason()).isEqualTo("bye now");
            assertThat(ws.serverCloseCode()).isEqualTo(4001);
            assertThat(ws.isOpen()).isFalse();
            assertThatThrownBy(() -> ws.sendText("too late")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void s7_1_2_closeByTheClientReachesTheServerWithItsCode() throws Exception {
        ClientWebSocket ws = client.websocket(ws("/echo"));
        ws.sendText("client closes with 4100");
        assertThat(ws.receive()).isEqualTo(new WebSocket.Text("client closes with 4100"));
        ws.close(4100, "done here");
        assertThat(ws.isOpen()).isFalse();
        assertThat(ws.receive()).isNull(); // the server's answering Close ends it
        assertThat(ws.closeCode()).isEqualTo(4100);
        assertThat(ws.serverCloseCode()).isEqualTo(4100); // the server's answer echoes the code
        assertThat(saw("client closes with 4100")).isEqualTo("client closes with 4100: closed 4100 done here");
        ws.close();
    }

    @Test
    void closeWithoutReadingStillEndsTheConversationCleanly() throws Exception {
        try (ClientWebSocket ws = client.websocket(ws("/echo"))) {
            ws.sendText("unread echo");
        }
        assertThat(saw("unread echo")).isEqualTo("unread echo: closed 1000 ");
    }

    @Test
    void s7_4_1_aMessageOverTheClientsLimitFailsWith1009() throws IOException {
        WebSocketConfig small = WebSocketConfig.defaults().withSizes(1024, 1024);
        try (ClientWebSocket ws = client.websocket(WebSocketRequest.builder(ws("/big")).config(small).build())) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void pingIsAnsweredAndTheConversationGoesOn() throws IOException {
        try (ClientWebSocket ws = client.websocket(ws("/echo"))) {
            ws.ping(new byte[]{1, 2, 3});
            ws.sendText("after ping");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("after ping"));
        }
    }

    @Test
    void wssEchoesOverTlsWithTheNameChecked() throws IOException {
        URI uri = URI.create("wss://localhost:" + tls.port() + "/echo");
        try (ClientWebSocket ws = client.websocket(uri)) {
            assertThat(ws.tls()).isPresent();
            // The client speaks HTTP/2 by default and Porter offers extended CONNECT: RFC 8441 on the h2 connection.
            assertThat(ws.tls().get().applicationProtocol()).isEqualTo("h2");
            assertThat(ws.request().version()).isEqualTo("HTTP/2");
            ws.sendText("secret");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("secret"));
        }
    }

    @Test
    void wssRefusesAServerWhoseCertificateIsNotTrusted() {
        URI uri = URI.create("wss://localhost:" + tls.port() + "/echo");
        try (HttpClient plain = HttpClient.create()) {
            assertThatThrownBy(() -> plain.websocket(uri)).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void s4_1_aRefusedHandshakeCarriesTheStatus() {
        assertThatThrownBy(() -> client.websocket(ws("/nowhere")))
                .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> client.websocket(ws("/plain")))
                .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(200));
        WebSocketRequest foreign = WebSocketRequest.builder(ws("/echo")).header("Origin", "https://evil.example").build();
        assertThatThrownBy(() -> client.websocket(foreign))
                .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws IOException {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> client.websocket(URI.create("ws://127.0.0.1:" + port + "/")))
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void theRequestRejectsWhatTheHandshakeOwnsAndBadUris() {
        assertThatThrownBy(() -> WebSocketRequest.builder(ws("/")).header("Sec-WebSocket-Key", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketRequest.builder(ws("/")).header("Sec-WebSocket-Protocol", "x"))
                .hasMessageContaining("subprotocols()");
        assertThatThrownBy(() -> WebSocketRequest.of(URI.create("ftp://127.0.0.1/"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketRequest.of(URI.create("ws://127.0.0.1/#frag")))
                .hasMessageContaining("fragment");
        assertThatThrownBy(() -> WebSocketRequest.builder(ws("/")).subprotocols("a", "a").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketRequest.builder(ws("/")).timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void httpUrisAreAcceptedAsABrowserDoes() throws IOException {
        try (ClientWebSocket ws = client.websocket(URI.create("http://127.0.0.1:" + server.port() + "/echo"))) {
            ws.sendText("via http");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("via http"));
        }
    }
}
