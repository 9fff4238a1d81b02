package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.testing.Chromium;
import dev.porter.http.testing.PageReports;
import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium runs a page served by Porter that opens a WebSocket to the same origin (Chromium offers
 * permessage-deflate), echoes a text and a 100 KB binary message, closes with 1000, and reports what it saw over a
 * second WebSocket ({@link PageReports} holds the page's load until then, for {@code --dump-dom}). Skipped without
 * Chromium.
 */
class ChromiumWebSocketTest {

    private static final String PAGE = PageReports.page("Porter WebSocket", """
            const base = 'ws://' + location.host;
            const ws = new WebSocket(base + '/echo');
            ws.binaryType = 'arraybuffer';
            const out = [];
            let n = 0;
            ws.onopen = () => {
              out.push('ext=' + ws.extensions);
              ws.send('héllo €');
              const b = new Uint8Array(100000);
              for (let i = 0; i < b.length; i++) b[i] = i & 255;
              ws.send(b);
            };
            ws.onmessage = (e) => {
              n++;
              if (typeof e.data === 'string') out.push('text=' + e.data);
              else {
                const v = new Uint8Array(e.data);
                let ok = v.length === 100000;
                for (let i = 0; ok && i < v.length; i++) ok = v[i] === (i & 255);
                out.push('binary=' + ok);
              }
              if (n === 2) ws.close(1000, 'bye');
            };
            ws.onclose = (e) => {
              out.push('close=' + e.code + ',' + e.wasClean);
              const text = out.join(';');
              document.getElementById('result').textContent = text;
              const report = new WebSocket(base + '/report');
              report.onopen = () => report.send(text);
            };
            """);

    @TempDir
    static Path dir;
    private static HttpServer server;
    private static final PageReports reports = new PageReports();

    @BeforeAll
    static void start() throws Exception {
        Router r = reports.routes(new Router(), PAGE)
                .websocket("/echo", ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                })
                .websocket("/report", ws -> {
                    WebSocket.Message m = ws.receive();
                    if (m instanceof WebSocket.Text t) reports.add(t.text());
                });
        server = HttpServer.start(HttpConfig.defaults(), r);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void aBrowserPageEchoesOverWebSocket() throws Exception {
        Processes.Result r = Chromium.dumpDom(Chromium.require(), dir, Duration.ofSeconds(90),
                "http://127.0.0.1:" + server.port() + "/page.html");
        // ws.extensions is the server's answer: Chromium offered "permessage-deflate; client_max_window_bits".
        String expected = "ext=permessage-deflate;text=héllo €;binary=true;close=1000,true";
        assertThat(reports.poll()).as(r.toString()).isEqualTo(expected);
        assertThat(r.stdout()).contains("<p id=\"result\">" + expected + "</p>");
    }
}
