package dev.porter.http.websocket;

import dev.porter.http.Http2Config;
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

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket over HTTP/2 (RFC 8441) against a real HTTP/2 client: Python's h2 library (Debian python3-h2) drives an
 * h2c connection with prior knowledge, sends the extended CONNECT and RFC 6455 frames in DATA, and prints what it
 * saw ({@code h2ws_client.py}). Skipped when the module is missing.
 */
class Rfc8441PythonTest {

    @TempDir
    static Path dir;
    private static HttpServer server;
    private static HttpServer withoutSetting;
    private static String python;
    private static Path script;
    private static final BlockingQueue<Integer> recorded = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        python = Tools.require("python3 with h2", "/usr/bin/python3");
        Tools.Result probe = Tools.run(dir, Duration.ofSeconds(30), List.of(python, "-c", "import h2"));
        Assumptions.assumeTrue(probe.exit() == 0, "python3-h2 is not installed (.ci/run installs it)");
        script = dir.resolve("h2ws_client.py");
        try (InputStream in = Rfc8441PythonTest.class.getResourceAsStream("h2ws_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Router r = new Router()
                .websocket("/echo", dev.porter.http.WebSocketOptions.defaults().subprotocols("chat", "superchat"), ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                })
                .websocket("/close", ws -> ws.close(4001, "bye"))
                .websocket("/record", ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                    recorded.add(ws.closeCode());
                })
                .get("/plain", (req, res) -> res.send("plain"));
        server = HttpServer.start(HttpConfig.builder()
                .websocket(WebSocketConfig.defaults().withSizes(2 << 20, 2 << 20)).build(), r);
        withoutSetting = HttpServer.start(HttpConfig.builder()
                .http2(Http2Config.defaults().withExtendedConnect(false)).build(), r);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (withoutSetting != null) withoutSetting.close();
    }

    private static List<String> run(HttpServer s, String scenario) throws Exception {
        Tools.Result r = Tools.run(dir, Duration.ofSeconds(60), List.of(python, script.toString(),
                Integer.toString(s.port()), scenario));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.stdout().lines().toList();
    }

    @Test
    void s3_settingAdvertised() throws Exception {
        assertThat(run(server, "settings")).containsExactly("enable_connect_protocol 1");
    }

    @Test
    void s3_settingNotSentWhenDisabled() throws Exception {
        assertThat(run(withoutSetting, "settings")).containsExactly("enable_connect_protocol 0");
    }

    /** §4: :protocol from a client that was not sent the setting makes the request malformed: PROTOCOL_ERROR (1). */
    @Test
    void s4_protocolWithoutSettingIsStreamError() throws Exception {
        assertThat(run(withoutSetting, "reset-without-setting")).containsExactly("reset 1 response None");
    }

    /** §4: :protocol only on CONNECT, and an extended CONNECT carries :path (and :scheme, :authority). */
    @Test
    void s4_protocolOnOtherMethodsOrWithoutPathIsStreamError() throws Exception {
        assertThat(run(server, "protocol-on-get")).containsExactly("reset 1", "no path: reset 1");
    }

    /**
     * §5: 200 without Sec-WebSocket-Accept or Upgrade; version, origin, sub-protocol and permessage-deflate as over
     * HTTP/1.1; another :protocol 501 (RFC 9220 §3 says so for HTTP/3); a path without a WebSocket endpoint never 2xx.
     */
    @Test
    void s5_versionOriginSubprotocolAndExtensionsAsOverHttp1() throws Exception {
        assertThat(run(server, "handshake")).containsExactly(
                "status 200 subprotocol chat accept None upgrade None",
                "deflate permessage-deflate",
                "foreign origin 403",
                "version 8 426 13",
                "other protocol 501",
                "no endpoint 501");
    }

    /** §5: the stream is the WebSocket's "TCP connection": frames in DATA, both ways; other streams unharmed. */
    @Test
    void s5_streamCarriesTheWebSocketWhileOtherStreamsGoOn() throws Exception {
        assertThat(run(server, "echo")).containsExactly(
                "status 200",
                "text 1 héllo",
                "binary 2 True",
                "fragmented 1 fragmented",
                "1 MiB 2 True",
                "get 200 plain",
                "pong 10 are you there",
                "close 8 1000",
                "server ended stream True reset None",
                "after 200");
    }

    /** §5: an orderly close is END_STREAM (TCP's FIN), after the Close frames. */
    @Test
    void s5_closeHandshakeEndsTheStream() throws Exception {
        assertThat(run(server, "server-close")).containsExactly("close 8 4001 bye", "server ended stream True reset None");
    }

    /** §5 keeps RFC 6455 as is: client frames must be masked (RFC 6455 §5.1), else 1002. */
    @Test
    void s5_clientFramesMustStillBeMasked() throws Exception {
        assertThat(run(server, "unmasked")).containsExactly("close 8 1002");
    }

    @Test
    void s5_messageSizeLimitApplies() throws Exception {
        assertThat(run(server, "too-big")).containsExactly("close 8 1009");
    }

    /** §5: RST_STREAM stands for a TCP reset: the handler sees an abnormal closure (1006); the connection goes on. */
    @Test
    void s5_rstStreamIsAnAbnormalClosure() throws Exception {
        recorded.clear();
        assertThat(run(server, "reset")).containsExactly("echo one", "get 200");
        assertThat(recorded.poll(10, TimeUnit.SECONDS)).isEqualTo(1006);
    }
}
