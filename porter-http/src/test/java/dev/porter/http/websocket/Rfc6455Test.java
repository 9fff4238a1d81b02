package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketOptions;
import dev.porter.http.websocket.WsWire.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6455 §5–§7 over a real socket, one test per MUST on the server's side, each named after its section: the
 * client is {@link WsWire}, which sends exactly the (possibly illegal) frames a test asks for. The handshake's
 * MUSTs (§4) are in {@link Rfc6455HandshakeTest}.
 */
class Rfc6455Test {

    static final int LIMIT = 64 * 1024;
    private static HttpServer server;
    /** What the /record handler saw when its conversation ended: "closeCode" */
    private static final BlockingQueue<String> ended = new ArrayBlockingQueue<>(16);

    @BeforeAll
    static void start() throws IOException {
        Router r = new Router()
                .websocket("/echo", ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                })
                .websocket("/return", ws -> ws.sendText("bye"))
                .websocket("/throw", ws -> {
                    throw new IllegalStateException("handler failure (expected by the test)");
                })
                .websocket("/record", ws -> {
                    while (ws.receive() != null) {
                        // read until the end
                    }
                    ended.add(String.valueOf(ws.closeCode()));
                });
        server = HttpServer.start(HttpConfig.builder().websocket(WebSocketConfig.defaults().withSizes(LIMIT, LIMIT)
                .withDeflate(false)).build(), r);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsWire open(String path) throws IOException {
        return WsWire.open(server.port(), path);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The server must answer with a Close of {@code code}, then end the connection. */
    private static void closesWith(WsWire ws, int code) throws IOException {
        Frame close = ws.readClose();
        assertThat(close).as("a Close frame").isNotNull();
        assertThat(close.closeCode()).isEqualTo(code);
        assertThat(ws.endsWithoutMore()).as("the server closes TCP after its Close").isTrue();
    }

    // ---- §5.1 / §5.3 masking --------------------------------------------------------------------------------

    @Test
    void s5_1_clientFramesMustBeMasked() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.sendRaw(WsWire.frame(true, 0, 1, utf8("unmasked"), false));
            closesWith(ws, 1002);
        }
    }

    @Test
    void s5_1_serverFramesAreNeverMasked() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.sendText("Hello");
            Frame f = ws.read();
            assertThat(f.masked()).isFalse();
            assertThat(f.fin()).isTrue();
            assertThat(f.text()).isEqualTo("Hello");
        }
    }

    // ---- §5.2 base framing ------------------------------------------------------------------------------------

    @Test
    void s5_2_rsvBitsWithoutANegotiatedExtensionFail() throws IOException {
        for (int rsv : new int[]{4, 2, 1}) {
            try (WsWire ws = open("/echo")) {
                ws.send(true, rsv, 1, utf8("x"));
                closesWith(ws, 1002);
            }
        }
    }

    @Test
    void s5_2_reservedOpcodesFail() throws IOException {
        for (int op : new int[]{3, 7, 0xb, 0xf}) {
            try (WsWire ws = open("/echo")) {
                ws.send(true, op, new byte[0]);
                closesWith(ws, 1002);
            }
        }
    }

    @Test
    void s5_2_a64BitLengthWithItsHighBitSetFails() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.sendRaw(new byte[]{(byte) 0x82, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4});
            closesWith(ws, 1002);
        }
    }

    // ---- §5.4 fragmentation -----------------------------------------------------------------------------------

    @Test
    void s5_4_fragmentsAreJoinedInOrder() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(false, 1, utf8("Hel"));
            ws.send(false, 0, utf8("l"));
            ws.send(true, 0, utf8("o"));
            assertThat(ws.read().text()).isEqualTo("Hello");
        }
    }

    @Test
    void s5_4_controlFramesMayBeInjectedBetweenFragments() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(false, 2, new byte[]{1});
            ws.send(true, 9, utf8("in between"));
            ws.send(true, 0, new byte[]{2});
            Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(10);
            assertThat(pong.text()).isEqualTo("in between");
            Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(2);
            assertThat(echo.payload()).containsExactly(1, 2);
        }
    }

    @Test
    void s5_4_continuationWithoutAStartFails() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(true, 0, utf8("orphan"));
            closesWith(ws, 1002);
        }
    }

    @Test
    void s5_4_aNewDataFrameInsideAFragmentedMessageFails() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(false, 1, utf8("first"));
            ws.send(true, 1, utf8("second"));
            closesWith(ws, 1002);
        }
    }

    // ---- §5.5 control frames -----------------------------------------------------------------------------------

    @Test
    void s5_5_controlFramesMustNotBeFragmented() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(false, 9, utf8("ping"));
            closesWith(ws, 1002);
        }
    }

    @Test
    void s5_5_controlFramesCarryAtMost125Bytes() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(true, 9, new byte[126]);
            closesWith(ws, 1002);
        }
    }

    @Test
    void s5_5_2_pingIsAnsweredWithAPongOfTheSamePayload() throws IOException {
        try (WsWire ws = open("/echo")) {
            byte[] payload = new byte[125];
            for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 7);
            ws.send(true, 9, payload);
            Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(10);
            assertThat(pong.payload()).isEqualTo(payload);
        }
    }

    @Test
    void s5_5_3_anUnsolicitedPongIsIgnored() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(true, 10, utf8("heartbeat"));
            ws.sendText("after");
            assertThat(ws.read().text()).isEqualTo("after");
        }
    }

    // ---- §5.5.1 / §7 closing ------------------------------------------------------------------------------------

    @Test
    void s5_5_1_aCloseIsAnsweredWithACloseThenTheServerClosesTcp() throws IOException {
        try (WsWire ws = open("/record")) {
            ws.send(true, 8, new byte[]{0x0f, (byte) 0xa0, 'b', 'y', 'e'}); // 4000 "bye"
            closesWith(ws, 4000);
        }
        assertThat(poll()).isEqualTo("4000");
    }

    @Test
    void s5_5_1_anEmptyCloseIsAnsweredWithAnEmptyClose() throws IOException {
        try (WsWire ws = open("/record")) {
            ws.sendClose(1005);
            Frame close = ws.readClose();
            assertThat(close.payload()).isEmpty();
            assertThat(ws.endsWithoutMore()).isTrue();
        }
        assertThat(poll()).isEqualTo("1005");
    }

    @Test
    void s5_5_1_noDataFramesAfterTheClose() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.sendText("one");
            ws.sendClose(1000);
            ws.sendText("after close: must not be echoed");
            assertThat(ws.read().text()).isEqualTo("one");
            Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(8);
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(ws.endsWithoutMore()).isTrue();
        }
    }

    @Test
    void s7_4_1_invalidCloseCodesFail() throws IOException {
        for (int code : new int[]{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            try (WsWire ws = open("/echo")) {
                ws.send(true, 8, new byte[]{(byte) (code >> 8), (byte) code});
                Frame close = ws.readClose();
                assertThat(close.closeCode()).as("answer to close code %d", code).isEqualTo(1002);
                assertThat(ws.endsWithoutMore()).isTrue();
            }
        }
    }

    @Test
    void s5_5_1_aOneByteClosePayloadFails() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(true, 8, new byte[]{3});
            closesWith(ws, 1002);
        }
    }

    @Test
    void s7_1_6_aHandlerThatReturnsClosesWith1000() throws IOException {
        try (WsWire ws = open("/return")) {
            assertThat(ws.read().text()).isEqualTo("bye");
            Frame close = ws.read();
            assertThat(close.closeCode()).isEqualTo(1000);
            ws.sendClose(1000);
            assertThat(ws.endsWithoutMore()).isTrue();
        }
    }

    @Test
    void s7_4_1_aHandlerThatThrowsClosesWith1011() throws IOException {
        try (WsWire ws = open("/throw")) {
            Frame close = ws.read();
            assertThat(close.closeCode()).isEqualTo(1011);
            ws.sendClose(1011);
            assertThat(ws.endsWithoutMore()).isTrue();
        }
    }

    // ---- §8.1 UTF-8 and §7.4.1 1009 ----------------------------------------------------------------------------

    @Test
    void s8_1_invalidUtf8TextFailsWith1007() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(true, 1, new byte[]{'a', (byte) 0xc0, (byte) 0xaf});
            closesWith(ws, 1007);
        }
    }

    @Test
    void s8_1_invalidUtf8SplitAcrossFragmentsFailsWith1007() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(false, 1, new byte[]{(byte) 0xed}); // a surrogate begins ...
            ws.send(true, 0, new byte[]{(byte) 0xa0, (byte) 0x80});
            closesWith(ws, 1007);
        }
        try (WsWire ws = open("/echo")) { // ... while a valid character may be split anywhere
            ws.send(false, 1, new byte[]{(byte) 0xf0, (byte) 0x9d});
            ws.send(true, 0, new byte[]{(byte) 0x84, (byte) 0x9e});
            assertThat(ws.read().text()).isEqualTo("\ud834\udd1e");
        }
    }

    @Test
    void s8_1_aCloseReasonMustBeUtf8() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(true, 8, new byte[]{0x03, (byte) 0xe8, (byte) 0xff});
            closesWith(ws, 1007);
        }
    }

    @Test
    void s7_4_1_aMessageOverTheLimitFailsWith1009() throws IOException {
        try (WsWire ws = open("/echo")) {
            ws.send(false, 2, new byte[LIMIT / 2]);
            ws.send(true, 0, new byte[LIMIT / 2 + 1]);
            closesWith(ws, 1009);
        }
        try (WsWire ws = open("/echo")) { // exactly the limit passes
            ws.send(false, 2, new byte[LIMIT / 2]);
            ws.send(true, 0, new byte[LIMIT / 2]);
            assertThat(ws.read().payload()).hasSize(LIMIT);
        }
    }

    @Test
    void s7_4_1_aFrameOverTheLimitFailsWith1009BeforeItsPayload() throws IOException {
        try (WsWire ws = open("/echo")) {
            // Only the header: the server must not wait for 4 GiB of payload to refuse it.
            ws.sendRaw(new byte[]{(byte) 0x82, (byte) 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4});
            closesWith(ws, 1009);
        }
    }

    private static String poll() {
        try {
            return ended.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
