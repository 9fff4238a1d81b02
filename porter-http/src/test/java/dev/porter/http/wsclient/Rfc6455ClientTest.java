package dev.porter.http.wsclient;

import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpClientException;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's MUSTs of RFC 6455 (and RFC 7692's for the client), each against a server written by hand that
 * answers exactly what the test needs: the handshake's checks (§4.1), masking (§5.1, §5.3), fragments (§5.4),
 * the closing handshake (§5.5.1, §7), UTF-8 (§8.1), and permessage-deflate's negotiation (RFC 7692 §7.1).
 */
class Rfc6455ClientTest {

    private static final HttpClient client = HttpClient.create();

    @AfterAll
    static void stop() {
        client.close();
    }

    private interface Script {
        void run(ServerSide s) throws Exception;
    }

    /** Runs {@code script} as the server of each connection; failures are collected for {@link #check}. */
    private static final LinkedBlockingQueue<Throwable> serverFailures = new LinkedBlockingQueue<>();

    private static RawServer server(Script script) throws IOException {
        serverFailures.clear();
        return RawServer.start(socket -> {
            try {
                script.run(new ServerSide(socket));
            } catch (Throwable t) {
                serverFailures.add(t);
                throw t;
            }
        });
    }

    private static URI uri(RawServer s) {
        return URI.create("ws://127.0.0.1:" + s.port() + "/chat?x=1");
    }

    private static void check() {
        assertThat(serverFailures).isEmpty();
    }

