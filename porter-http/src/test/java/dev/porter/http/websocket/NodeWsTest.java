package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node's {@code ws} package as the client, with permessage-deflate on for every message (threshold 0) and context
 * takeover both ways: text and binary echo, 200 messages back to back (each compressed with the history of the
 * ones before, so a context out of step would garble them), a message sent in fragments, and the close code.
 * {@code ws} is installed with npm into {@code target/node} once (kept between runs); skipped without npm.
 */
class NodeWsTest {

    private static final String SCRIPT = """
            const WebSocket = require('ws');
            const url = process.argv[2];
            const ws = new WebSocket(url, { perMessageDeflate: { threshold: 0 } });
            const lines = [];
            const expected = [];
            ws.on('open', () => {
              lines.push('extensions ' + ws.extensions);
              ws.send('héllo'); expected.push('héllo');
              for (let i = 0; i < 200; i++) { const m = 'message ' + i + ' ' + 'abc'.repeat(i); ws.send(m); expected.push(m); }
              const big = Buffer.alloc(1 << 20); for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
              ws.send(big); expected.push(big);
              ws.send('frag', { fin: false }); ws.send('ment', { fin: false }); ws.send('ed', { fin: true }); expected.push('fragmented');
            });
            let n = 0, ok = 0;
            ws.on('message', (data, isBinary) => {
              const want = expected[n++];
              const same = isBinary ? Buffer.isBuffer(want) && want.equals(data) : data.toString() === want;
              if (same) ok++; else lines.push('mismatch at ' + (n - 1));
              if (n === expected.length) { lines.push('echoed ' + ok + ' of ' + n); ws.close(4002, 'done'); }
            });
            ws.on('close', (code) => { lines.push('closed ' + code); console.log(lines.join('\\n')); });
            ws.on('error', (e) => { console.log('error ' + e.message); process.exit(2); });
            """;

    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.start(HttpConfig.defaults(), new Router().websocket("/echo", ws -> {
            for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
        }));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** @return the folder holding node_modules/ws, installing it there on first use */
    static Path nodeModules() throws Exception {
        String npm = Tools.require("npm", "npm");
        Path dir = Path.of("target", "node").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules/ws"))) {
            Files.createDirectories(dir);
            Tools.Result r = Tools.run(dir, Duration.ofMinutes(3),
                    List.of(npm, "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), "ws@8"));
            Assumptions.assumeTrue(r.exit() == 0, "npm could not install ws: " + r);
        }
        return dir;
    }

    @Test
    void nodeWsEchoesWithPermessageDeflate() throws Exception {
        String node = Tools.require("node", "node");
        Path dir = nodeModules();
        Path script = dir.resolve("echo-client.js");
        Files.writeString(script, SCRIPT);
        Tools.Result r = Tools.run(dir, Duration.ofSeconds(60),
                List.of(node, script.toString(), "ws://127.0.0.1:" + server.port() + "/echo"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout().lines().toList()).as(r.toString()).containsExactly(
                "extensions permessage-deflate", "echoed 203 of 203", "closed 4002");
    }
}
