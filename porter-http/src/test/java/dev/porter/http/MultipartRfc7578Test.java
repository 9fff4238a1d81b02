package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Multipart} against RFC 7578 point by point, and its limits and refusals, over a raw socket: each test
 * named for the section or the limit. Refusals are checked for status and for what becomes of the connection
 * (kept after a 415; closed after a 400 or 413, as docs/http.md says of every message error over HTTP/1.1).
 */
class MultipartRfc7578Test {

    static final String B = "b0undary";

    @TempDir
    Path tmp;
    HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(Multipart.Limits limits, long maxBody) {
        server = TestHttp.start(HttpConfig.builder().maxBodySize(maxBody), MultipartEcho.router(limits, tmp));
    }

    private void start() {
        start(Multipart.Limits.DEFAULTS, 16L << 20);
    }

    static String part(String disposition, String extraHeaders, String content) {
        return "--" + B + "\r\nContent-Disposition: form-data; " + disposition + "\r\n" + extraHeaders + "\r\n" + content + "\r\n";
    }

    static byte[] request(String path, String contentType, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Posts {@code body} (ISO-8859-1: one char per byte) as a form with boundary {@link #B}. */
    private WireResponse post(HttpWire wire, String path, String body) {
        return wire.send(request(path, "multipart/form-data; boundary=" + B, body.getBytes(StandardCharsets.ISO_8859_1)))
                .readResponse();
    }

    private WireResponse post(String path, String body) {
        try (HttpWire wire = HttpWire.connect(server)) {
            return post(wire, path, body);
        }
    }

    private static String utf8AsLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void rfc7578Section4_1TheBoundaryMayBeQuotedAndIsFoundOnlyAtALineStart() {
        start();
        String b = "a b:c'()+_,-./=?";
        String body = "--" + b + "\r\nContent-Disposition: form-data; name=x\r\n\r\n--" + b + " at no line start\r\n--" + b + "--";
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse r = wire.send(request("/parts", "multipart/form-data; boundary=\"" + b + "\"",
                    body.getBytes(StandardCharsets.ISO_8859_1))).readResponse();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("field x=--" + b + " at no line start\n");
        }
    }

    @Test
    void rfc7578Section4_1AFormWithoutAValidBoundaryIs400() {
        start();
        byte[] body = (part("name=x", "", "1") + "--" + B + "--").getBytes(StandardCharsets.ISO_8859_1);
        for (String type : new String[] {"multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary="
                + "x".repeat(71), "multipart/form-data; boundary=\"ends with space \"", "multipart/form-data; boundary=" + B
                + "; boundary=other", "multipart/form-data; boundary=\"" + B}) {
            try (HttpWire wire = HttpWire.connect(server)) {
                WireResponse r = wire.send(request("/parts", type, body)).readResponse();
                assertThat(r.status()).as(type).isEqualTo(400);
                assertThat(r.closes()).isTrue();
            }
        }
    }

    @Test
    void aBodyThatIsNotAFormIs415AndTheConnectionStays() {
        start();
        try (HttpWire wire = HttpWire.connect(server)) {
            for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/mixed; boundary=" + B, "text/plain"}) {
                WireResponse r = wire.send(request("/parts", type, "a=1".getBytes(StandardCharsets.US_ASCII))).readResponse();
                assertThat(r.status()).as(type).isEqualTo(415);
                assertThat(r.closes()).isFalse();
            }
            assertThat(post(wire, "/parts", part("name=x", "", "still here") + "--" + B + "--").text()).isEqualTo("field x=still here\n");
        }
    }

    @Test
    void rfc7578Section4_2APartNeedsFormDataWithAName() {
        start();
        assertThat(post("/parts", "--" + B + "\r\nContent-Disposition: form-data; filename=a.txt\r\n\r\nx\r\n--" + B + "--")
                .status()).isEqualTo(400);
        assertThat(post("/parts", "--" + B + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + B + "--").status()).isEqualTo(400);
        assertThat(post("/parts", "--" + B + "\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--" + B + "--").status())
                .isEqualTo(400);
    }