    private static HttpClientException.WebSocketHandshake refusal(RawServer s, WebSocketRequest req) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> client.websocket(req).close());
        assertThat(t).isInstanceOf(HttpClientException.WebSocketHandshake.class);
        return (HttpClientException.WebSocketHandshake) t;
    }

    @Test
    void s4_1_theOpeningHandshakeCarriesEveryRequiredField() throws Exception {
        CompletableFuture<String> head = new CompletableFuture<>();
        try (RawServer s = server(side -> {
            head.complete(side.head);
            side.upgrade();
            side.close(1000);
            side.read();
        }); ClientWebSocket ws = client.websocket(WebSocketRequest.builder(uri(s)).subprotocols("a", "b").build())) {
            String h = head.get(10, TimeUnit.SECONDS);
            assertThat(h).startsWith("GET /chat?x=1 HTTP/1.1\r\n").contains("\r\nHost: 127.0.0.1:" + s.port() + "\r\n")
                    .containsIgnoringCase("\r\nUpgrade: websocket\r\n").contains("\r\nConnection: Upgrade\r\n")
                    .contains("\r\nSec-WebSocket-Version: 13\r\n").contains("\r\nSec-WebSocket-Protocol: a, b\r\n")
                    .contains("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n").doesNotContain("Origin:");
            String key = h.replaceAll("(?s).*Sec-WebSocket-Key: (\\S+)\r\n.*", "$1");
            assertThat(Base64.getDecoder().decode(key)).hasSize(16);
            assertThat(ws.receive()).isNull();
        }
        check();
    }

    @Test
    void s4_1_eachHandshakeHasAFreshRandomKey() throws Exception {
        Set<String> keys = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (RawServer s = server(side -> {
            keys.add(side.key());
            side.upgrade();
            side.close(1000);
            side.read();
        })) {
            for (int i = 0; i < 5; i++) client.websocket(uri(s)).close();
        }
        assertThat(keys).hasSize(5);
    }

    @Test
    void s4_1_aStatusOtherThan101IsRefusedWithTheStatus() throws Exception {
        try (RawServer s = server(side -> side.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno"))) {
            assertThat(refusal(s, WebSocketRequest.of(uri(s))).status()).isEqualTo(403);
        }
    }

    @Test
    void s4_1_aRedirectIsNotFollowed() throws Exception {
        try (RawServer s = server(side -> side.write("HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:1/elsewhere\r\n"
                + "Content-Length: 0\r\n\r\n"))) {
            HttpClientException.WebSocketHandshake e = refusal(s, WebSocketRequest.of(uri(s)));
            assertThat(e.status()).isEqualTo(302);
            assertThat(e.headers().first("Location")).isEqualTo("ws://127.0.0.1:1/elsewhere");
            assertThat(e).hasMessageContaining("does not follow");
            assertThat(s.accepted()).isEqualTo(1);
        }
    }

    @Test
    void s4_1_aWrongAcceptKeyFailsTheConnection() throws Exception {
        try (RawServer s = server(side -> side.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + ServerSide.accept("AAAAAAAAAAAAAAAAAAAAAA==") + "\r\n\r\n"))) {
            HttpClientException.WebSocketHandshake e = refusal(s, WebSocketRequest.of(uri(s)));
            assertThat(e.status()).isEqualTo(101);
            assertThat(e).hasMessageContaining("Sec-WebSocket-Accept");
        }
    }

    @Test
    void s4_1_aMissingUpgradeOrConnectionFieldFailsTheConnection() throws Exception {
        try (RawServer s = server(side -> side.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerSide.accept(side.key()) + "\r\n\r\n"))) {
            assertThat(refusal(s, WebSocketRequest.of(uri(s)))).hasMessageContaining("Upgrade: websocket");
        }
        try (RawServer s = server(side -> side.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Accept: " + ServerSide.accept(side.key()) + "\r\n\r\n"))) {
            assertThat(refusal(s, WebSocketRequest.of(uri(s)))).hasMessageContaining("Connection: upgrade");
        }
    }

    @Test
    void s4_1_aSubprotocolThatWasNotOfferedFailsTheConnection() throws Exception {
        try (RawServer s = server(side -> side.upgrade("Sec-WebSocket-Protocol: c"))) {
            assertThat(refusal(s, WebSocketRequest.builder(uri(s)).subprotocols("a", "b").build()))
                    .hasMessageContaining("sub-protocol 'c'");
            assertThat(refusal(s, WebSocketRequest.of(uri(s)))).hasMessageContaining("not offered");
        }
    }

    @Test
    void s4_1_anExtensionThatWasNotOfferedFailsTheConnection() throws Exception {
        try (RawServer s = server(side -> side.upgrade("Sec-WebSocket-Extensions: permessage-deflate"))) {
            assertThat(refusal(s, WebSocketRequest.builder(uri(s)).deflate(false).build())).hasMessageContaining("not offered");
        }
        try (RawServer s = server(side -> side.upgrade("Sec-WebSocket-Extensions: x-webkit-deflate-frame"))) {
            assertThat(refusal(s, WebSocketRequest.of(uri(s)))).hasMessageContaining("x-webkit-deflate-frame");
        }
    }

    @Test
    void rfc7692_s7_1_2_2_clientMaxWindowBitsThatWasNotOfferedFailsTheConnection() throws Exception {
        try (RawServer s = server(side -> side.upgrade("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10"))) {
            assertThat(refusal(s, WebSocketRequest.of(uri(s)))).hasMessageContaining("client_max_window_bits");
        }
    }

    @Test
    void rfc7692_s7_1_1_1_withClientNoContextTakeoverEachMessageInflatesOnItsOwn() throws Exception {
        LinkedBlockingQueue<String> inflated = new LinkedBlockingQueue<>();
        try (RawServer s = server(side -> {
            side.upgrade("Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_max_window_bits=10");
            for (int i = 0; i < 3; i++) {
                ServerSide.Frame f = side.read();
                assertThat(f.rsv()).isEqualTo(4); // RSV1: compressed
                Inflater fresh = new Inflater(true); // no history: the client must not refer to earlier messages
                byte[] data = java.util.Arrays.copyOf(f.payload(), f.payload().length + 4);
                data[data.length - 2] = (byte) 0xff;
                data[data.length - 1] = (byte) 0xff;
                fresh.setInput(data);
                byte[] out = new byte[1000];
                inflated.add(new String(out, 0, fresh.inflate(out), StandardCharsets.UTF_8));
                fresh.end();
            }
            side.close(1000);
            side.read();
        }); ClientWebSocket ws = client.websocket(uri(s))) {
            assertThat(ws.extensions()).contains("client_no_context_takeover");
            for (int i = 0; i < 3; i++) ws.sendText("the same words again and again");
            assertThat(ws.receive()).isNull();
        }
        check();
        assertThat(inflated).containsExactly("the same words again and again", "the same words again and again",
                "the same words again and again");
    }

    @Test
    void s5_3_everyClientFrameIsMaskedWithAFreshKey() throws Exception {
        Set<Integer> keys = new HashSet<>();
        LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        try (RawServer s = server(side -> {
            side.upgrade();
            for (ServerSide.Frame f; (f = side.read()) != null && f.opcode() != 8; ) {
                assertThat(f.masked()).isTrue();
                keys.add(f.maskKey());
                texts.add(f.text());
            }
            side.close(1000);
        }); ClientWebSocket ws = client.websocket(WebSocketRequest.builder(uri(s)).deflate(false).build())) {
            for (int i = 0; i < 20; i++) ws.sendText("message " + i);
        }
        check();
        assertThat(texts).hasSize(20).first().isEqualTo("message 0");
        assertThat(keys).hasSize(20);
    }

    @Test
    void s5_1_aMaskedFrameFromTheServerFailsTheConnectionWith1002() throws Exception {
        CompletableFuture<ServerSide.Frame> answer = new CompletableFuture<>();
        try (RawServer s = server(side -> {
            side.upgrade();
            side.frame(true, 1, "masked".getBytes(StandardCharsets.UTF_8), 0x01020304);
            answer.complete(side.read());
        }); ClientWebSocket ws = client.websocket(uri(s))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1002);
            ServerSide.Frame close = answer.get(10, TimeUnit.SECONDS);
            assertThat(close.opcode()).isEqualTo(8);
            assertThat((close.payload()[0] & 0xff) << 8 | close.payload()[1] & 0xff).isEqualTo(1002);
        }
    }

    @Test
    void s5_4_fragmentsAreJoinedAndAPingBetweenThemIsAnswered() throws Exception {
        CompletableFuture<ServerSide.Frame> pong = new CompletableFuture<>();
        try (RawServer s = server(side -> {
            side.upgrade();
            side.frame(false, 1, "frag".getBytes(StandardCharsets.UTF_8), null);
            side.frame(true, 9, new byte[]{7, 7}, null);
            side.frame(false, 0, "ment".getBytes(StandardCharsets.UTF_8), null);
            side.frame(true, 0, "ed".getBytes(StandardCharsets.UTF_8), null);
            pong.complete(side.read());
            side.close(1000);
            side.read();
        }); ClientWebSocket ws = client.websocket(uri(s))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("fragmented"));
            ServerSide.Frame p = pong.get(10, TimeUnit.SECONDS);
            assertThat(p.opcode()).isEqualTo(10);
            assertThat(p.payload()).containsExactly(7, 7);
            assertThat(p.masked()).isTrue();
            assertThat(ws.receive()).isNull();
        }
        check();
    }

    @Test
    void s5_5_1_theServersCloseIsAnsweredWithItsCodeThenTheServerClosesFirst() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (RawServer s = server(side -> {
            side.upgrade();
            side.close(4321);
            ServerSide.Frame reply = side.read();
            int code = (reply.payload()[0] & 0xff) << 8 | reply.payload()[1] & 0xff;
            seen.complete(reply.opcode() + " " + code + " " + reply.masked());
            side.socket.close();
        }); ClientWebSocket ws = client.websocket(uri(s))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(4321);
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("8 4321 true");
        }
    }

    @Test
    void s8_1_textThatIsNotUtf8FailsTheConnectionWith1007() throws Exception {
        try (RawServer s = server(side -> {
            side.upgrade();
            side.frame(true, 1, new byte[]{(byte) 0xc3, (byte) 0x28}, null);
            side.read();
        }); ClientWebSocket ws = client.websocket(uri(s))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1007);
        }
    }

    @Test
    void s7_1_7_aServerThatClosesTcpWithoutACloseFrameIs1006() throws Exception {
        try (RawServer s = server(side -> {
            side.upgrade();
            side.text("last words");
            side.socket.close();
        }); ClientWebSocket ws = client.websocket(uri(s))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("last words"));
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1006);
            assertThat(ws.serverCloseCode()).isZero();
        }
    }

    @Test
    void s7_1_2_messagesThatArriveAfterTheClientsCloseAreStillReturned() throws Exception {
        try (RawServer s = server(side -> {
            side.upgrade();
            assertThat(side.read().opcode()).isEqualTo(8);
            side.text("one more thing");
            side.close(1000);
            side.read();
        }); ClientWebSocket ws = client.websocket(uri(s))) {
            ws.close(1000, "");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("one more thing"));
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1000);
        }
        check();
    }

    @Test
    void theHandshakeIsBoundedByTheRequestTimeout() throws Exception {
        try (RawServer s = RawServer.silent()) {
            assertThatThrownBy(() -> client.websocket(WebSocketRequest.builder(uri(s)).timeout(Duration.ofMillis(300)).build()))
                    .isInstanceOf(HttpClientException.Timeout.class);
        }
    }
}
