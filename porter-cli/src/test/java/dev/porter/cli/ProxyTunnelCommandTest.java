package dev.porter.cli;

import dev.porter.core.testing.TestServers;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpVersion;
import dev.porter.http.WebSocket;
import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket through {@code porter proxy} to {@code porter demo}'s {@code /ws} echo, two real processes: Porter's
 * WebSocket client (text, binary, a 16 MiB message, ping, close code echoed back) with plain requests going
 * through the same proxy meanwhile; Python's websockets (python3-websockets) doing the same; and the demo refusing
 * a malformed handshake with 400, which the client sees as such.
 */
class ProxyTunnelCommandTest {

    private static final String PYTHON = """
            import asyncio, sys, websockets

            async def main(base):
                async with websockets.connect(base + "/ws", max_size=2**25) as ws:
                    await ws.send("héllo")
                    print("text", await ws.recv())
                    await ws.send(b"\\x00\\x01\\x02")
                    print("binary", (await ws.recv()) == b"\\x00\\x01\\x02")
                    big = bytes(range(256)) * 65536                      # 16 MiB
                    await ws.send(big)
                    print("big", (await ws.recv()) == big)
                    await (await ws.ping(b"hi"))
                    print("pong")
                    await ws.close(code=4000, reason="bye")
                    print("closed", ws.close_code)

            asyncio.run(main(sys.argv[1]))
            """;

    @TempDir
    Path dir;

    @Test
    void porterAndPythonClientsTalkToTheDemoThroughTheProxy() throws Exception {
        try (PorterProcess demo = PorterProcess.start("demo", "-p", "0")) {
            int backend = demo.listeningPort("http");
            try (PorterProcess proxy = PorterProcess.start("proxy", "--to", "http://127.0.0.1:" + backend, "-p", "0",
                    "--max-tunnels", "8", "--tunnel-idle-timeout", "30");
                 HttpClient c = HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_1_1).build())) {
                int port = proxy.listeningPort("http");
                ClientWebSocket closed;
                try (ClientWebSocket ws = c.websocket(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                    closed = ws;
                    ws.sendText("héllo");
                    assertThat(ws.receive()).isEqualTo(new WebSocket.Text("héllo"));
                    try (ClientResponse r = c.send(ClientRequest.get("http://127.0.0.1:" + port + "/plaintext"))) {
                        assertThat(r.bodyString()).isEqualTo("Hello, World!");
                    }
                    byte[] big = new byte[16 << 20];
                    new Random(5).nextBytes(big);
                    ws.sendBinary(big);
                    assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(big));
                    ws.ping("ping".getBytes(StandardCharsets.US_ASCII));
                    ws.sendText("after ping");
                    assertThat(ws.receive()).isEqualTo(new WebSocket.Text("after ping"));
                    ws.close(4000, "bye");
                }
                assertThat(closed.serverCloseCode()).isEqualTo(4000);

                Path python = Path.of("/usr/bin/python3");
                Assumptions.assumeTrue(Files.isExecutable(python)
                        && Processes.run(Duration.ofSeconds(30), python.toString(), "-c", "import websockets").exit() == 0,
                        "python3-websockets is not installed (.ci/run installs it)");
                Path script = dir.resolve("client.py");
                Files.writeString(script, PYTHON);
                Processes.Result r = Processes.run(Duration.ofSeconds(120), python.toString(), script.toString(),
                        "ws://127.0.0.1:" + port);
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.stdout().lines().toList()).containsExactly("text héllo", "binary True", "big True", "pong",
                        "closed 4000");
                assertThat(proxy.terminate()).isIn(0, 143);
            }
            demo.terminate();
        }
    }

    @Test
    void aHandshakeTheDemoRefusesReachesTheClientAs400() throws Exception {
        try (PorterProcess demo = PorterProcess.start("demo", "-p", "0")) {
            int backend = demo.listeningPort("http");
            try (PorterProcess proxy = PorterProcess.start("proxy", "--to", "http://127.0.0.1:" + backend, "-p", "0")) {
                int port = proxy.listeningPort("http");
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    // No Sec-WebSocket-Key: RFC 6455 §4.2.1 makes it a bad request.
                    s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = s.getInputStream();
                    assertThat(new String(in.readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 400");
                }
                assertThat(proxy.terminate()).isIn(0, 143);
            }
            demo.terminate();
        }
    }

    @Test
    void sendProxyGivesADemoWithProxyProtocolTheClientsAddress() {
        for (String version : new String[]{"v1", "v2"}) {
            int backend = TestServers.freePort();
            try (Backends.Node demo = Backends.Node.start(backend, "--proxy-protocol");
                 PorterProcess proxy = PorterProcess.start("proxy", "--to", "http://127.0.0.1:" + backend, "-p", "0",
                         "--send-proxy", version, "--health-path", "/plaintext", "--health-interval", "0.2")) {
                int port = proxy.listeningPort("http");
                assertThat(proxy.nextLine()).endsWith(", PROXY " + version + ")");
                // The client connects from 127.0.0.2; without the header the demo would log the proxy's 127.0.0.1.
                assertThat(Backends.get(port, "/plaintext", "")).startsWith("HTTP/1.1 200");
                String logged = demo.awaitLine(l -> l.contains("\"GET /plaintext HTTP/1.1\" 200") && !l.startsWith("127.0.0.1 "));
                assertThat(logged).as(version).startsWith(Backends.CLIENT + " ");
                assertThat(proxy.terminate()).isIn(0, 143);
            }
        }
    }

    @Test
    void theSendProxyOptionIsValidated() {
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--send-proxy", "v3").err()).contains("--send-proxy must be v1 or v2");
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--upstream-cacert", "/nonexistent/ca.pem").err())
                .contains("--upstream-cacert: cannot read /nonexistent/ca.pem");
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--upstream-cacert", "pom.xml").err())
                .contains("--upstream-cacert: no certificate in pom.xml");
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--upstream-cert", "pom.xml").err())
                .contains("--upstream-cert and --upstream-key go together");
        Cli.Result badKey = Cli.run("proxy", "--to", "http://127.0.0.1:1", "--upstream-cert", "pom.xml", "--upstream-key", "pom.xml");
        assertThat(badKey.exitCode()).isEqualTo(1);
        assertThat(badKey.err()).contains("pom.xml").doesNotContain("\tat ");
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--tunnel-idle-timeout", "0").exitCode()).isEqualTo(2);
        assertThat(Cli.run("proxy", "--to", "http://127.0.0.1:1", "--max-tunnels", "-1").exitCode()).isEqualTo(2);
    }
}
