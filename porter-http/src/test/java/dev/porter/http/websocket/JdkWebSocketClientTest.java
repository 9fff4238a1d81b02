package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's own WebSocket client ({@link java.net.http.WebSocket}) against Porter: text and binary echo, a 16 MiB
 * message sent in 1 MiB fragments (the demo's size), and the closing handshake. It offers no compression.
 */
class JdkWebSocketClientTest {

    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.start(HttpConfig.defaults(), new Router().websocket("/echo", ws -> {
            for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
        }));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Collects whole messages (joining the client's partial deliveries) and the Close. */
    private static final class Collector implements java.net.http.WebSocket.Listener {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final StringBuilder text = new StringBuilder();
        final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
            messages.add("close:" + code);
            return null;
        }

        Object next() throws InterruptedException {
            Object m = messages.poll(30, TimeUnit.SECONDS);
            assertThat(m).as("a message within 30 s").isNotNull();
            return m;
        }
    }

    @Test
    void echoesTextBinaryAndA16MiBFragmentedMessageThenCloses() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            Collector c = new Collector();
            java.net.http.WebSocket ws = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), c).get(10, TimeUnit.SECONDS);
            ws.sendText("grüße, €", true).get(10, TimeUnit.SECONDS);
            assertThat(c.next()).isEqualTo("grüße, €");

            byte[] big = new byte[16 << 20];
            new Random(3).nextBytes(big);
            int piece = 1 << 20;
            CompletableFuture<java.net.http.WebSocket> sent = null;
            for (int off = 0; off < big.length; off += piece) {
                sent = ws.sendBinary(ByteBuffer.wrap(big, off, piece), off + piece == big.length);
                sent.get(30, TimeUnit.SECONDS);
            }
            assertThat((byte[]) c.next()).isEqualTo(big);

            ws.sendClose(4001, "done").get(10, TimeUnit.SECONDS);
            assertThat(c.next()).isEqualTo("close:4001");
        }
    }
}
