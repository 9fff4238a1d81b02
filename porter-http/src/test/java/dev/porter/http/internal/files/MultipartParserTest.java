package dev.porter.http.internal.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MultipartParser}: what browsers and curl send, split every way, and what it refuses. */
class MultipartParserTest {

    static final String B = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

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
        assertThat(o.parts().get(0).part()).isEqualTo(new MultipartParser.Part("path", null, null));
        assertThat(o.parts().get(0).data()).isEqualTo(ascii("sub/"));
        assertThat(o.parts().get(1).part()).isEqualTo(new MultipartParser.Part("files", "r\u00e9sum\u00e9 1.txt", "text/plain"));
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
        assertThat(o.parts().get(0).part()).isEqualTo(new MultipartParser.Part("f", "a \"q\".txt", null));
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
}
