package dev.porter.http.internal.multipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MultipartParser}: what browsers and curl send, split every way, and what it refuses. */
class MultipartParserTest {

    static final String B = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    /** A part's name, file name and type, for comparison (its headers list has no equals). */
    static String brief(MultipartParser.Part p) {
        return brief(p.name(), p.fileName(), p.contentType());
    }

    static String brief(String name, String fileName, String contentType) {
        return name + "|" + fileName + "|" + contentType;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] browserForm(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\nsub/\r\n"));
        out.writeBytes(ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"r\u00e9sum\u00e9 1.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"));
        out.writeBytes(file);
        out.writeBytes(ascii("\r\n--" + B + "--\r\n"));
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(MultipartFeeds.Mode.class)
    void readsABrowsersFormHoweverItIsSplit(MultipartFeeds.Mode mode) {
        byte[] file = ascii("line one\r\nline two\r\n--not a boundary\r\n--" + B.substring(0, 10) + " almost\r\n\r");
        MultipartFeeds.Outcome o = MultipartFeeds.parse(browserForm(file), B, mode, 42);
        assertThat(o.refusal()).isNull();
        assertThat(o.parts()).hasSize(2);
        assertThat(brief(o.parts().get(0).part())).isEqualTo(brief("path", null, null));
        assertThat(o.parts().get(0).data()).isEqualTo(ascii("sub/"));
        assertThat(brief(o.parts().get(1).part())).isEqualTo(brief("files", "r\u00e9sum\u00e9 1.txt", "text/plain"));
        assertThat(o.parts().get(1).data()).isEqualTo(file);
    }

