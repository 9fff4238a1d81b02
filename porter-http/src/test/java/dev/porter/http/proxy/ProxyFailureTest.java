package dev.porter.http.proxy;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.RawServer;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the proxy does when a backend fails: 502 and 504 with their one-line bodies, the backend marked down
 * after a refused connection, and the retry rule (RFC 9110 §9.2.2): another backend only when that repeats no
 * effect.
 */
class ProxyFailureTest {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private HttpServer server;
    private ProxyHandler proxy;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (proxy != null) proxy.close();
        for (AutoCloseable c : closing) c.close();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    private WireResponse send(ProxyConfig.Builder config, String request) {
        if (proxy == null) {
            proxy = ProxyHandler.of(config.build());
            server = TestHttp.start(proxy);
        }
        try (HttpWire wire = HttpWire.connect(server)) {
            return wire.send(request).readResponse();
        }
    }

    static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    /** A backend that reads the request head, then closes without a word: the request was sent and is lost. */
    private RawServer hangingUp() throws IOException {
        return closeLater(RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.close();
        }));
    }

    @Test
    void s15_6_3_aRefusedConnectionIs502WithOneLine() throws IOException {
        WireResponse r = send(ProxyConfig.builder(closedPort()), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).isEqualTo("Bad Gateway: the upstream server refused the connection\n");
        assertThat(proxy.backends().get(0).up()).as("marked down by the refused connection").isFalse();
    }

    @Test
    void s15_6_5_aBackendThatDoesNotAnswerInTimeIs504() throws IOException {
        RawServer silent = closeLater(RawServer.silent());
        WireResponse r = send(ProxyConfig.builder(silent.url("")).readTimeout(Duration.ofMillis(300)),
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.text()).isEqualTo("Gateway Timeout: the upstream server did not answer in time\n");
        assertThat(proxy.backends().get(0).up()).as("a slow backend is not marked down").isTrue();
    }

    @Test
    void theTotalTimeoutIs504Too() throws IOException {
        RawServer silent = closeLater(RawServer.silent());
        WireResponse r = send(ProxyConfig.builder(silent.url("")).totalTimeout(Duration.ofMillis(300)),
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(504);
    }

    @Test
    void aMalformedResponseIs502() throws IOException {
        RawServer garbage = closeLater(RawServer.replying("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"
                .getBytes(StandardCharsets.US_ASCII)));
        WireResponse r = send(ProxyConfig.builder(garbage.url("")), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.text()).isEqualTo("Bad Gateway: the upstream server closed the connection or sent a malformed response\n");
    }

    @Test
    void s9_2_2_anIdempotentRequestWhoseConnectionBrokeIsRetriedOnAnotherBackend() throws IOException {
        RawServer first = hangingUp();
        RecordingBackend second = closeLater(RecordingBackend.answering(RecordingBackend.ok("second")));
        WireResponse r = send(ProxyConfig.builder(first.url(""), second.url()), "DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("second");
        assertThat(first.accepted()).isEqualTo(1);
    }

    @Test
    void s9_2_2_aNonIdempotentRequestIsNeverSentTwice() throws IOException {
        RawServer first = hangingUp();
        RecordingBackend second = closeLater(RecordingBackend.answering(RecordingBackend.ok("second")));
        WireResponse r = send(ProxyConfig.builder(first.url(""), second.url()),
                "POST /pay HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(r.status()).isEqualTo(502);
        assertThat(second.received()).as("the POST reached the first backend, so it must not go to a second").isEmpty();
    }

    @Test
    void aNonIdempotentRequestWhoseConnectionWasRefusedGoesToAnotherBackend() throws IOException {
        RecordingBackend second = closeLater(RecordingBackend.answering(RecordingBackend.ok("second")));
        WireResponse r = send(ProxyConfig.builder(closedPort(), second.url()),
                "POST /pay HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(r.status()).as("nothing was sent to the refusing one").isEqualTo(200);
        assertThat(second.received()).hasSize(1);
        assertThat(new String(second.received().get(0).body(), StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @Test
    void aRequestIsTriedOnTwoBackendsAtMost() throws IOException {
        RawServer a = hangingUp();
        RawServer b = hangingUp();
        RawServer c = hangingUp();
        WireResponse r = send(ProxyConfig.builder(a.url(""), b.url(""), c.url("")), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(502);
        assertThat(a.accepted() + b.accepted() + c.accepted()).isEqualTo(2);
    }

    @Test
    void aBackendFailingHalfWayThroughItsBodyCutsTheClientConnection() throws IOException {
        RawServer truncating = closeLater(RawServer.replying("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"
                .getBytes(StandardCharsets.US_ASCII)));
        proxy = ProxyHandler.of(ProxyConfig.builder(truncating.url("")).build());
        server = TestHttp.start(proxy);
        try (HttpWire wire = HttpWire.connect(server)) {
            HttpWire.Transcript t = wire.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readToEnd();
            assertThat(t.text()).startsWith("HTTP/1.1 200").contains("Content-Length: 100").endsWith("only this");
            assertThat(t.closed()).isTrue();
        }
    }

    /**
     * A backend may answer before it has read the body (a 413, a 401) and close (RFC 9112 §9.6): the unread body
     * makes its kernel reset the connection, so the proxy's next write fails, but the answer is already in the
     * proxy's receive buffer. The client gets that answer, not a 502.
     */
    @Test
    void anAnswerSentBeforeTheBodyWasReadReachesTheClientThoughTheBackendClosed() throws Exception {
        RawServer early = closeLater(RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.getOutputStream().write(("HTTP/1.1 413 Content Too Large\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
                    + "too large\n").getBytes(StandardCharsets.US_ASCII));
            s.close(); // the body unread: the kernel answers it with a reset
        }));
        proxy = ProxyHandler.of(ProxyConfig.builder(early.url("")).build());
        server = TestHttp.start(HttpConfig.builder().maxBodySize(Long.MAX_VALUE), proxy);
        int length = 16 << 20;
        try (HttpWire wire = HttpWire.connect(server)) {
            OutputStream out = wire.socket().getOutputStream();
            Thread uploader = Thread.ofVirtual().start(() -> {
                try {
                    out.write(("PUT /big HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < length; sent += chunk.length) out.write(chunk);
                } catch (IOException e) {
                    // the proxy stops reading once it has the answer
                }
            });
            WireResponse r = wire.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).isEqualTo("too large\n");
            assertThat(r.header("Connection")).as("the unread rest of the body ends the connection").isEqualTo("close");
            wire.close();
            uploader.join();
        }
        assertThat(early.accepted()).as("a PUT is not retried").isEqualTo(1);
    }

    @Test
    void connectIsRefusedForTunnels() throws IOException {
        RecordingBackend backend = closeLater(RecordingBackend.answering(RecordingBackend.ok("")));
        WireResponse r = send(ProxyConfig.builder(backend.url()), "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assertThat(r.status()).isEqualTo(501);
        assertThat(backend.received()).isEmpty();
    }
}
