package dev.porter.cli;

import dev.porter.core.AddressRange;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.HttpVersion;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.testing.Chromium;
import dev.porter.http.testing.PageReports;
import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket over HTTP/2 (RFC 8441 extended CONNECT) through {@code porter proxy}, a real process: Porter's
 * WebSocket client with h2c prior knowledge to {@code porter demo}'s {@code /ws} echo (text, binary, 1 MiB, Close
 * both ways), and headless Chromium loading a page through {@code porter proxy --tls} and opening its WebSocket on
 * that HTTP/2 connection; the backend echoes the {@code Via} the proxy sent, whose "2" says the client's side was
 * HTTP/2. Skipped without Chromium.
 */
class ProxyHttp2TunnelCommandTest {

    private static final String PAGE = PageReports.page("proxy h2 ws", """
            const ws = new WebSocket('wss://' + location.host + '/echo');
            const out = [performance.getEntriesByType('navigation')[0].nextHopProtocol];
            ws.onopen = () => ws.send('héllo h2');
            ws.onmessage = (e) => {
              out.push(e.data);
              if (out.length === 3) ws.close(1000, 'bye');
            };
            ws.onclose = (e) => {
              out.push('close=' + e.code + ',' + e.wasClean);
              report(out.join(';'));
            };
            """);

    @TempDir
    Path dir;

    @Test
    void porterClientOverH2cThroughThePorterProxyToTheDemo() throws Exception {
        try (PorterProcess demo = PorterProcess.start("demo", "-p", "0")) {
            int backend = demo.listeningPort("http");
            try (PorterProcess proxy = PorterProcess.start("proxy", "--to", "http://127.0.0.1:" + backend, "-p", "0");
                 HttpClient c = HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build())) {
                int port = proxy.listeningPort("http");
                ClientWebSocket closed;
                try (ClientWebSocket ws = c.websocket(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                    closed = ws;
                    assertThat(ws.request().version()).as("RFC 8441 on the proxy's HTTP/2").isEqualTo("HTTP/2");
                    ws.sendText("héllo");
                    assertThat(ws.receive()).isEqualTo(new WebSocket.Text("héllo"));
                    ws.sendBinary(new byte[]{0, 1, 2});
                    assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(new byte[]{0, 1, 2}));
                    byte[] big = new byte[1 << 20];
                    new Random(8441).nextBytes(big);
                    ws.sendBinary(big);
                    assertThat(ws.receive()).isEqualTo(new WebSocket.Binary(big));
                    ws.close(4000, "bye");
                    assertThat(ws.receive()).isNull();
                }
                assertThat(closed.serverCloseCode()).as("the demo's Close came back").isEqualTo(4000);
                assertThat(proxy.terminate()).isIn(0, 143);
            }
            demo.terminate();
        }
    }

    @Test
    void chromiumOpensItsWebSocketOverHttp2ThroughPorterProxyTls() throws Exception {
        String chromium = Chromium.require();
        PageReports reports = new PageReports();
        Router r = reports.routes(new Router(), PAGE)
                .websocket("/echo", ws -> {
                    ws.sendText("via " + ws.request().header("Via"));
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                });
        TestCertificates.Issued cert = TestCertificates.create(dir).server("localhost", "127.0.0.1");
        // The page's origin is https://127.0.0.1:PROXY; the backend trusts the proxy's Forwarded proto=https, so its
        // same-origin check (RFC 6455 §10.2) sees the scheme the browser used.
        try (HttpServer backend = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0)
                .trustedProxies(List.of(AddressRange.parse("127.0.0.1"))).build(), r);
             PorterProcess proxy = PorterProcess.start("proxy", "--to", "http://127.0.0.1:" + backend.port(), "-p", "0",
                     "--cert", cert.certificateFile().toString(), "--key", cert.keyFile().toString())) {
            int port = proxy.listeningPort("https");
            Processes.Result run = Chromium.dumpDom(chromium, dir, Duration.ofSeconds(90),
                    "https://127.0.0.1:" + port + "/page.html", "--ignore-certificate-errors");
            String expected = "h2;via 2 porter;héllo h2;close=1000,true";
            assertThat(reports.poll()).as(run + "\n--- proxy stderr\n" + proxy.stderr()).isEqualTo(expected);
            assertThat(run.stdout()).contains("<p id=\"result\">" + expected + "</p>");
            assertThat(proxy.terminate()).isIn(0, 143);
        }
    }
}