    @Test
    void randomBinaryFilesComeOutByteForByteUnderEverySplit() {
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] file = new byte[r.nextInt(3000)];
            r.nextBytes(file);
            // Sprinkle CR LF and delimiter prefixes, the bytes the matcher has to hold back and give back.
            for (int k = 0; k + 12 < file.length; k += 1 + r.nextInt(200)) {
                System.arraycopy(ascii("\r\n--" + B), 0, file, k, 2 + r.nextInt(10));
            }
            byte[] body = browserForm(file);
            String whole = MultipartFeeds.parse(body, B, MultipartFeeds.Mode.WHOLE, 0).describe();
            assertThat(MultipartFeeds.parse(body, B, MultipartFeeds.Mode.BYTE_BY_BYTE, 0).describe()).isEqualTo(whole);
            assertThat(MultipartFeeds.parse(body, B, MultipartFeeds.Mode.RANDOM, round).describe()).isEqualTo(whole);
            assertThat(MultipartFeeds.parse(body, B, MultipartFeeds.Mode.WHOLE, 0).parts().get(1).data()).isEqualTo(file);
        }
    }

    @Test
    void ignoresPreambleAndEpilogueAndAcceptsPaddingAfterABoundary() {
        byte[] body = ascii("This is the preamble.\r\n--" + B + " \t\r\nContent-Disposition: form-data; name=a\r\n\r\n"
                + "1\r\n--" + B + "--\r\nepilogue, ignored --" + B);
        MultipartFeeds.Outcome o = MultipartFeeds.parse(body, B, MultipartFeeds.Mode.BYTE_BY_BYTE, 0);
        assertThat(o.refusal()).isNull();
        assertThat(o.parts()).singleElement().satisfies(s -> {
            assertThat(s.part().name()).isEqualTo("a");
            assertThat(s.data()).isEqualTo(ascii("1"));
        });
    }

    @Test
    void anEmptyFileAndAQuotedNameWithEscapes() {
        byte[] body = ascii("--" + B + "\r\ncontent-disposition: FORM-DATA; filename=\"a \\\"q\\\".txt\"; name=\"f\"\r\n\r\n"
                + "\r\n--" + B + "--");
        MultipartFeeds.Outcome o = MultipartFeeds.parse(body, B, MultipartFeeds.Mode.WHOLE, 0);
        assertThat(o.refusal()).isNull();
        assertThat(brief(o.parts().get(0).part())).isEqualTo(brief("f", "a \"q\".txt", null));
        assertThat(o.parts().get(0).data()).isEmpty();
    }

    @Test
    void refusesWhatIsNotAWellFramedForm() {
        String start = "--" + B + "\r\n";
        String[] bad = {
            start + "Content-Disposition: form-data; name=a\r\n\r\nno end",                 // truncated
            start + "Content-Disposition: form-data; name=a\r\n\r\nx\r\n--" + B,            // no close dashes
            start + "Content-Disposition: form-data; name=a\r\n\r\nx\r\n--" + B + "X\r\n",  // junk after boundary
            start + "Content-Type: text/plain\r\n\r\nx\r\n--" + B + "--",                   // no disposition
            start + "Content-Disposition: attachment; name=a\r\n\r\nx\r\n--" + B + "--",    // not form-data
            start + "Content-Disposition: form-data; filename=a\r\n\r\nx\r\n--" + B + "--", // no name
            start + "Content-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n--" + B + "--", // folded
            start + "Content-Disposition: form-data; name=\"a\r\n\r\nx\r\n--" + B + "--",   // open quote
            start + "X: " + "y".repeat(MultipartParser.MAX_HEADER_BYTES) + "\r\n\r\n",     // header too large
            "",                                                                              // nothing at all
        };
        for (String b : bad) {
            for (MultipartFeeds.Mode mode : MultipartFeeds.Mode.values()) {
                MultipartFeeds.Outcome o = MultipartFeeds.parse(ascii(b), B, mode, 3);
                assertThat(o.refusal()).as("%s, %s", b.length() > 80 ? b.substring(0, 80) : b, mode).startsWith("400 ");
            }
        }
    }

    @Test
    void refusesMoreThanTheMostParts() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= MultipartParser.MAX_PARTS; i++) {
            sb.append("--").append(B).append("\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n");
        }
        sb.append("--").append(B).append("--");
        assertThat(MultipartFeeds.parse(ascii(sb.toString()), B, MultipartFeeds.Mode.WHOLE, 0).refusal())
                .contains("more than " + MultipartParser.MAX_PARTS + " parts");
    }

    @Test
    void readsTheBoundaryOfAFormContentTypeOnly() {
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=" + B)).isEqualTo(B);
        assertThat(MultipartParser.boundary("Multipart/Form-Data ; charset=utf-8; BOUNDARY=\"a b:c\"")).isEqualTo("a b:c");
        assertThat(MultipartParser.boundary("multipart/mixed; boundary=x")).isNull();
        assertThat(MultipartParser.boundary("multipart/form-data")).isNull();
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=")).isNull();
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isNull();
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=a\"b")).isNull();
        assertThat(MultipartParser.boundary(null)).isNull();
    }
    @Test
    void limitsOnPartsAndHeaderBytesAreTheOnesGiven() throws Exception {
        String part = "--" + B + "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n";
        byte[] three = ascii(part.repeat(3) + "--" + B + "--");
        assertThat(parseWith(three, 3, MultipartParser.MAX_HEADER_BYTES)).isNull();
        assertThat(parseWith(three, 2, MultipartParser.MAX_HEADER_BYTES)).contains("more than 2 parts");
        // The header section is "Content-Disposition: form-data; name=a" CRLF CRLF: 42 bytes.
        assertThat(parseWith(three, 3, 42)).isNull();
        assertThat(parseWith(three, 3, 41)).contains("over 41 bytes");
    }

    /** @return the refusal's message, or null when accepted; fed byte by byte */
    private static String parseWith(byte[] body, int maxParts, int maxHeaderBytes) throws Exception {
        MultipartParser parser = new MultipartParser(B, maxParts, maxHeaderBytes, new MultipartParser.Sink() {
            @Override public void partStart(MultipartParser.Part p) { }
            @Override public void partData(byte[] b, int off, int len) { }
            @Override public void partEnd() { }
        });
        try {
            for (int i = 0; i < body.length; i++) parser.feed(body, i, 1);
            parser.finish();
            return null;
        } catch (dev.porter.http.HttpException e) {
            return e.getMessage();
        }
    }

    @Test
    void everyHeaderFieldOfAPartIsKeptInOrder() {
        byte[] body = ascii("--" + B + "\r\nContent-Disposition: form-data; name=a\r\nX-Note: one\r\n"
                + "Content-Type: text/csv\r\nx-note: two\r\n\r\n1\r\n--" + B + "--");
        MultipartFeeds.Outcome o = MultipartFeeds.parse(body, B, MultipartFeeds.Mode.RANDOM, 5);
        assertThat(o.refusal()).isNull();
        dev.porter.http.Headers h = o.parts().get(0).part().headers();
        assertThat(h.size()).isEqualTo(4);
        assertThat(h.all("X-Note")).containsExactly("one", "two");
        assertThat(h.first("content-type")).isEqualTo("text/csv");
    }

    @Test
    void rfc7578Section4_2FilenameStarIsReadOnlyWhenNoFilenameCame() {
        String start = "--" + B + "\r\nContent-Disposition: form-data; name=f; ";
        String end = "\r\n\r\nx\r\n--" + B + "--";
        MultipartFeeds.Outcome star = MultipartFeeds.parse(ascii(start + "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.txt" + end),
                B, MultipartFeeds.Mode.WHOLE, 0);
        assertThat(star.parts().get(0).part().fileName()).isEqualTo("r\u00e9sum\u00e9 \"v2\".txt");
        MultipartFeeds.Outcome both = MultipartFeeds.parse(ascii(start + "filename=\"plain.txt\"; filename*=UTF-8''other.txt" + end),
                B, MultipartFeeds.Mode.WHOLE, 0);
        assertThat(both.parts().get(0).part().fileName()).isEqualTo("plain.txt");
        MultipartFeeds.Outcome latin = MultipartFeeds.parse(ascii(start + "filename*=iso-8859-1'fr'caf%E9.txt" + end),
                B, MultipartFeeds.Mode.WHOLE, 0);
        assertThat(latin.parts().get(0).part().fileName()).isEqualTo("caf\u00e9.txt");
        for (String bad : List.of("filename*=UTF-8'x.txt", "filename*=UTF-8''a%2", "filename*=UTF-8''a b",
                "filename*=KOI8-R''x", "filename*=UTF-8''a%zz")) {
            assertThat(MultipartFeeds.parse(ascii(start + bad + end), B, MultipartFeeds.Mode.WHOLE, 0).refusal())
                    .as(bad).startsWith("400 ");
        }
    }

    @Test
    void chromiumsEncodingOfAFileNameIsGivenAsSent() {
        // The HTML standard (and Chromium, Firefox): raw UTF-8, with " CR LF written %22 %0D %0A. Not undone, since a
        // name may hold "%22" itself and the two cannot be told apart.
        byte[] body = ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\u65e5\u672c %22q%22.txt\"\r\n"
                + "\r\nx\r\n--" + B + "--");
        assertThat(MultipartFeeds.parse(body, B, MultipartFeeds.Mode.BYTE_BY_BYTE, 0).parts().get(0).part().fileName())
                .isEqualTo("\u65e5\u672c %22q%22.txt");
    }

    @Test
    void rfc7578Section4_7AContentTransferEncodingThatChangesTheBytesIsRefused() {
        String start = "--" + B + "\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: ";
        String end = "\r\n\r\nx\r\n--" + B + "--";
        assertThat(MultipartFeeds.parse(ascii(start + "base64" + end), B, MultipartFeeds.Mode.WHOLE, 0).refusal()).startsWith("400 ");
        assertThat(MultipartFeeds.parse(ascii(start + "quoted-printable" + end), B, MultipartFeeds.Mode.WHOLE, 0).refusal()).startsWith("400 ");
        assertThat(MultipartFeeds.parse(ascii(start + "8bit" + end), B, MultipartFeeds.Mode.WHOLE, 0).refusal()).isNull();
        assertThat(MultipartFeeds.parse(ascii(start + "Binary" + end), B, MultipartFeeds.Mode.WHOLE, 0).refusal()).isNull();
    }

    @Test
    void aHeaderNameThatIsNotATokenIsRefused() {
        byte[] body = ascii("--" + B + "\r\nContent-Disposition: form-data; name=a\r\nX Y: z\r\n\r\nx\r\n--" + B + "--");
        assertThat(MultipartFeeds.parse(body, B, MultipartFeeds.Mode.WHOLE, 0).refusal()).contains("not a token");
        byte[] space = ascii("--" + B + "\r\nContent-Disposition : form-data; name=a\r\n\r\nx\r\n--" + B + "--");
        assertThat(MultipartFeeds.parse(space, B, MultipartFeeds.Mode.WHOLE, 0).refusal()).contains("not a token");
    }

    @Test
    void feedUntilPartStopsRightAfterEachPartStarts() throws Exception {
        byte[] body = browserForm(ascii("data"));
        List<String> events = new java.util.ArrayList<>();
        MultipartParser parser = new MultipartParser(B, new MultipartParser.Sink() {
            @Override public void partStart(MultipartParser.Part p) { events.add("start " + p.name()); }
            @Override public void partData(byte[] b, int off, int len) { events.add("data"); }
            @Override public void partEnd() { events.add("end"); }
        });
        int i = 0;
        List<Integer> stops = new java.util.ArrayList<>();
        while (i < body.length) {
            int n = parser.feedUntilPart(body, i, body.length - i);
            i += n;
            if (i < body.length) stops.add(i);
        }
        parser.finish();
        assertThat(stops).hasSize(2);
        assertThat(new String(body, 0, stops.get(0), StandardCharsets.UTF_8)).endsWith("name=\"path\"\r\n\r\n");
        assertThat(events).containsExactly("start path", "data", "end", "start files", "data", "end");
    }

    @Test
    void aBackslashInAFileNameIsKeptAsBrowsersAndCurlSendIt() {
        // The HTML standard escapes only " CR LF (as %22 %0D %0A); a backslash goes raw, as from curl: filename="a\b.txt".
        // Only a backslash before a tspecial (RFC 2045 §5.1: " and \ among them) is a quoted-pair, as Go reads it.
        String[][] cases = {
            {"a\\b.txt", "a\\b.txt"},
            {"C:\\Users\\me\\f.txt", "C:\\Users\\me\\f.txt"},
            {"a \\\"q\\\".txt", "a \"q\".txt"},
            {"two\\\\one", "two\\one"},
        };
        for (String[] c : cases) {
            byte[] body = ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"" + c[0] + "\"\r\n\r\nx\r\n--" + B + "--");
            MultipartFeeds.Outcome o = MultipartFeeds.parse(body, B, MultipartFeeds.Mode.WHOLE, 0);
            assertThat(o.refusal()).as(c[0]).isNull();
            assertThat(o.parts().get(0).part().fileName()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void aParameterGivenTwiceIsRefusedRatherThanOneOfThemChosen() {
        // Two boundaries, or two names for a part, are read one way by one parser and the other way by the next (a
        // filter in front): the way multipart bodies are smuggled past inspection.
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=a; boundary=b")).isNull();
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=a; BOUNDARY=a")).isNull();
        assertThat(MultipartParser.isFormData("multipart/form-data; boundary=a; boundary=b")).isTrue();
        for (String disposition : List.of("name=a; name=b", "name=a; filename=x; filename=y", "name=a; filename*=UTF-8''x; Filename*=UTF-8''y")) {
            byte[] body = ascii("--" + B + "\r\nContent-Disposition: form-data; " + disposition + "\r\n\r\nx\r\n--" + B + "--");
            assertThat(MultipartFeeds.parse(body, B, MultipartFeeds.Mode.WHOLE, 0).refusal()).as(disposition)
                    .startsWith("400 ").contains("twice");
        }
    }
}
