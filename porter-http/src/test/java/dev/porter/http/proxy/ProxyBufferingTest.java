package dev.porter.http.proxy;

import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.RawServer;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Request body buffering: memory, then a temp file, up to a limit (413); a buffered body can be retried. */
class ProxyBufferingTest {

    @TempDir
    Path temp;
    private RecordingBackend backend;
    private HttpServer server;
    private ProxyHandler proxy;

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
        if (proxy != null) proxy.close();
        if (backend != null) backend.close();
    }

    private void start(ProxyConfig.Builder config) {
        proxy = ProxyHandler.of(config.build());
        server = TestHttp.start(proxy);
    }

    private static String chunked(byte[] body) {
        StringBuilder sb = new StringBuilder();
        for (int off = 0; off < body.length; off += 1000) {
            int n = Math.min(1000, body.length - off);
            sb.append(Integer.toHexString(n)).append("\r\n").append(new String(body, off, n, java.nio.charset.StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString();
    }

    @Test
    void aChunkedBodyOverTheMemoryThresholdGoesThroughATempFileAndArrivesWithContentLength() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("ok"));
        start(ProxyConfig.builder(backend.url()).buffering(new ProxyConfig.Buffering(1024, 1 << 20, temp)));
        byte[] body = new byte[100_000];
        new Random(3).nextBytes(body);
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body)).readResponse();
            assertThat(r.status()).isEqualTo(200);
        }
        RecordingBackend.Received got = backend.received().get(0);
        assertThat(got.field("Content-Length")).isEqualTo("100000");
        assertThat(got.has("Transfer-Encoding")).isFalse();
        assertThat(Arrays.equals(got.body(), body)).isTrue();
        try (var files = Files.list(temp)) {
            assertThat(files.count()).as("the temp file is deleted after the exchange").isZero();
        }
    }

    @Test
    void s15_5_14_aBodyOverTheLimitIs413AndNeverReachesABackend() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("ok"));
        start(ProxyConfig.builder(backend.url()).buffering(new ProxyConfig.Buffering(100, 5000, temp)));
        byte[] body = new byte[6000];
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse declared = wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6000\r\n\r\n" + "x".repeat(6000)).readResponse();
            assertThat(declared.status()).isEqualTo(413);
        }
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse streamed = wire.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body)).readResponse();
            assertThat(streamed.status()).isEqualTo(413);
        }
        assertThat(backend.received()).isEmpty();
        try (var files = Files.list(temp)) {
            assertThat(files.count()).as("the partial temp file is deleted").isZero();
        }
    }

    @Test
    void aBufferedIdempotentRequestIsRetriedAfterItWasSent() throws IOException {
        RawServer hangsUp = RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.close();
        });
        backend = RecordingBackend.answering(RecordingBackend.ok("stored"));
        try (hangsUp) {
            start(ProxyConfig.builder(hangsUp.url(""), backend.url()).buffering(ProxyConfig.Buffering.upTo(1 << 20)));
            try (HttpWire wire = HttpWire.connect(server)) {
                WireResponse r = wire.send("PUT /doc HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("stored");
            }
            assertThat(new String(backend.received().get(0).body())).isEqualTo("hello");
        }
    }
}
