package dev.porter.http;

import dev.porter.http.ClientRequest.Body;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against Porter's own server: methods, headers, every kind of body, and every response framing. */
class HttpClientTest {

    private static HttpServer server;
    private static HttpClient client;
    private static String base;

    /** Answers with what arrived: method, framing of the request body, selected headers, and the body. */
    private static void echo(Request req, Response res) throws IOException {
        String framing = req.contentLength() >= 0 ? "length=" + req.contentLength() : "chunked";
        byte[] body = req.bodyBytes(64 * 1024 * 1024);
        res.header("X-Method", req.method()).header("X-Framing", framing)
                .header("X-Expect", String.valueOf(req.header("Expect")))
                .header("X-Custom", String.valueOf(req.header("X-Custom")))
                .header("X-Body-Length", String.valueOf(body.length));
        res.send(body);
    }

    @BeforeAll
    static void start() throws IOException {
        Router router = new Router()
                .get("/hello", (req, res) -> res.send("hello"))
                .post("/echo", HttpClientTest::echo)
                .put("/echo", HttpClientTest::echo)
                .route("PURGE", "/echo", HttpClientTest::echo)
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.stream()) {
                        for (int i = 0; i < 100; i++) {
                            out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush(); // one chunk per line
                        }
                    }
                })
                .get("/empty", (req, res) -> res.status(204))
                .get("/cached", (req, res) -> res.status(304).send(new byte[0]))
                .get("/gzip", (req, res) -> {
                    String text = "compressible text ".repeat(1000);
                    String accept = req.header("Accept-Encoding");
                    if (accept != null && accept.contains("gzip")) {
                        ByteArrayOutputStream gz = new ByteArrayOutputStream();
                        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                            out.write(text.getBytes(StandardCharsets.US_ASCII));
                        }
                        res.header("Content-Encoding", "gzip").send(gz.toByteArray());
                    } else {
                        res.send(text);
                    }
                });
        server = HttpServer.start(HttpConfig.builder().maxBodySize(64 * 1024 * 1024).build(), router);
        client = HttpClient.create();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void getsATextBody() throws IOException {
        try (ClientResponse res = client.get(base + "/hello")) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.status().reason()).isEqualTo("OK");
            assertThat(res.version()).isEqualTo("HTTP/1.1");
            assertThat(res.contentLength()).isEqualTo(5);
            assertThat(res.header("content-type")).startsWith("text/plain");
            assertThat(res.bodyString()).isEqualTo("hello");
        }
    }

    @Test
    void sendsBytesStringFileAndStreamBodies(@TempDir Path tmp) throws IOException {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
        Path file = Files.write(tmp.resolve("body.bin"), data);
        record Sent(Body body, String framing, byte[] expected) {
        }
        List<Sent> bodies = List.of(
                new Sent(Body.of(data), "length=300000", data),
                new Sent(Body.of("grüße"), "length=7", "grüße".getBytes(StandardCharsets.UTF_8)),
                new Sent(Body.ofFile(file), "length=300000", data),
                new Sent(Body.ofStream(new ByteArrayInputStream(data), data.length), "length=300000", data),
                new Sent(Body.ofStream(new ByteArrayInputStream(data)), "chunked", data),
                new Sent(Body.empty(), "length=0", new byte[0]));
        for (Sent s : bodies) {
            try (ClientResponse res = client.send(ClientRequest.post(base + "/echo", s.body()))) {
                assertThat(res.header("X-Framing")).as("%s", s.body()).isEqualTo(s.framing());
                assertThat(res.bodyBytes()).as("%s", s.body()).isEqualTo(s.expected());
            }
        }
    }

    @Test
    void sendsAnyMethodAndCustomHeaders() throws IOException {
        ClientRequest req = ClientRequest.builder("PURGE", base + "/echo").header("X-Custom", "yes")
                .body(Body.of("x")).build();
        try (ClientResponse res = client.send(req)) {
            assertThat(res.header("X-Method")).isEqualTo("PURGE");
            assertThat(res.header("X-Custom")).isEqualTo("yes");
            assertThat(res.bodyString()).isEqualTo("x");
        }
    }

    @Test
    void readsAChunkedResponseAsAStream() throws IOException {
        try (ClientResponse res = client.get(base + "/stream")) {
            assertThat(res.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(res.contentLength()).isEqualTo(-1);
            String text = new String(res.body().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(text.lines()).hasSize(100).startsWith("line 0").endsWith("line 99");
        }
    }

    @Test
    void headAnd204And304HaveNoBodyAndKeepTheConnection() throws IOException {
        long before = client.stats().connectionsOpened();
        try (ClientResponse res = client.send(ClientRequest.head(base + "/hello"))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.header("Content-Length")).isEqualTo("5");
            assertThat(res.body().read()).isEqualTo(-1);
        }
        try (ClientResponse res = client.get(base + "/empty")) {
            assertThat(res.statusCode()).isEqualTo(204);
            assertThat(res.bodyBytes()).isEmpty();
        }
        try (ClientResponse res = client.get(base + "/cached")) {
            assertThat(res.statusCode()).isEqualTo(304);
            assertThat(res.bodyBytes()).isEmpty();
        }
        assertThat(client.get(base + "/hello").bodyString()).isEqualTo("hello");
        assertThat(client.stats().connectionsOpened() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void decodesGzipOnlyWhenAskedTo() throws IOException {
        String expected = "compressible text ".repeat(1000);
        try (HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build());
             ClientResponse res = gz.get(base + "/gzip")) {
            assertThat(res.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(Long.parseLong(res.header("Content-Length"))).isLessThan(expected.length());
            assertThat(res.contentLength()).isEqualTo(-1);
            assertThat(res.bodyString()).isEqualTo(expected);
        }
        try (ClientResponse res = client.get(base + "/gzip")) {
            assertThat(res.header("Content-Encoding")).isNull();
            assertThat(res.bodyString()).isEqualTo(expected);
        }
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    /** A response of {@code body} with {@code fields} (each line ending CRLF), framed by Content-Length. */
    private static byte[] reply(String fields, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("HTTP/1.1 200 OK\r\n" + fields + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Test
    void decodesGzipAppliedTwiceInReverseOrder() throws IOException {
        // RFC 9110 §8.4: the codings are listed in the order they were applied; the last one is undone first.
        byte[] twice = gzip(gzip("twice compressed".getBytes(StandardCharsets.US_ASCII)));
        for (String fields : new String[] {"Content-Encoding: gzip, gzip\r\n",
                "Content-Encoding: gzip\r\nContent-Encoding: x-gzip\r\n"}) {
            try (RawServer raw = RawServer.replying(reply(fields, twice));
                 HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build());
                 ClientResponse res = gz.get(raw.url("/"))) {
                assertThat(res.bodyString()).as(fields).isEqualTo("twice compressed");
            }
        }
    }

    @Test
    void aCodingTheClientCannotUndoLeavesTheWholeBodyAsItCame() throws IOException {
        // Undoing only the gzip layers would leave a body its Content-Encoding no longer describes: the caller gets
        // the bytes as sent and the field that says what they are.
        byte[] body = gzip("inner".getBytes(StandardCharsets.US_ASCII));
        try (RawServer raw = RawServer.replying(reply("Content-Encoding: br, gzip\r\n", body));
             HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build());
             ClientResponse res = gz.get(raw.url("/"))) {
            assertThat(res.header("Content-Encoding")).isEqualTo("br, gzip");
            assertThat(res.bodyBytes()).isEqualTo(body);
        }
    }

    @Test
    void moreThanFiveCodingsAreRefused() throws IOException {
        // As curl does: a response stacking codings without end would make the client decode without end.
        byte[] body = "x".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 6; i++) body = gzip(body);
        try (RawServer raw = RawServer.replying(reply("Content-Encoding: gzip, gzip, gzip, gzip, gzip, gzip\r\n", body));
             HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build())) {
            assertThatThrownBy(() -> gz.get(raw.url("/")).bodyBytes())
                    .isInstanceOf(HttpClientException.MalformedResponse.class)
                    .hasMessageContaining("6 content codings");
        }
    }

    @Test
    void rejectsACorruptGzipBody() throws IOException {
        byte[] reply = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot gzip!!".getBytes(StandardCharsets.US_ASCII);
        try (RawServer raw = RawServer.replying(reply);
             HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build())) {
            ClientResponse res = gz.get(raw.url("/"));
            assertThatThrownBy(res::bodyBytes).isInstanceOf(HttpClientException.MalformedResponse.class)
                    .hasMessageContaining("gzip");
        }
    }

    @Test
    void anEmptyGzipBodyIsAnEmptyBody() throws IOException {
        // Applications set Content-Encoding: gzip on empty answers too; curl and browsers read them as empty.
        for (String framing : new String[] {"Content-Length: 0\r\n\r\n", "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"}) {
            byte[] reply = ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n" + framing).getBytes(StandardCharsets.US_ASCII);
            try (RawServer raw = RawServer.replying(reply);
                 HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build());
                 ClientResponse res = gz.get(raw.url("/"))) {
                assertThat(res.bodyString()).as(framing).isEmpty();
            }
        }
    }

    @Test
    void aGzipBodyCutShortSaysSo() throws IOException {
        byte[] reply = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\n\u001f\u008b\u0008"
                .getBytes(StandardCharsets.ISO_8859_1);
        try (RawServer raw = RawServer.replying(reply);
             HttpClient gz = HttpClient.create(ClientConfig.builder().decompress(true).build())) {
            ClientResponse res = gz.get(raw.url("/"));
            assertThatThrownBy(res::bodyBytes).isInstanceOf(HttpClientException.MalformedResponse.class)
                    .hasMessageContaining("gzip").hasMessageNotContaining("null");
        }
    }

    @Test
    void readsTrailersAfterAChunkedBody() throws IOException {
        byte[] reply = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawServer raw = RawServer.replying(reply); ClientResponse res = client.get(raw.url("/"))) {
            assertThat(res.trailers().size()).isZero();
            assertThat(res.bodyString()).isEqualTo("hello");
            assertThat(res.trailers().first("X-Checksum")).isEqualTo("abc");
        }
    }

    @Test
    void rejectsMalformedResponsesNamingTheRule() throws IOException {
        String[][] cases = {
                {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "conflicting Content-Length"},
                {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "both Transfer-Encoding and Content-Length"},
                {"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "whitespace between header field name and colon"},
                {"HTTP/1.1 999 Nope\r\n\r\n", "outside 100..599"},
                {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size"},
        };
        for (String[] c : cases) {
            try (RawServer raw = RawServer.replying(c[0].getBytes(StandardCharsets.ISO_8859_1))) {
                assertThatThrownBy(() -> {
                    try (ClientResponse res = client.get(raw.url("/"))) {
                        res.bodyBytes();
                    }
                }).as(c[1]).isInstanceOf(HttpClientException.MalformedResponse.class).hasMessageContaining(c[1]);
            }
        }
    }

    @Test
    void reportsATruncatedBodyAndAnEmptyReply() throws IOException {
        try (RawServer raw = RawServer.replying("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII))) {
            ClientResponse res = client.get(raw.url("/"));
            assertThatThrownBy(res::bodyBytes).isInstanceOf(HttpClientException.IncompleteResponse.class)
                    .hasMessageContaining("5 of 10");
        }
        try (RawServer raw = RawServer.replying(new byte[0])) {
            assertThatThrownBy(() -> client.get(raw.url("/")))
                    .isInstanceOfSatisfying(HttpClientException.IncompleteResponse.class, e -> assertThat(e.empty()).isTrue());
        }
    }

    @Test
    void aServerThatClosesAfterAnInterimResponseIsReportedAsSuch() throws IOException {
        // The server answered (so the request is not retried), but never with a final response.
        try (RawServer raw = RawServer.replying("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))) {
            assertThatThrownBy(() -> client.get(raw.url("/")))
                    .isInstanceOfSatisfying(HttpClientException.IncompleteResponse.class, e -> assertThat(e.empty()).isFalse())
                    .hasMessageContaining("after an interim (1xx) response");
        }
        try (RawServer raw = RawServer.replying("HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 O"
                .getBytes(StandardCharsets.US_ASCII))) {
            assertThatThrownBy(() -> client.get(raw.url("/"))).isInstanceOf(HttpClientException.IncompleteResponse.class)
                    .hasMessageContaining("inside the response head");
        }
    }

    @Test
    void refusesAnUnsupportedSchemeWithAClearMessage() {
        assertThatThrownBy(() -> client.get("ftp://127.0.0.1/")).isInstanceOf(HttpClientException.UnsupportedScheme.class)
                .hasMessageContaining("only http and https");
    }

    @Test
    void namesTheAddressWhenTheConnectionIsRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> client.get("http://127.0.0.1:" + port + "/"))
                .isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void rejectsFramingHeadersAndControlCharactersInRequests() {
        ClientRequest.Builder b = ClientRequest.builder("GET", base + "/");
        assertThatThrownBy(() -> b.header("Content-Length", "5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.header("X-Split", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.header("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientRequest.builder("GET", "/relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientRequest.builder("G T", base)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamsALargeBodyWithoutCollectingIt() throws IOException {
        byte[] data = new byte[5_000_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        try (ClientResponse res = client.send(ClientRequest.put(base + "/echo", Body.of(data)))) {
            InputStream in = res.body();
            byte[] buf = new byte[100_000];
            long total = 0;
            long sum = 0;
            List<Integer> sizes = new ArrayList<>();
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) sum += buf[i] & 0xFF;
                total += n;
                sizes.add(n);
            }
            long expectedSum = 0;
            for (byte b : data) expectedSum += b & 0xFF;
            assertThat(total).isEqualTo(data.length);
            assertThat(sum).isEqualTo(expectedSum);
            assertThat(sizes.size()).isGreaterThan(1);
        }
    }
}
