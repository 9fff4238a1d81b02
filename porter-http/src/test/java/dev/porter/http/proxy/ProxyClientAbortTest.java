package dev.porter.http.proxy;

import dev.porter.http.AccessLog;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that leaves while the proxy waits for a slow backend (nginx's {@code proxy_ignore_client_abort off}):
 * the backend connection is closed at once rather than held until the backend answers, and the access log says
 * 499, nginx's "client closed request".
 */
class ProxyClientAbortTest {

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();

    /** A backend that reads the head, notes it, then waits for its peer to close: it never answers. */
    private RawServer slowBackend() throws IOException {
        return fixture.later(RawServer.start(s -> {
            InputStream in = s.getInputStream();
            RawServer.readHead(in);
            fixture.backendSaw("request");
            try {
                while (in.read() >= 0) {
                    // nothing comes; the read ends when the proxy closes its end
                }
            } catch (IOException e) {
                // a reset is a close too
            }
            fixture.backendSaw("closed by the proxy");
        }));
    }

    @Test
    void aClientThatLeavesEndsTheBackendConnectionAndIsLoggedAs499() throws Exception {
        RawServer backend = slowBackend();
        LinkedBlockingQueue<AccessLog.Entry> log = new LinkedBlockingQueue<>();
        HttpServer proxy = fixture.proxy(ProxyConfig.builder(backend.url("")),
                HttpConfig.builder().accessLog(log::add));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            assertThat(fixture.saw()).isEqualTo("request");
        }
        assertThat(fixture.saw()).as("the backend connection is closed, not held for the answer")
                .isEqualTo("closed by the proxy");
        AccessLog.Entry e = log.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("the access log line").isNotNull();
        assertThat(e.status()).isEqualTo(499);
        assertThat(e.target()).isEqualTo("/slow");
        assertThat(backend.accepted()).as("not retried on another connection").isEqualTo(1);
    }

    /**
     * The backend connection under the wait came from the pool (it served an earlier request): closing it because
     * the client left is no stale connection to retry on a fresh one. The request is not sent again, and the log
     * still says 499, not a backend failure.
     */
    @Test
    void aClientThatLeavesDuringAWaitOnAReusedBackendConnectionIsNotRetriedElsewhere() throws Exception {
        RawServer backend = fixture.later(RawServer.start(s -> {
            InputStream in = s.getInputStream();
            RawServer.readHead(in);
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            RawServer.readHead(in);
            fixture.backendSaw("request");
            try {
                while (in.read() >= 0) {
                    // never answers the second request
                }
            } catch (IOException e) {
                // a reset is a close too
            }
            fixture.backendSaw("closed by the proxy");
        }));
        LinkedBlockingQueue<AccessLog.Entry> log = new LinkedBlockingQueue<>();
        HttpServer proxy = fixture.proxy(ProxyConfig.builder(backend.url("")),
                HttpConfig.builder().accessLog(log::add));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            client.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            RawServer.readHead(client.getInputStream());
            assertThat(RawServer.readBytes(client.getInputStream(), 2)).isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            assertThat(fixture.saw()).isEqualTo("request");
        }
        assertThat(fixture.saw()).isEqualTo("closed by the proxy");
        AccessLog.Entry first = log.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.target()).isEqualTo("/fast");
        AccessLog.Entry e = log.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("the access log line").isNotNull();
        assertThat(e.target()).isEqualTo("/slow");
        assertThat(e.status()).isEqualTo(499);
        assertThat(backend.accepted()).as("not retried on another connection").isEqualTo(1);
    }
}
