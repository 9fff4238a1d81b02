package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Python's {@code websockets} library (Debian's python3-websockets) as the client: echo with and without
 * permessage-deflate (and an offer of {@code server_max_window_bits=15}), a message it sends fragmented, close codes both ways, and Porter's 1009 for a message over
 * the limit. Skipped when the module is missing.
 */
class PythonWebSocketsTest {

    private static final String SCRIPT = """
            import asyncio, sys, websockets
            from websockets.exceptions import ConnectionClosed
            from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

            async def main(base):
                for compression in (None, "deflate"):
                    async with websockets.connect(base + "/echo", compression=compression, max_size=2**25) as ws:
                        ext = ws.response_headers.get("Sec-WebSocket-Extensions")
                        await ws.send("héllo")
                        print("echo", compression, ext, await ws.recv())
                        await ws.send(["frag", "ment", "ed"])           # one message in three frames
                        print("fragmented", await ws.recv())
                        big = bytes(range(256)) * 40000                   # 10 MB
                        await ws.send(big)
                        print("binary", (await ws.recv()) == big)
                        await ws.close(code=4000, reason="bye")
                        print("closed", ws.close_code)
                # An offer naming the window Porter keeps to (15): accepted, so answered with it (RFC 7692 §7.1.2.1).
                offer = ClientPerMessageDeflateFactory(server_max_window_bits=15)
                async with websockets.connect(base + "/echo", extensions=[offer], compression=None) as ws:
                    await ws.send("window " * 100)
                    print("window", ws.response_headers.get("Sec-WebSocket-Extensions"), (await ws.recv()) == "window " * 100)
                async with websockets.connect(base + "/close/3001") as ws:
                    try:
                        await ws.recv()
                    except ConnectionClosed as e:
                        print("server closed", e.rcvd.code, e.rcvd.reason)
                async with websockets.connect(base + "/throw") as ws:
                    try:
                        await ws.recv()
                    except ConnectionClosed as e:
                        print("handler threw", e.rcvd.code)
                async with websockets.connect(base + "/echo", max_size=None) as ws:
                    try:
                        await ws.send(b"x" * (2**24 + 1))
                        await ws.recv()
                    except ConnectionClosed as e:
                        print("too big", e.rcvd.code)

            asyncio.run(main(sys.argv[1]))
            """;

    @TempDir
    static Path dir;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        Router r = new Router()
                .websocket("/echo", ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                })
                .websocket("/close/{code}", ws -> ws.close(Integer.parseInt(ws.request().pathParam("code")), "as asked"))
                .websocket("/throw", ws -> {
                    throw new IllegalStateException("handler failure (expected by the test)");
                });
        server = HttpServer.start(HttpConfig.builder().websocket(WebSocketConfig.defaults()).build(), r);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void pythonWebsocketsTalksToPorter() throws Exception {
        String python = Tools.require("python3 with websockets", "/usr/bin/python3");
        Tools.Result probe = Tools.run(dir, Duration.ofSeconds(30), List.of(python, "-c", "import websockets"));
        Assumptions.assumeTrue(probe.exit() == 0, "python3-websockets is not installed (.ci/run installs it)");
        Path script = dir.resolve("client.py");
        Files.writeString(script, SCRIPT);
        Tools.Result r = Tools.run(dir, Duration.ofSeconds(120),
                List.of(python, script.toString(), "ws://127.0.0.1:" + server.port()));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout().lines().toList()).containsExactly(
                "echo None None héllo",
                "fragmented fragmented",
                "binary True",
                "closed 4000",
                "echo deflate permessage-deflate héllo",
                "fragmented fragmented",
                "binary True",
                "closed 4000",
                "window permessage-deflate; server_max_window_bits=15 True",
                "server closed 3001 as asked",
                "handler threw 1011",
                "too big 1009");
    }
}
