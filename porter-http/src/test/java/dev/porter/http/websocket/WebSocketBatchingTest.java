package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.websocket.WsWire.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echoes of a burst leave together: a message the handler's thread sends while the peer's next frame is
 * already buffered is flushed with the following ones, before the conversation next waits for input — never
 * later — and sends from other threads are flushed at once.
 */
class WebSocketBatchingTest {

    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        Router r = new Router()
                .websocket("/echo", ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                })
                .websocket("/push", ws -> {
                    // On "go": another thread says "pushed" while this one waits in receive().
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) {
                        if (m.equals(new WebSocket.Text("go"))) {
                            Thread.ofVirtual().start(() -> {
                                try {
                                    ws.sendText("pushed");
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
                        } else {
                            ws.send(m);
                        }
                    }
                });
        server = HttpServer.start(HttpConfig.builder().websocket(WebSocketConfig.defaults().withDeflate(false)).build(), r);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] text(String s) {
        return WsWire.frame(true, 0, 1, s.getBytes(StandardCharsets.UTF_8), true);
    }

    @Test
    void sixteenFramesInOneWriteAreAllEchoedInOrder() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/echo")) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 16; i++) burst.writeBytes(text("message " + (char) ('a' + i)));
            ws.sendRaw(burst.toByteArray());

            // (That they leave in one flush is SessionFlushTest's: a socket does not show how it was written.)
            for (int i = 0; i < 16; i++) assertThat(ws.read().text()).isEqualTo("message " + (char) ('a' + i));
        }
    }

    @ParameterizedTest(name = "cut {0} bytes into the second frame")
    @ValueSource(ints = {1, 9})
    void anEchoOwedIsSentBeforeTheServerWaitsForTheRestOfTheNextFrame(int cut) throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/echo")) {
            byte[] second = text("second");
            byte[] first = text("first");
            // The first frame, then part of the next (inside its header, or inside its payload), in one write: the
            // echo of the first waits for nothing more from the client.
            byte[] start = Arrays.copyOf(first, first.length + cut);
            System.arraycopy(second, 0, start, first.length, cut);
            ws.sendRaw(start);
            assertThat(ws.read().text()).isEqualTo("first");

            ws.sendRaw(Arrays.copyOfRange(second, cut, second.length));
            assertThat(ws.read().text()).isEqualTo("second");
        }
    }

    @Test
    void aSendFromAnotherThreadIsDeliveredWhileTheHandlerWaitsInReceive() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/push")) {
            ws.sendText("go");
            Frame pushed = ws.read();
            assertThat(pushed.text()).isEqualTo("pushed");

            ws.sendText("still there");
            assertThat(ws.read().text()).isEqualTo("still there");
        }
    }

    @Test
    void aBurstEndingInACloseGetsItsEchoesThenTheClose() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/echo")) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.writeBytes(text("one"));
            burst.writeBytes(text("two"));
            burst.writeBytes(WsWire.frame(true, 0, 8, new byte[]{0x03, (byte) 0xe8}, true));
            ws.sendRaw(burst.toByteArray());

            assertThat(ws.read().text()).isEqualTo("one");
            assertThat(ws.read().text()).isEqualTo("two");
            Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(8);
            assertThat(close.closeCode()).isEqualTo(1000);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 249, 250, 251, 400, 1017, 1018, 1019, 1500, 20_000})
    void messagesOfEverySizeArriveWholeAfterAQuietWait(int size) throws Exception {
        // A quiet conversation's first read holds 1 KiB: longer frames, text or binary, come in two reads or more;
        // a whole frame is decoded where it lies in the input, a partial one through the message buffer.
        try (WsWire ws = WsWire.open(server.port(), "/echo")) {
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) bytes[i] = (byte) ('a' + i % 26);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            ws.sendRaw(text(text));
            assertThat(ws.read().text()).isEqualTo(text);
            Thread.sleep(50); // the server waits again, quiet
            ws.sendRaw(WsWire.frame(true, 0, 2, bytes, true));
            Frame binary = ws.read();
            assertThat(binary.opcode()).isEqualTo(2);
            assertThat(binary.payload()).isEqualTo(bytes);
        }
    }
}
