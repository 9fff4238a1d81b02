package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TestRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One Combined Log Format line per request, including rejected ones. */
class AccessLogTest {

    private static final String CLF_TIME = "\\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\]";
    private static final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = TestHttp.start(HttpConfig.builder().accessLog(AccessLog.combined(lines::add)), TestRoutes.router());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        lines.clear();
    }

    /** The line is written after the response, on the server's thread: wait for it (bounded). */
    private static String nextLine() throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("an access log line").isNotNull();
        return line;
    }

    @Test
    void writesCombinedLogFormat() throws Exception {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET /plaintext?x=1 HTTP/1.1\r\nHost: x\r\nReferer: http://ref.example/\r\nUser-Agent: agent/1.0\r\n\r\n").readResponse();
        }
        assertThat(nextLine()).matches("127\\.0\\.0\\.1 - - " + CLF_TIME
                + " \"GET /plaintext\\?x=1 HTTP/1\\.1\" 200 13 \"http://ref\\.example/\" \"agent/1\\.0\"");
    }

    @Test
    void writesDashesForNoBodyAndMissingHeaders() throws Exception {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("HEAD /plaintext HTTP/1.0\r\n\r\n").readResponse(true);
        }
        assertThat(nextLine()).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"HEAD /plaintext HTTP/1\\.0\" 200 - \"-\" \"-\"");
    }

    @Test
    void logsEveryPipelinedRequest() throws Exception {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET /json HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
            wire.readResponse();
            wire.readResponse();
        }
        assertThat(nextLine()).contains("\"GET /json HTTP/1.1\" 200 27 ");
        assertThat(nextLine()).contains("\"GET /missing HTTP/1.1\" 404 10 ");
    }

    @Test
    void logsARejectedRequestWithWhatWasParsed() throws Exception {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n").readToEnd();
        }
        assertThat(nextLine()).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"GET /plaintext HTTP/1\\.1\" 400 \\d+ \"-\" \"-\"");
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("G@T / HTTP/1.1\r\n\r\n").readToEnd();
        }
        assertThat(nextLine()).contains("\"- - -\" 400 ");
    }

    @Test
    void escapesQuotesAndControlBytesSoALineCannotBeForged() throws Exception {
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\nUser-Agent: evil\" 200 0 \"x\\\u00e9\r\n\r\n").readResponse();
        }
        assertThat(nextLine()).endsWith("\"-\" \"evil\\x22 200 0 \\x22x\\x5c\\xe9\"");
    }

    @Test
    void formatsAnEntryWithoutAServer() {
        AccessLog.Entry e = new AccessLog.Entry(new InetSocketAddress("10.1.2.3", 5555), Instant.parse("2024-02-29T23:59:58Z"),
                "POST", "/a b", "HTTP/1.1", 201, 0, null, "curl/8", 1_000);
        assertThat(e.combined()).isEqualTo("10.1.2.3 - - [29/Feb/2024:23:59:58 +0000] \"POST /a b HTTP/1.1\" 201 - \"-\" \"curl/8\"");
    }
}