    @Test
    void rfc7578Section4_2FileNamesAsBrowsersAndOldLibrariesSendThem() {
        start();
        String chromium = part("name=\"f\"; filename=\"" + utf8AsLatin1("\u65e5\u672c %22q%22.txt") + "\"", "", "1");
        String urllib3 = part("name=\"g\"; filename*=utf-8''r%C3%A9sum%C3%A9.txt", "", "2");
        WireResponse r = post("/parts", chromium + urllib3 + "--" + B + "--");
        assertThat(r.text()).isEqualTo("file f [\u65e5\u672c %22q%22.txt] text/plain 1 6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b\n"
                + "file g [r\u00e9sum\u00e9.txt] text/plain 1 d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35\n");
    }

    @Test
    void rfc7578Section4_3SeveralFilesUnderOneNameAreEachKept() throws Exception {
        start();
        String body = part("name=\"photos\"; filename=\"a.jpg\"", "Content-Type: image/jpeg\r\n", "A")
                + part("name=\"photos\"; filename=\"b.jpg\"", "Content-Type: image/jpeg\r\n", "B")
                + part("name=\"photos\"; filename=\"\"", "Content-Type: application/octet-stream\r\n", "") // an empty input
                + "--" + B + "--";
        String text = post("/form", body).text();
        assertThat(text).startsWith("file photos [a.jpg] image/jpeg 1 ").contains("\nfile photos [b.jpg] image/jpeg 1 ")
                .doesNotContain("[]").doesNotContain("left behind");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void rfc7578Section4_4APartWithoutContentTypeIsTextPlain() {
        start();
        String body = part("name=\"f\"; filename=\"x\"", "", "1") + "--" + B + "--";
        assertThat(post("/parts", body).text()).startsWith("file f [x] text/plain 1 ");
    }

    @Test
    void rfc7578Section4_5TheCharsetOfATextPartIsItsOwn() {
        start();
        String body = part("name=city", "Content-Type: text/plain; charset=ISO-8859-1\r\n", "S\u00e8te")
                + part("name=town", "", utf8AsLatin1("S\u00e8te")) + "--" + B + "--";
        assertThat(post("/parts", body).text()).isEqualTo("field city=S\u00e8te\nfield town=S\u00e8te\n");
        String unknown = part("name=city", "Content-Type: text/plain; charset=x-no-such\r\n", "a") + "--" + B + "--";
        assertThat(post("/parts", unknown).status()).isEqualTo(415);
    }

    @Test
    void rfc7578Section4_6TheCharsetFieldNamesTheCharsetOfLaterTextFields() {
        start();
        String body = part("name=\"_charset_\"", "", "iso-8859-1") + part("name=city", "", "S\u00e8te")
                + part("name=word", "Content-Type: text/plain; charset=UTF-8\r\n", utf8AsLatin1("\u00e9t\u00e9")) + "--" + B + "--";
        assertThat(post("/parts", body).text()).isEqualTo("field _charset_=iso-8859-1\nfield city=S\u00e8te\nfield word=\u00e9t\u00e9\n");
        assertThat(post("/form", body).text()).isEqualTo("field _charset_=[iso-8859-1]\nfield city=[S\u00e8te]\nfield word=[\u00e9t\u00e9]\n");
        assertThat(post("/parts", part("name=\"_charset_\"", "", "x-no-such") + "--" + B + "--").status()).isEqualTo(415);
    }

    @Test
    void rfc7578Section4_7AnEncodedPartIs400RatherThanGivenBackUndecoded() {
        start();
        String body = part("name=\"f\"; filename=\"x\"", "Content-Transfer-Encoding: base64\r\n", "eA==") + "--" + B + "--";
        assertThat(post("/parts", body).status()).isEqualTo(400);
    }

    @Test
    void aBodyWithoutItsCloseDelimiterIs400AndLeavesNoFile() throws Exception {
        start();
        for (String path : new String[] {"/parts", "/form"}) {
            String body = part("name=a", "", "1") + "--" + B + "\r\nContent-Disposition: form-data; name=f; filename=f\r\n\r\ncut here";
            WireResponse r = post(path, body);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.text()).contains("closing boundary");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void morePartsThanTheLimitIs400() {
        start(Multipart.Limits.DEFAULTS.withMaxParts(3), 16L << 20);
        String three = (part("name=a", "", "1")).repeat(3);
        assertThat(post("/parts", three + "--" + B + "--").status()).isEqualTo(200);
        WireResponse r = post("/parts", three + part("name=a", "", "1") + "--" + B + "--");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("more than 3 parts");
        assertThat(Multipart.Limits.DEFAULTS.maxParts()).isEqualTo(1000);
    }

    @Test
    void aPartHeaderSectionOverTheLimitIs400() {
        start(Multipart.Limits.DEFAULTS.withMaxPartHeaderBytes(100), 16L << 20);
        // "Content-Disposition: form-data; name=a" CRLF, "X: " y*n CRLF, CRLF: 47 + n bytes.
        String fits = part("name=a", "X: " + "y".repeat(53) + "\r\n", "1");
        assertThat(post("/parts", fits + "--" + B + "--").status()).isEqualTo(200);
        WireResponse r = post("/parts", part("name=a", "X: " + "y".repeat(54) + "\r\n", "1") + "--" + B + "--");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("over 100 bytes");
        assertThat(Multipart.Limits.DEFAULTS.maxPartHeaderBytes()).isEqualTo(8192);
    }

    @Test
    void aTextFieldOverTheLimitIs413ButAFileOfThatSizeIsNot() {
        start(Multipart.Limits.DEFAULTS.withMaxFieldBytes(10), 16L << 20);
        assertThat(post("/parts", part("name=a", "", "0123456789") + "--" + B + "--").status()).isEqualTo(200);
        assertThat(post("/parts", part("name=a", "", "0123456789X") + "--" + B + "--").status()).isEqualTo(413);
        assertThat(post("/form", part("name=a", "", "0123456789X") + "--" + B + "--").status()).isEqualTo(413);
        assertThat(post("/form", part("name=a; filename=a", "", "0123456789X") + "--" + B + "--").status()).isEqualTo(200);
        assertThat(Multipart.Limits.DEFAULTS.maxFieldBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void aBodyOverTheServersLimitIs413AndLeavesNoFile() throws Exception {
        start(Multipart.Limits.DEFAULTS, 1000);
        String big = part("name=f; filename=f", "", "z".repeat(2000)) + "--" + B + "--";
        assertThat(post("/form", big).status()).isEqualTo(413);
        // Chunked, so the limit is met while reading rather than from Content-Length.
        byte[] body = big.getBytes(StandardCharsets.ISO_8859_1);
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" + B
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n");
            wire.send(body);
            wire.send("\r\n0\r\n\r\n");
            WireResponse r = wire.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.closes()).isTrue();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aClientThatHangsUpMidFormLeavesNoFile() throws Exception {
        start();
        byte[] head = request("/form", "multipart/form-data; boundary=" + B, new byte[100_000]);
        String part = part("name=f; filename=f", "", "");
        try (HttpWire wire = HttpWire.connect(server)) {
            // The head announces 100,000 bytes; the form's first file gets 20,000 of them, then the client is gone.
            int headLength = new String(head, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
            wire.send(java.util.Arrays.copyOf(head, headLength));
            wire.send(part.substring(0, part.length() - 2).getBytes(StandardCharsets.ISO_8859_1));
            wire.send(new byte[20_000]);
        }
        // The server notices the end of input and cleans up before the connection ends; wait (bounded) for that end.
        for (int i = 0; i < 200 && (server.stats().accepted() == 0 || server.stats().active() > 0); i++) Thread.sleep(50);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }
}
