package dev.porter.http.wsclient;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientResponse;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.Http2Config;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.HttpVersion;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketOptions;
import dev.porter.http.WebSocketRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Porter's WebSocket client against Porter's server over HTTP/2 (RFC 8441): h2c with prior knowledge and h2 over
 * TLS (ALPN), the fallback to an HTTP/1.1 upgrade when the server does not offer extended CONNECT, and other
 * streams of the same connection going on while a conversation is open.
 */
class Rfc8441ClientTest {

    @TempDir
    static Path dir;
    private static HttpServer server;
    private static HttpServer tls;
    private static HttpServer withoutSetting;
    private static HttpClient h2c;
    private static HttpClient h2;
    private static final LinkedBlockingQueue<Integer> serverCodes = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        Router r = new Router()
                .websocket("/echo", WebSocketOptions.defaults().subprotocols("chat.v1"), ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                    serverCodes.add(ws.closeCode());
                })
                .websocket("/version", ws -> ws.sendText(ws.request().version() + " " + ws.request().method()))
                .websocket("/bye", ws -> ws.close(4001, "bye now"))
                .get("/plain", (req, res) -> res.send("plain " + req.version()));
        server = HttpServer.start(HttpConfig.defaults(), r);
        withoutSetting = HttpServer.start(HttpConfig.builder().http2(Http2Config.defaults().withExtendedConnect(false)).build(), r);
        TestCertificates certs = TestCertificates.create(dir);
        tls = HttpServer.start(HttpConfig.builder().tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem())).build(), r);
        h2c = HttpClient.create(ClientConfig.builder().httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build());
        h2 = HttpClient.create(ClientConfig.builder().tls(ClientTls.defaults().withTrust(certs.trust())).build());
    }

    @AfterAll
    static void stop() {
        h2c.close();
        h2.close();
        server.close();
        tls.close();
        withoutSetting.close();
    }

    private static URI ws(HttpServer s, String path) {
        return URI.create((s == tls ? "wss" : "ws") + "://127.0.0.1:" + s.port() + path);
    }

    @Test
    void s4_clientSendsExtendedConnectOverH2c() throws Exception {
        try (ClientWebSocket ws = h2c.websocket(ws(server, "/version"))) {
            assertThat(ws.request().version()).isEqualTo("HTTP/2");
            assertThat(((WebSocket.Text) ws.receive()).text()).isEqualTo("HTTP/2.0 GET");
        }
    }

    @Test
    void s5_echoTextBinaryAndLargeMessagesOverH2WithTls() throws Exception {
        byte[] big = new byte[1 << 20];
        new Random(8441).nextBytes(big);
        try (ClientWebSocket ws = h2.websocket(WebSocketRequest.builder(ws(tls, "/echo")).subprotocols("chat.v1").build())) {
            assertThat(ws.request().version()).isEqualTo("HTTP/2");
            assertThat(ws.subprotocol()).isEqualTo("chat.v1");
            assertThat(ws.extensions()).startsWith("permessage-deflate");
            ws.sendText("héllo");
            assertThat(((WebSocket.Text) ws.receive()).text()).isEqualTo("héllo");
            ws.sendBinary(big);
            assertThat(((WebSocket.Binary) ws.receive()).data()).isEqualTo(big);
            ws.close(4000, "done");
            assertThat(ws.receive()).isNull();
            assertThat(ws.serverCloseCode()).isEqualTo(4000);
        }
        assertThat(serverCode(4000)).isEqualTo(4000);
    }

    /** @return {@code code} once the echo handler reported it (other tests' conversations report theirs too) */
    private static Integer serverCode(int code) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Integer c; (c = serverCodes.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
            if (c == code) return c;
        }
        return null;
    }

    @Test
    void s5_otherStreamsOfTheConnectionGoOn() throws Exception {
        long opened = h2c.stats().connectionsOpened();
        try (ClientWebSocket ws = h2c.websocket(WebSocketRequest.builder(ws(server, "/echo")).deflate(false).build())) {
            ws.sendText("first");
            try (ClientResponse res = h2c.get("http://127.0.0.1:" + server.port() + "/plain")) {
                assertThat(res.version()).isEqualTo("HTTP/2");
                assertThat(res.bodyString()).isEqualTo("plain HTTP/2.0");
            }
            assertThat(((WebSocket.Text) ws.receive()).text()).isEqualTo("first");
            assertThat(h2c.stats().connectionsOpened() - opened).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void s5_serverCloseEndsTheConversation() throws Exception {
        try (ClientWebSocket ws = h2c.websocket(ws(server, "/bye"))) {
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(4001);
            assertThat(ws.closeReason()).isEqualTo("bye now");
        }
    }

    @Test
    void s3_withoutTheSettingTheClientUpgradesOverHttp1() throws Exception {
        try (ClientWebSocket ws = h2c.websocket(ws(withoutSetting, "/version"))) {
            assertThat(ws.request().version()).isEqualTo("HTTP/1.1");
            assertThat(((WebSocket.Text) ws.receive()).text()).isEqualTo("HTTP/1.1 GET");
        }
    }

    @Test
    void s5_gracefulStopSays1001OverH2() throws Exception {
        HttpServer s = HttpServer.start(HttpConfig.defaults(), new Router().websocket("/echo", w -> {
            for (WebSocket.Message m; (m = w.receive()) != null; ) w.send(m);
        }));
        try (ClientWebSocket ws = h2c.websocket(ws(s, "/echo"))) {
            ws.sendText("x");
            assertThat(ws.receive()).isNotNull();
            Thread stopper = Thread.ofVirtual().start(() -> s.stop(Duration.ofSeconds(10)));
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1001);
            stopper.join(15_000);
        } finally {
            s.close();
        }
    }
}
