package dev.porter.http.wsclient;

import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node's {@code ws} package as the SERVER, Porter's client against it: echo (text, binary, 1 MiB, 200 messages
 * compressed back to back with context takeover both ways), messages the server fragments, permessage-deflate with
 * the server's parameters ({@code server_max_window_bits=10}, no context takeover either way), pings from the
 * server, and close codes both ways, each side reporting what it saw. Skipped without node and npm.
 */
class NodeWsServerTest {

    private static final String SCRIPT = """
            const { WebSocketServer } = require('ws');
            const log = (s) => process.stdout.write(s + '\\n');
            function serve(options) {
              const wss = new WebSocketServer(Object.assign({ port: 0, host: '127.0.0.1',
                  handleProtocols: (protocols) => protocols.has('chat.v1') ? 'chat.v1' : false }, options));
              wss.on('connection', (ws, req) => {
                const path = req.url;
                ws.on('close', (code, reason) => log('closed ' + path + ' ' + code + ' ' + reason));
                ws.on('pong', (data) => ws.send('pong ' + data.toString()));
                if (path === '/echo') {
                  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
                } else if (path === '/fragments') {
                  ws.send('frag', { fin: false }); ws.send('ment', { fin: false }); ws.send('ed', { fin: true });
                  ws.send(Buffer.from([1, 2]), { binary: true, fin: false }); ws.send(Buffer.from([3]), { binary: true, fin: true });
                } else if (path.startsWith('/close/')) {
                  ws.close(Number(path.substring(7)), 'closing as asked');
                } else if (path === '/terminate') {
                  ws.send('going'); setTimeout(() => ws.terminate(), 50);
                } else if (path === '/ping') {
                  ws.ping('are you there');
                } else if (path === '/big') {
                  ws.send(Buffer.alloc(2 << 20, 7));
                } else if (path === '/info') {
                  ws.send((ws.protocol || '-') + '|' + (ws.extensions || '-') + '|' + req.headers['x-token']);
                }
              });
              return new Promise((resolve) => wss.on('listening', () => resolve(wss.address().port)));
            }
            Promise.all([
              serve({ perMessageDeflate: { threshold: 0 } }),
              serve({ perMessageDeflate: { threshold: 0, serverMaxWindowBits: 10, serverNoContextTakeover: true,
                                           clientNoContextTakeover: true } }),
            ]).then((ports) => log('listening ' + ports.join(' ')));
            """;

    private static NodeServer node;
    private static HttpClient client;
    private static int port;
    private static int strictPort;

    @BeforeAll
    static void start() throws Exception {
        node = NodeServer.start("ws-server.js", SCRIPT);
        String[] ports = node.firstLine().split(" ");
        port = Integer.parseInt(ports[1]);
        strictPort = Integer.parseInt(ports[2]);
        client = HttpClient.create();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (node != null) node.close();
    }

    private static URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    @Test
    void echoesTextBinaryAndAMegabyteWithDeflateAndContextTakeover() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/echo"))) {
            assertThat(ws.extensions()).isEqualTo("permessage-deflate");
            for (int i = 0; i < 200; i++) ws.sendText("message " + i + " " + "abc".repeat(i));
            for (int i = 0; i < 200; i++) {
                assertThat(ws.receive()).isEqualTo(new WebSocket.Text("message " + i + " " + "abc".repeat(i)));
            }
            byte[] mega = new byte[1 << 20];
            new Random(11).nextBytes(mega);
            ws.sendBinary(mega);
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(mega));
            ws.sendText("héllo, wörld ✓");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("héllo, wörld ✓"));
        }
        assertThat(node.awaitLine("closed /echo ")).isEqualTo("closed /echo 1000 ");
    }

    @Test
    void rfc7692_theServersParametersAreHonoured() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + strictPort + "/echo");
        try (ClientWebSocket ws = client.websocket(uri)) {
            assertThat(ws.extensions()).contains("server_max_window_bits=10").contains("client_no_context_takeover")
                    .contains("server_no_context_takeover");
            for (int i = 0; i < 50; i++) {
                ws.sendText("the same text each time " + i % 3);
                assertThat(ws.receive()).isEqualTo(new WebSocket.Text("the same text each time " + i % 3));
            }
        }
    }

    @Test
    void s5_4_messagesTheServerFragmentsArriveWhole() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/fragments"))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("fragmented"));
            assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(new byte[]{1, 2, 3}));
        }
    }

    @Test
    void s7_4_theServersCloseCodeIsReported() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/close/4003"))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(4003);
            assertThat(ws.closeReason()).isEqualTo("closing as asked");
        }
        // Node reports the Close it received: the client's answer, echoing the code (§5.5.1) without a reason.
        assertThat(node.awaitLine("closed /close/4003")).isEqualTo("closed /close/4003 4003 ");
    }

    @Test
    void s7_4_theClientsCloseCodeReachesTheServer() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/echo"))) {
            ws.close(4040, "client done");
            assertThat(ws.receive()).isNull();
        }
        assertThat(node.awaitLine("closed /echo 4040")).isEqualTo("closed /echo 4040 client done");
    }

    @Test
    void s7_1_7_aServerThatDropsTheConnectionIs1006() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/terminate"))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("going"));
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1006);
        }
    }

    @Test
    void s5_5_2_theServersPingIsAnsweredWithItsPayload() throws Exception {
        try (ClientWebSocket ws = client.websocket(uri("/ping"))) {
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("pong are you there"));
        }
    }

    @Test
    void s7_4_1_aMessageOverTheLimitIsRefusedWith1009() throws Exception {
        WebSocketConfig small = WebSocketConfig.defaults().withSizes(1 << 20, 1 << 20);
        try (ClientWebSocket ws = client.websocket(WebSocketRequest.builder(uri("/big")).config(small).build())) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1009);
        }
        assertThat(node.awaitLine("closed /big")).startsWith("closed /big 1009");
    }

    @Test
    void subprotocolAndHeadersAreSeenByTheServer() throws IOException {
        WebSocketRequest req = WebSocketRequest.builder(uri("/info")).subprotocols("chat.v2", "chat.v1")
                .header("X-Token", "abc").deflate(false).build();
        try (ClientWebSocket ws = client.websocket(req)) {
            assertThat(ws.subprotocol()).isEqualTo("chat.v1");
            assertThat(ws.receive()).isEqualTo(new WebSocket.Text("chat.v1|-|abc"));
        }
    }
}
