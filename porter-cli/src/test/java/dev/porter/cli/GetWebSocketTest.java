package dev.porter.cli;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.examples.DemoApp;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code porter get ws://…} and {@code wss://…} in-process: stdin lines become messages, messages become stdout
 * lines (binary as hex or raw), headers and sub-protocols reach the server, and every way a conversation can end
 * has its exit code and one line on stderr.
 */
class GetWebSocketTest {

    @TempDir
    static Path dir;
    static TestCertificates ca;
    static HttpServer server;
    static HttpServer tls;

    @BeforeAll
    static void start() throws java.io.IOException {
        Router router = DemoApp.router()
                .websocket("/info", WebSocketOptions.defaults().subprotocols("chat.v1"), ws ->
                        ws.sendText(ws.subprotocol() + " " + ws.request().header("X-Token")))
                .websocket("/refuse", ws -> ws.close(4003, "not today"))
                .websocket("/silent", ws -> {
                    while (ws.receive() != null) {
                        // reads, never answers
                    }
                })
                .websocket("/talk", ws -> {
                    ws.sendText("one");
                    ws.sendBinary(new byte[]{(byte) 0xca, (byte) 0xfe});
                    ws.close(1000, "");
                    ws.receive();
                });
        server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), router);
        ca = TestCertificates.create(dir);
        tls = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0)
                .tls(TlsConfig.of(ca.server("localhost", "127.0.0.1").pem())).build(), router);
    }

    @AfterAll
    static void stop() {
        server.close();
        tls.close();
    }

    record Run(int code, String out, String err) {
    }

    static Run get(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            var in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
            int code = new CommandLine(new GetCommand(in, o, e, false)).setExpandAtFiles(false).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static String ws(String path) {
        return "ws://127.0.0.1:" + server.port() + path;
    }

    @Test
    void eachStdinLineIsSentAndEachEchoPrintedOnItsLine() {
        Run r = get("hello\nwörld ✓\r\n\nlast line without newline", ws("/ws"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hello\nwörld ✓\n\nlast line without newline\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void binaryLinesComeBackAsHexOrRaw() {
        Run hex = get("hi\n", "--binary", "--linger", "0.2", ws("/ws"));
        assertThat(hex.out()).isEqualTo("6869\n");
        Run raw = get("hi\n", "--binary", "--raw", ws("/ws"));
        assertThat(raw.out()).isEqualTo("hi\n");
    }

    @Test
    void aServerThatClosesFirstNormallyEndsWithExitZero() {
        Run r = get("", "--linger", "0", ws("/talk"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("one\ncafe\n");
    }

    @Test
    void headersAndSubprotocolsReachTheServer() {
        Run r = get("", "-H", "X-Token: abc", "--subprotocol", "other", "--subprotocol", "chat.v1", "-v", ws("/info"));
        assertThat(r.out()).isEqualTo("chat.v1 abc\n");
        assertThat(r.err()).contains("> GET /info HTTP/1.1", "> Sec-WebSocket-Protocol: other, chat.v1", "> X-Token: abc",
                "< HTTP/1.1 101 ", "* WebSocket open over HTTP/1.1 (upgrade), sub-protocol chat.v1, permessage-deflate", "* WebSocket closed: 1000");
    }

    @Test
    void verboseShowsTheAgreedCompression() {
        Run r = get("x\n", "-v", "--linger", "0.1", ws("/ws"));
        assertThat(r.err()).contains("* WebSocket open over HTTP/1.1 (upgrade), permessage-deflate");
        Run off = get("x\n", "-v", "--no-deflate", "--linger", "0.1", ws("/ws"));
        assertThat(off.err()).contains("* WebSocket open over HTTP/1.1 (upgrade), no compression").doesNotContain("Sec-WebSocket-Extensions");
    }

    @Test
    void anErrorCloseFromTheServerIsExit22WithItsCodeAndReason() {
        Run r = get("", ws("/refuse"));
        assertThat(r.code()).isEqualTo(22);
        assertThat(r.err()).isEqualTo("porter get: the server closed the conversation with 4003: not today\n");
    }

    @Test
    void aRefusedHandshakeIsExit22WithTheStatus() {
        Run r = get("", ws("/nowhere"));
        assertThat(r.code()).isEqualTo(22);
        assertThat(r.err()).startsWith("porter get: WebSocket handshake failed: the server answered 404 ").endsWith("\n")
                .hasLineCount(1);
    }

    @Test
    void maxTimeClosesTheConversationWithExit28() {
        Run r = get("", "-m", "0.5", "--linger", "100", ws("/silent"));
        assertThat(r.code()).isEqualTo(28);
        assertThat(r.err()).contains("--max-time");
    }

    @Test
    void aRefusedConnectionIsExit7() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = get("", "ws://127.0.0.1:" + port + "/ws");
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.err()).hasLineCount(1);
    }

    @Test
    void wssTrustsByCacertOrNotAtAll() {
        String url = "wss://localhost:" + tls.port() + "/ws";
        Run trusted = get("secure\n", "--cacert", ca.caFile().toString(), url);
        assertThat(trusted.code()).as(trusted.err()).isZero();
        assertThat(trusted.out()).isEqualTo("secure\n");
        assertThat(get("insecure\n", "-k", url).out()).isEqualTo("insecure\n");
        Run untrusted = get("x\n", url);
        assertThat(untrusted.code()).isEqualTo(60);
        assertThat(untrusted.err()).contains("SSL certificate problem").hasLineCount(1);
    }

    /** RFC 8441: with --http2, ws:// goes over h2c (prior knowledge) as an extended CONNECT; wss:// over h2 by ALPN. */
    @Test
    void http2CarriesTheConversationAsAnExtendedConnect() {
        Run r = get("over h2\n", "-v", "--http2", "--linger", "0.2", ws("/ws"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("over h2\n");
        assertThat(r.err()).contains("> CONNECT /ws HTTP/2", "> :protocol: websocket", "< HTTP/2 200",
                "* WebSocket open over HTTP/2 (RFC 8441 extended CONNECT)");
        Run secure = get("secure h2\n", "-v", "--linger", "0.2", "--cacert", ca.caFile().toString(),
                "wss://localhost:" + tls.port() + "/ws");
        assertThat(secure.out()).isEqualTo("secure h2\n");
        assertThat(secure.err()).contains("* WebSocket open over HTTP/2 (RFC 8441 extended CONNECT)");
        Run http1 = get("h1\n", "-v", "--http1.1", "--linger", "0.2", "--cacert", ca.caFile().toString(),
                "wss://localhost:" + tls.port() + "/ws");
        assertThat(http1.err()).contains("* WebSocket open over HTTP/1.1 (upgrade)");
    }

    @Test
    void httpOnlyOptionsAreUsageErrorsForWebSocketsAndTheOtherWayRound() {
        Run d = get("", "-d", "x", ws("/ws"));
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).isEqualTo("porter get: -d does not apply to a WebSocket (ws://) URL\n");
        Run b = get("", "--binary", "http://127.0.0.1:" + server.port() + "/plaintext");
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).isEqualTo("porter get: --binary applies to ws:// and wss:// URLs only\n");
        Run h = get("", "-H", "Sec-WebSocket-Key: x", ws("/ws"));
        assertThat(h.code()).isEqualTo(2);
        assertThat(h.err()).contains("written by the client");
    }
}
