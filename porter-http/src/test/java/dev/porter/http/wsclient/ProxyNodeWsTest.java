package dev.porter.http.wsclient;

import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyHandler;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node's {@code ws} server behind {@link ProxyHandler}, Porter's WebSocket client in front: the 101 carries Node's
 * accept key and extensions (permessage-deflate negotiated end to end, the proxy only relays bytes), echo of text,
 * binary and a 16 MiB message, Node's ping answered by the client, close codes both ways, Node cutting the
 * connection, and Node's 400 for a malformed handshake reaching the client. Skipped without node and npm.
 */
class ProxyNodeWsTest {

    private static final String SCRIPT = """
            const { WebSocketServer } = require('ws');
            const log = (s) => process.stdout.write(s + '\\n');
            const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
            wss.on('connection', (ws, req) => {
              const path = req.url;
              ws.on('close', (code, reason) => log('closed ' + path + ' ' + code + ' ' + reason));
              ws.on('pong', (data) => ws.send('pong ' + data.toString()));
              if (path === '/echo') ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
              else if (path.startsWith('/close/')) ws.close(Number(path.substring(7)), 'closing as asked');
              else if (path === '/terminate') { ws.send('going'); setTimeout(() => ws.terminate(), 50); }
              else if (path === '/ping') ws.ping('are you there');
              else if (path === '/via') ws.send(req.headers['via'] + '|' + req.headers['x-forwarded-for']);
            });
            wss.on('listening', () => log('listening ' + wss.address().port));
            """;

    private static NodeServer node;
    private static ProxyHandler handler;
    private static HttpServer proxy;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        node = NodeServer.start("ws-proxied.js", SCRIPT);
        int port = Integer.parseInt(node.firstLine().split(" ")[1]);
        handler = ProxyHandler.to("http://127.0.0.1:" + port);
        proxy = HttpServer.start(HttpConfig.builder().port(0).build(), handler);
        client = HttpClient.create();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (proxy != null) proxy.close();
        if (handler != null) handler.close();
        if (node != null) node.close();
    }

    private static URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + proxy.port() + path);
    }

    @Test
    void echoesTextBinaryAnd16MiBWithNodesDeflate() throws Exception {
        // Node deflates random bytes into a frame a little over 16 MiB: the client's limits leave room for that.
        WebSocketRequest req = WebSocketRequest.builder(uri("/echo"))
                .config(WebSocketConfig.defaults().withSizes(32 << 20, 32 << 20)).build();
        try (ClientWebSocket ws = client.websocket(req)) {
            assertThat(ws.extensions()).isEqualTo("permessage-deflate");
            ws.sendText("héllo, wörld ✓");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("héllo, wörld ✓"));
            byte[] big = new byte[16 << 20];
            new Random(13).nextBytes(big);
            ws.sendBinary(big);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(big));
        }
        assertThat(node.awaitLine("closed /echo ")).isEqualTo("closed /echo 1000 ");
    }

    @Test
    void theForwardedFieldsReachNode() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/via"))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("1.1 porter|127.0.0.1"));
        }
    }

    @Test
    void nodesPingIsAnsweredThroughTheTunnel() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/ping"))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("pong are you there"));
        }
    }

    @Test
    void closeCodesCrossBothWays() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/close/4003"))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(4003);
            assertThat(ws.closeReason()).isEqualTo("closing as asked");
        }
        assertThat(node.awaitLine("closed /close/4003")).isEqualTo("closed /close/4003 4003 ");
        try (ClientWebSocket ws = client.websocket(uri("/echo"))) {
            ws.close(4040, "client done");
            assertThat(ws.receive()).isNull();
        }
        assertThat(node.awaitLine("closed /echo 4040")).isEqualTo("closed /echo 4040 client done");
    }

    @Test
    void nodeCuttingTheConnectionEndsTheClients() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/terminate"))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("going"));
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1006); // no Close frame: the connection just ended (RFC 6455 §7.1.5)
        }
    }

    @Test
    void nodesRefusalReachesTheClientAs400() throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 400");
        }
    }
}
