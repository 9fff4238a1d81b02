package dev.porter.http.websocket;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
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
 * Headless Chromium and RFC 8441: a page loaded over h2 (TLS, ALPN) from a Porter server that advertises
 * SETTINGS_ENABLE_CONNECT_PROTOCOL opens a WebSocket to the same origin; Chromium then sends an extended CONNECT
 * on the page's HTTP/2 connection (no flag needed: it is on by default). The endpoint tells the page which HTTP
 * version carried it, and the page reports what it saw, as in {@link ChromiumWebSocketTest}. Skipped without
 * Chromium.
 */
class ChromiumRfc8441Test {

    private static final String PAGE = PageReports.page("Porter RFC 8441", """
            const ws = new WebSocket('wss://' + location.host + '/echo');
            const out = [];
            ws.onopen = () => ws.send('héllo h2');
            ws.onmessage = (e) => {
              out.push(e.data);
              if (out.length === 2) ws.close(1000, 'bye');
            };
            ws.onclose = (e) => {
              out.push('close=' + e.code + ',' + e.wasClean);
              report(out.join(';'));
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
                    ws.sendText(ws.request().version());
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                });
        TestCertificates certs = TestCertificates.create(dir);
        server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0)
                .tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem())).build(), r);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void s5_chromiumOpensItsWebSocketOnThePagesHttp2Connection() throws Exception {
        Processes.Result r = Chromium.dumpDom(Chromium.require(), dir, Duration.ofSeconds(90),
                "https://127.0.0.1:" + server.port() + "/page.html", "--ignore-certificate-errors");
        String expected = "HTTP/2.0;héllo h2;close=1000,true";
        assertThat(reports.poll()).as(r.toString()).isEqualTo(expected);
        assertThat(r.stdout()).contains("<p id=\"result\">" + expected + "</p>");
    }
}
