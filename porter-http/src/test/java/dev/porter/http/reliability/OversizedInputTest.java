package dev.porter.http.reliability;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every size limit of {@link HttpConfig} answers with its status and closes the connection, without calling the
 * handler for a head over a limit and without reading more than the limit: request line (414), header section
 * and field count (431), declared and streamed body (413), chunk size and chunk size line (400).
 */
class OversizedInputTest {

    private static final AtomicInteger calls = new AtomicInteger();
    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        HttpConfig config = HttpConfig.builder().maxRequestLineLength(100).maxHeaderBytes(512).maxHeaderCount(10)
                .maxBodySize(1000).build();
        server = HttpServer.start(config, (req, res) -> {
            calls.incrementAndGet();
            res.send(req.bodyBytes(1000));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rejectsARequestLineOverTheLimitWith414() throws IOException {
        assertRefused("GET /" + "a".repeat(200) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414, false);
    }

    @Test
    void rejectsAHeaderSectionOverTheLimitWith431() throws IOException {
        assertRefused("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(600) + "\r\n\r\n", 431, false);
    }

    @Test
    void rejectsMoreHeaderFieldsThanTheLimitWith431() throws IOException {
        assertRefused("GET / HTTP/1.1\r\nHost: t\r\n" + "X-A: 1\r\n".repeat(11) + "\r\n", 431, false);
    }

    @Test
    void rejectsADeclaredBodyOverTheLimitWith413BeforeReadingIt() throws IOException {
        assertRefused("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n", 413, false);
    }

    @Test
    void rejectsAChunkedBodyGrowingOverTheLimitWith413() throws IOException {
        assertRefused("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "x".repeat(1000)
                + "\r\n1\r\ny\r\n0\r\n\r\n", 413, true);
    }

    @Test
    void rejectsAnOverflowingChunkSizeWith400() throws IOException {
        assertRefused("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1" + "0".repeat(16) + "\r\nx\r\n0\r\n\r\n", 400, true);
    }

    @Test
    void rejectsAnEndlessChunkSizeLineWith400() throws IOException {
        assertRefused("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(5000) + "\r\n", 400, true);
    }

    /** Sends {@code request}; expects {@code status} with Connection: close, then the end of the connection. */
    private static void assertRefused(String request, int status, boolean handlerCalled) throws IOException {
        int before = calls.get();
        try (Socket s = RawHttp.connect(server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = RawHttp.in(s);
            RawHttp.Reply reply = RawHttp.read(in);
            assertThat(reply).isNotNull();
            assertThat(reply.status()).isEqualTo(status);
            assertThat(reply.closes()).as("Connection: close").isTrue();
            assertThat(in.read()).as("connection closed after the refusal").isEqualTo(-1);
        }
        // A head over a limit never reaches the handler; a body over it is refused while the handler reads it.
        assertThat(calls.get() - before).as("handler calls").isEqualTo(handlerCalled ? 1 : 0);
    }
}
