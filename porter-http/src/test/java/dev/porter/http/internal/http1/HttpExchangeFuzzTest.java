package dev.porter.http.internal.http1;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.Headers;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.HttpServer;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the whole server: each input is sent over a real loopback connection to an in-process
 * {@link HttpServer}, then the client half-closes and reads every response. The same bytes are also parsed
 * offline, one request after the other, with the server's parsers fed the bytes directly ({@link Feeds}): that predicts which
 * requests reach the handler, with which head and body, and which status each response carries.
 * <ul>
 *   <li>a rejected request never yields a handler call, and no request after it is read;</li>
 *   <li>every handler call is an accepted request, in order, with exactly its head and body (bytes of one
 *       request never leak into the next: no smuggling across the keep-alive loop);</li>
 *   <li>a request whose body framing is malformed never gets a success;</li>
 *   <li>every response is well-formed, one per request, and error bodies carry no stack trace.</li>
 * </ul>
 */
class HttpExchangeFuzzTest {

    static final int MAX_BODY = 4096;
    /** HTTP/1.1 only: with HTTP/2 on, an input starting with the h2c preface would switch protocols. */
    static final HttpConfig CONFIG = HttpConfig.builder().maxBodySize(MAX_BODY).maxHeaderBytes(1024)
            .maxHeaderCount(16).maxRequestLineLength(256).http2(dev.porter.http.Http2Config.disabled()).build();

    /** One handler call as the handler saw it. */
    record Call(String method, String target, String version, List<String> headers, byte[] body, int bodyStatus) {
        @Override
        public String toString() {
            return method + " " + target + " " + version + " " + headers + " body="
                    + (body == null ? "refused " + bodyStatus : body.length + " bytes");
        }

        boolean same(Call o) {
            return method.equals(o.method) && target.equals(o.target) && version.equals(o.version)
                    && headers.equals(o.headers) && Arrays.equals(body, o.body) && bodyStatus == o.bodyStatus;
        }
    }

