package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6455 §4 (the opening handshake) and §9.1/RFC 7692 negotiation, over a real socket. */
class Rfc6455HandshakeTest {

    private static HttpServer server;
    private static HttpServer noDeflate;

    @BeforeAll
    static void start() throws IOException {
        Router r = new Router()
                .websocket("/echo", ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                })
                .websocket("/chat/{room}", WebSocketOptions.defaults().subprotocols("chat.v2", "chat.v1")
                        .origins("https://example.com"), ws -> {
                    WebSocket.Message m = ws.receive();
                    ws.sendText(ws.subprotocol() + "|" + ws.request().pathParam("room") + "|"
                            + ws.request().query("who") + "|" + ws.request().header("X-Test") + "|"
                            + ((WebSocket.Text) m).text());
                })
                .websocket("/open", WebSocketOptions.defaults().anyOrigin(), ws -> ws.sendText("open"));
        server = HttpServer.start(HttpConfig.defaults(), r);
        noDeflate = HttpServer.start(HttpConfig.builder().websocket(WebSocketConfig.defaults().withDeflate(false)).build(), r);
    }

    @AfterAll
    static void stop() {
        server.close();
        noDeflate.close();
    }

    private static String request(String path, String... fields) throws IOException {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n");
        for (String f : fields) b.append(f).append("\r\n");
        return WsWire.exchange(server.port(), b.append("\r\n").toString());
    }

    private static final String[] VALID = {"Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: " + WsWire.KEY, "Sec-WebSocket-Version: 13"};

    private static String[] without(String prefix, String... add) {
        java.util.List<String> l = new java.util.ArrayList<>();
        for (String f : VALID) if (!f.startsWith(prefix)) l.add(f);
        l.addAll(java.util.List.of(add));
        return l.toArray(String[]::new);
    }

    @Test
    void s4_2_2_theAcceptKeyIsTheHashOfTheClientsKey() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/echo")) {
            assertThat(ws.head).startsWith("HTTP/1.1 101 ");
            assertThat(ws.field("Sec-WebSocket-Accept")).isEqualTo(WsWire.ACCEPT);
            assertThat(ws.field("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(ws.field("Connection")).isEqualToIgnoringCase("Upgrade");
            assertThat(ws.field("Content-Length")).isNull();
            ws.sendText("still speaking");
            assertThat(ws.read().text()).isEqualTo("still speaking");
        }
    }

    @Test
    void s4_2_1_aPlainGetIsAnswered426() throws IOException {
        String head = request("/echo");
        assertThat(head).startsWith("HTTP/1.1 426 ").containsIgnoringCase("Upgrade: websocket")
                .contains("Sec-WebSocket-Version: 13");
    }

    @Test
    void s4_2_1_aHandshakeMustBeAGetOfHttp11() throws IOException {
        assertThat(WsWire.exchange(server.port(), "GET /echo HTTP/1.0\r\nHost: x\r\n" + String.join("\r\n", VALID)
                + "\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(WsWire.exchange(server.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                + String.join("\r\n", VALID) + "\r\n\r\n")).startsWith("HTTP/1.1 405 ");
    }

    @Test
    void s4_2_1_connectionMustNameUpgrade() throws IOException {
        assertThat(request("/echo", without("Connection", "Connection: keep-alive"))).startsWith("HTTP/1.1 400 ");
        assertThat(request("/echo", without("Connection", "Connection: keep-alive, Upgrade"))).startsWith("HTTP/1.1 101 ");
    }

    @Test
    void s4_2_1_theKeyMustBeBase64Of16Bytes() throws IOException {
        assertThat(request("/echo", without("Sec-WebSocket-Key"))).startsWith("HTTP/1.1 400 ");
        assertThat(request("/echo", without("Sec-WebSocket-Key", "Sec-WebSocket-Key: c2hvcnQ="))).startsWith("HTTP/1.1 400 ");
        assertThat(request("/echo", without("Sec-WebSocket-Key", "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!=="))).startsWith("HTTP/1.1 400 ");
        assertThat(request("/echo", without("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + WsWire.KEY,
                "Sec-WebSocket-Key: " + WsWire.KEY))).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void s4_4_anotherVersionIsAnswered426WithTheVersionSpoken() throws IOException {
        String head = request("/echo", without("Sec-WebSocket-Version", "Sec-WebSocket-Version: 8"));
        assertThat(head).startsWith("HTTP/1.1 426 ").contains("Sec-WebSocket-Version: 13");
        assertThat(request("/echo", without("Sec-WebSocket-Version"))).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void s10_2_aForeignOriginIsRefused403() throws IOException {
        assertThat(request("/echo", without("", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + WsWire.KEY, "Sec-WebSocket-Version: 13", "Origin: https://evil.example")))
                .startsWith("HTTP/1.1 403 ");
        // The same origin (scheme and Host) is allowed by default.
        assertThat(request("/echo", without("", VALID[0], VALID[1], VALID[2], VALID[3],
                "Origin: http://127.0.0.1:" + server.port()))).startsWith("HTTP/1.1 101 ");
        // A listed origin is allowed; the same origin is then not.
        assertThat(request("/chat/a", without("", VALID[0], VALID[1], VALID[2], VALID[3],
                "Origin: https://EXAMPLE.com"))).startsWith("HTTP/1.1 101 ");
        assertThat(request("/chat/a", without("", VALID[0], VALID[1], VALID[2], VALID[3],
                "Origin: http://127.0.0.1:" + server.port()))).startsWith("HTTP/1.1 403 ");
        assertThat(request("/open", without("", VALID[0], VALID[1], VALID[2], VALID[3],
                "Origin: https://anywhere.example"))).startsWith("HTTP/1.1 101 ");
    }

    @Test
    void s4_2_2_theServersPreferredSubprotocolTheClientOffersIsChosen() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/chat/lobby?who=ann", "Sec-WebSocket-Protocol: chat.v1, chat.v2",
                "X-Test: 42")) {
            assertThat(ws.field("Sec-WebSocket-Protocol")).isEqualTo("chat.v2");
            ws.sendText("hi");
            assertThat(ws.read().text()).isEqualTo("chat.v2|lobby|ann|42|hi");
        }
        try (WsWire ws = WsWire.open(server.port(), "/chat/x", "Sec-WebSocket-Protocol: other")) {
            assertThat(ws.field("Sec-WebSocket-Protocol")).as("none in common: none chosen").isNull();
        }
    }

    @Test
    void rfc7692_s7_permessageDeflateIsAgreedWhenOfferedAndEnabled() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/echo",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
            assertThat(ws.field("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
            // RFC 7692 §7.2.3.1's "Hello", masked: the echo comes back compressed (RSV1) and inflates to the same.
            ws.send(true, 4, 1, new byte[]{(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00});
            WsWire.Frame f = ws.read();
            assertThat(f.rsv()).isEqualTo(4);
            assertThat(f.payload()).containsExactly(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00);
        }
        try (WsWire ws = WsWire.open(server.port(), "/echo",
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10")) {
            assertThat(ws.field("Sec-WebSocket-Extensions")).as("a smaller server window is declined").isNull();
        }
        try (WsWire ws = WsWire.open(noDeflate.port(), "/echo", "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(ws.field("Sec-WebSocket-Extensions")).as("disabled in the config").isNull();
            ws.send(true, 4, 1, new byte[]{0x00});
            assertThat(ws.readClose().closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void s4_2_bytesSentRightAfterTheHandshakeAreNotLost() throws IOException {
        String req = "GET /echo HTTP/1.1\r\nHost: x\r\n" + String.join("\r\n", VALID) + "\r\n\r\n";
        try (java.net.Socket s = WsWire.socket(server.port())) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            b.writeBytes(WsWire.frame(true, 0, 1, "early".getBytes(), true));
            s.getOutputStream().write(b.toByteArray());
            java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            assertThat(WsWire.readHead(in)).startsWith("HTTP/1.1 101 ");
            assertThat(in.readNBytes(7)).containsExactly(0x81, 5, 'e', 'a', 'r', 'l', 'y');
        }
    }
}
