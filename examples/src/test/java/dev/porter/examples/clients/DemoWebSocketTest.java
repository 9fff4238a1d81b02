package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpServer;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's WebSocket echo at {@code /ws}, what {@code porter demo} serves: every message back as it came, with
 * and without permessage-deflate, up to 16 MiB, sent whole by Porter's client (in 64 KiB frames) or by the JDK's
 * client in fragments of an odd size; and any origin.
 */
class DemoWebSocketTest {

    private static HttpServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = TestHttp.start(DemoApp.router());
        client = HttpClient.create();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    @Test
    void echoesEachMessageAsItCameWithPermessageDeflate() throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(5).nextBytes(big);
        try (ClientWebSocket ws = client.websocket(WebSocketRequest.builder(ws()).header("Origin", "https://any.example").build())) {
            assertThat(ws.extensions()).startsWith("permessage-deflate");
            ws.sendText("hello");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("hello"));
            ws.sendBinary(new byte[]{0, 1, 2});
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(new byte[]{0, 1, 2}));
            ws.sendBinary(big);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(big));
        }
    }

    @Test
    void echoes16MiBOfTextWithoutCompression() throws Exception {
        String text = "ünïcode and ascii ".repeat((16 << 20) / 21);
        try (ClientWebSocket ws = client.websocket(WebSocketRequest.builder(ws()).deflate(false).build())) {
            assertThat(ws.extensions()).isNull();
            ws.sendText(text);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text(text));
        }
    }

    @Test
    void joinsA16MiBMessageSentInOddFragmentsByTheJdkClient() throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(9).nextBytes(big);
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(java.net.http.WebSocket w, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                received.writeBytes(b);
                if (last) echoed.complete(received.toByteArray());
                w.request(1);
                return null;
            }
        };
        try (java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.WebSocket w = jdk.newWebSocketBuilder().buildAsync(ws(), listener).get(10, TimeUnit.SECONDS);
            int piece = 100_003;
            for (int off = 0; off < big.length; off += piece) {
                int n = Math.min(piece, big.length - off);
                w.sendBinary(ByteBuffer.wrap(big, off, n), off + n == big.length).get(30, TimeUnit.SECONDS);
            }
            assertThat(echoed.get(60, TimeUnit.SECONDS)).isEqualTo(big);
            w.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        }
    }
}