    private static final List<Call> calls = new CopyOnWriteArrayList<>();
    private static HttpServer server;
    private static boolean detectorsLoaded = true;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.start(CONFIG, HttpExchangeFuzzTest::handle);
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop(Duration.ofSeconds(1));
    }

    private static void handle(Request req, Response res) throws IOException {
        byte[] body;
        try {
            body = req.bodyBytes(MAX_BODY);
        } catch (HttpException e) {
            calls.add(new Call(req.method(), req.target(), req.version(), fields(req.headers()), null, e.status().code()));
            throw e;
        }
        calls.add(new Call(req.method(), req.target(), req.version(), fields(req.headers()), body, 0));
        res.send("ok");
    }

    private static List<String> fields(Headers h) {
        List<String> out = new ArrayList<>(h.size());
        for (int i = 0; i < h.size(); i++) out.add(h.name(i) + ": " + h.value(i));
        return out;
    }

    @FuzzTest(maxDuration = "10m")
    void rejectedRequestsNeverReachTheHandler(byte[] input) throws IOException {
        allowLoopbackConnections();
        List<Call> expectedCalls = new ArrayList<>();
        List<Answer> expectedAnswers = new ArrayList<>();
        predict(input, expectedCalls, expectedAnswers);

        calls.clear();
        byte[] received = exchange(input);
        List<Call> seen = List.copyOf(calls);

        assertThat(seen).as("handler calls").hasSameSizeAs(expectedCalls);
        for (int i = 0; i < seen.size(); i++) {
            if (!seen.get(i).same(expectedCalls.get(i))) {
                fail("handler call " + i + " was " + seen.get(i) + ", expected " + expectedCalls.get(i));
            }
        }
        List<Integer> statuses = responses(received, expectedAnswers);
        assertThat(statuses).as("response statuses")
                .isEqualTo(expectedAnswers.stream().map(Answer::status).toList());
    }

    /**
     * Jazzer's SSRF detector flags every connect, and its permission lasts one fuzz test invocation; this test
     * only connects to its own loopback server.
     */
    private static void allowLoopbackConnections() {
        if (!detectorsLoaded) return;
        try {
            BugDetectors.allowNetworkConnections((host, port) -> port == server.port()
                    && (host.equals("127.0.0.1") || host.equals("localhost")));
        } catch (IllegalStateException e) {
            // The detectors are not loaded (regression runs turn Jazzer's hooks off): nothing to allow.
            detectorsLoaded = false;
        }
    }

    /** One expected response: the status, and the request's method if its request line was read (else null). */
    record Answer(String method, int status) {
    }

    /** Parses {@code input} request by request as the server would, recording handler calls and answers. */
    private static void predict(byte[] input, List<Call> calls, List<Answer> answers) {
        int pos = 0;
        while (true) {
            Feeds.HeadOutcome fed = Feeds.requestHead(input, pos, CONFIG, Splits.WHOLE);
            if (fed.endOfStream()) return;
            if (!fed.accepted()) {
                answers.add(new Answer(fed.head().method, fed.status()));
                return;
            }
            RequestHead head = fed.head();
            RequestFraming framing = new RequestFraming();
            try {
                framing.analyze(head, CONFIG);
            } catch (HttpException e) {
                answers.add(new Answer(head.method, e.status().code()));
                return;
            }
            pos = fed.consumed();
            String version = head.version == 11 ? "HTTP/1.1" : "HTTP/1.0";
            byte[] data;
            int failed = 0;
            if (framing.chunked) {
                Feeds.ChunkedOutcome body = Feeds.chunked(input, pos, false, MAX_BODY, CONFIG.maxHeaderBytes(),
                        CONFIG.maxHeaderCount(), 8192, Splits.WHOLE);
                data = body.data();
                failed = body.status();
                pos = body.end();
            } else {
                long length = Math.max(0, framing.contentLength);
                if (input.length - pos < length) {
                    data = null;
                    failed = 400; // the stream ended inside the body
                } else {
                    data = java.util.Arrays.copyOfRange(input, pos, pos + (int) length);
                    pos += (int) length;
                }
            }
            if (failed != 0) {
                calls.add(new Call(head.method, head.target, version, fields(head.headers), null, failed));
                answers.add(new Answer(head.method, failed));
                return;
            }
            calls.add(new Call(head.method, head.target, version, fields(head.headers), data, 0));
            answers.add(new Answer(head.method, 200));
            if (!framing.keepAlive || framing.closeAfter) return;
        }
    }

    /** Sends {@code input}, half-closes, and reads until the server closes. */
    private static byte[] exchange(byte[] input) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(input);
            s.shutdownOutput();
            byte[] all = s.getInputStream().readAllBytes();
            // Everything was read: a reset instead of a FIN costs nothing and leaves no TIME_WAIT behind.
            s.setOption(StandardSocketOptions.SO_LINGER, 0);
            return all;
        }
    }

    /**
     * Parses the responses, which must be well-formed: status line, fields, Content-Length body (none for HEAD,
     * RFC 9110 §9.3.2), interim 100 responses skipped. @return the final statuses in order
     */
    private static List<Integer> responses(byte[] bytes, List<Answer> requests) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        InputStream in = new java.io.ByteArrayInputStream(bytes);
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) return statuses;
            assertThat(statusLine).as("status line").matches("HTTP/1\\.1 [1-5][0-9][0-9] [ -~]*");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean close = false;
            for (String f; !(f = line(in)).isEmpty(); ) {
                assertThat(f).as("response field").matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+: [ -~]*");
                String lower = f.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length: ")) length = Long.parseLong(f.substring(16));
                if (lower.equals("connection: close")) close = true;
                assertThat(lower).as("chunked response").doesNotStartWith("transfer-encoding");
            }
            if (status == 100) continue;
            int index = statuses.size();
            statuses.add(status);
            if (index < requests.size() && "HEAD".equals(requests.get(index).method())) continue;
            assertThat(length).as("Content-Length of response %s", index).isNotNegative();
            byte[] body = in.readNBytes((int) length);
            assertThat(body).as("body of response %s", index).hasSize((int) length);
            if (status >= 400) {
                String text = new String(body, StandardCharsets.UTF_8);
                assertThat(text).as("error body").doesNotContain("Exception").doesNotContain("\tat ")
                        .doesNotContain("dev.porter");
                assertThat(close).as("an error closes the connection").isTrue();
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ch;
        while ((ch = in.read()) >= 0) {
            if (ch == '\n') {
                byte[] l = b.toByteArray();
                assertThat(l.length > 0 && l[l.length - 1] == '\r').as("CRLF line end").isTrue();
                return new String(l, 0, l.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(ch);
        }
        assertThat(b.size()).as("response ends inside a line").isZero();
        return null;
    }
}
