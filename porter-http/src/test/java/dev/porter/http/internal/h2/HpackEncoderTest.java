package dev.porter.http.internal.h2;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.porter.http.internal.h2.H2Bytes.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HpackEncoder}: the exact vectors of RFC 7541 Appendix C where its policy makes the same choices as the
 * examples (all of C.1–C.4, the first two responses of C.5 and C.6), round trips through {@link HpackDecoder}
 * everywhere else, its indexing policy (§7.1.3) and its size updates (§4.2, §6.3).
 */
class HpackEncoderTest {

    /** Encodes one block of "name: value" lines. */
    static byte[] encode(HpackEncoder e, List<String> fields) {
        int room = HpackEncoder.MAX_START_LENGTH;
        for (String f : fields) room += f.length() + 16;
        byte[] b = new byte[room + 3];
        int p = e.startBlock(b, 3);
        for (String f : fields) {
            int colon = f.indexOf(": ", 1);
            String name = f.substring(0, colon);
            String value = f.substring(colon + 2);
            int before = p;
            p = e.field(b, p, name, value);
            assertThat(p - before).isLessThanOrEqualTo(HpackEncoder.maxFieldLength(name, value));
        }
        return Arrays.copyOfRange(b, 3, p);
    }

    static List<String> split(String... fields) {
        return List.of(fields);
    }

    @Test
    void rfc7541_C_1_integerRepresentation() {
        byte[] b = new byte[8];
        assertThat(HpackEncoder.writeInt(b, 0, 0, 5, 10)).isEqualTo(1);
        assertThat(b[0]).isEqualTo((byte) 0x0a);
        assertThat(HpackEncoder.writeInt(b, 0, 0, 5, 1337)).isEqualTo(3);
        assertThat(rfcHex(b, 0, 3)).isEqualTo("1f9a 0a");
        assertThat(HpackEncoder.writeInt(b, 0, 0, 8, 42)).isEqualTo(1);
        assertThat(b[0]).isEqualTo((byte) 0x2a);
        assertThat(HpackEncoder.writeInt(b, 0, 0xe0, 5, 31)).isEqualTo(2);
        assertThat(rfcHex(b, 0, 2)).as("the prefix's maximum, then 0").isEqualTo("ff00");
        assertThat(HpackEncoder.writeInt(b, 0, 0, 7, Integer.MAX_VALUE)).isEqualTo(6);
    }

    @Test
    void rfc7541_C_2_1_literalWithIndexing() {
        HpackEncoder e = new HpackEncoder(4096, false);
        assertThat(rfcHex(encode(e, split("custom-key: custom-header"))))
                .isEqualTo("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        assertThat(e.toString()).isEqualTo(HpackDecoderTest.table("[  1] (s =  55) custom-key: custom-header",
                "      Table size:  55"));
    }

    @Test
    void rfc7541_C_2_2_literalWithoutIndexing() {
        HpackEncoder e = new HpackEncoder(4096, false);
        assertThat(rfcHex(encode(e, split(":path: /sample/path")))).isEqualTo("040c 2f73 616d 706c 652f 7061 7468");
        assertThat(e.tableLength()).isZero();
    }

    @Test
    void rfc7541_C_2_3_literalNeverIndexed() {
        HpackEncoder e = new HpackEncoder(4096, false);
        byte[] b = new byte[32];
        int end = e.field(b, 0, "password", "secret", true);
        assertThat(rfcHex(b, 0, end)).isEqualTo("1008 7061 7373 776f 7264 0673 6563 7265 74");
        assertThat(e.tableLength()).isZero();
    }

    @Test
    void rfc7541_C_2_4_indexedField() {
        assertThat(rfcHex(encode(new HpackEncoder(4096), split(":method: GET")))).isEqualTo("82");
    }

    static void requests(boolean huffman, String[] expected) {
        HpackEncoder e = new HpackEncoder(4096, huffman);
        HpackDecoder d = new HpackDecoder(4096, Integer.MAX_VALUE);
        for (int i = 0; i < 3; i++) {
            byte[] block = encode(e, HpackDecoderTest.REQUESTS.get(i));
            assertThat(rfcHex(block)).as("request %s", i + 1).isEqualTo(expected[i]);
            assertThat(e.toString()).isEqualTo(HpackDecoderTest.REQUEST_TABLES[i]);
            assertThat(HpackDecoderTest.decode(d, block)).isEqualTo(HpackDecoderTest.REQUESTS.get(i));
        }
    }

    @Test
    void rfc7541_C_3_requestsWithoutHuffman() {
        requests(false, HpackDecoderTest.C3);
    }

    @Test
    void rfc7541_C_4_requestsWithHuffman() {
        requests(true, HpackDecoderTest.C4);
    }

    /**
     * The first two responses are exact; the third differs only from set-cookie on, which the examples index and
     * this encoder never indexes (§7.1.3): its bytes up to there are exact, and the whole decodes as expected.
     */
    static void responses(boolean huffman, String[] expected, String setCookieInExample) {
        HpackEncoder e = new HpackEncoder(256, huffman);
        HpackDecoder d = new HpackDecoder(256, Integer.MAX_VALUE);
        for (int i = 0; i < 3; i++) {
            byte[] block = encode(e, HpackDecoderTest.RESPONSES.get(i));
            String hex = rfcHex(block);
            if (i < 2) {
                assertThat(hex).as("response %s", i + 1).isEqualTo(expected[i]);
                assertThat(e.toString()).isEqualTo(HpackDecoderTest.RESPONSE_TABLES[i]);
            } else {
                String sameUntil = expected[i].replace(" ", "").substring(0,
                        expected[i].replace(" ", "").indexOf(setCookieInExample));
                assertThat(hex.replace(" ", "")).startsWith(sameUntil);
                // set-cookie: never indexed (0001), name index 55 = 15 + 40.
                assertThat(hex.replace(" ", "").substring(sameUntil.length())).startsWith("1f28");
            }
            assertThat(HpackDecoderTest.decode(d, block)).isEqualTo(HpackDecoderTest.RESPONSES.get(i));
        }
        assertThat(e.toString()).as("set-cookie not in the table")
                .isEqualTo(HpackDecoderTest.table("[  1] (s =  52) content-encoding: gzip",
                        "[  2] (s =  65) date: Mon, 21 Oct 2013 20:13:22 GMT",
                        "[  3] (s =  42) :status: 307", "[  4] (s =  63) location: https://www.example.com",
                        "      Table size: 222"));
        assertThat(d.toString()).isEqualTo(e.toString());
    }

    @Test
    void rfc7541_C_5_responsesWithoutHuffman() {
        responses(false, HpackDecoderTest.C5, "7738");
    }

    @Test
    void rfc7541_C_6_responsesWithHuffman() {
        responses(true, HpackDecoderTest.C6, "77ad");
    }

    // Policy (§7.1.3)

    @Test
    void rfc7541_7_1_3_sensitiveFieldsAreNeverIndexed() {
        HpackEncoder e = new HpackEncoder(4096, false);
        for (String f : List.of("authorization: Basic dXNlcjpwYXNz", "proxy-authorization: Bearer x",
                "set-cookie: id=1; Secure", "cookie: short=1")) {
            byte[] block = encode(e, List.of(f));
            assertThat(block[0] & 0xf0).as(f).isEqualTo(0x10);
        }
        assertThat(e.tableLength()).isZero();
        byte[] longCookie = encode(e, List.of("cookie: session=0123456789abcdefghij"));
        assertThat(longCookie[0] & 0xc0).as("a long cookie is indexed").isEqualTo(0x40);
        assertThat(e.tableLength()).isEqualTo(1);
        assertThat(encode(e, List.of("cookie: session=0123456789abcdefghij"))).containsExactly(0xbe);
    }

    @Test
    void rfc7541_6_2_2_changingFieldsAreNotIndexed() {
        HpackEncoder e = new HpackEncoder(4096, true);
        for (String f : List.of(":path: /a/b?c=d", "content-length: 1234", "etag: \"abc\"",
                "last-modified: Mon, 21 Oct 2013 20:13:21 GMT")) {
            assertThat(encode(e, List.of(f))[0] & 0xf0).as(f).isEqualTo(0x00);
        }
        assertThat(e.tableLength()).isZero();
    }

    @Test
    void rfc7541_6_1_repeatedFieldsBecomeOneByte() {
        HpackEncoder e = new HpackEncoder(4096);
        List<String> response = List.of(":status: 200", "content-type: text/plain", "server: porter");
        assertThat(encode(e, response).length).isGreaterThan(3);
        assertThat(encode(e, response)).containsExactly(0x88, 0xbf, 0xbe);
    }

    @Test
    void entriesOverThreeQuartersOfTheTableAreNotIndexed() {
        HpackEncoder e = new HpackEncoder(256, false);
        encode(e, List.of("x-small: 1"));
        byte[] block = encode(e, List.of("x-big: " + "v".repeat(170))); // 5 + 170 + 32 = 207 > 192
        assertThat(block[0] & 0xf0).isEqualTo(0x00);
        assertThat(e.tableLength()).as("the table was not flushed").isEqualTo(1);
    }

    @Test
    void huffmanUnlessLonger() {
        HpackEncoder e = new HpackEncoder(4096, true);
        // '{' is 15 bits long in Huffman: longer, so raw.
        byte[] block = encode(e, List.of("x-a: {{{{"));
        assertThat(rfcHex(block).replace(" ", "")).endsWith("047b7b7b7b");
        // '&' is 8 bits: a tie, coded as the RFC's examples do ("307" in C.6.2).
        byte[] tie = encode(e, List.of("x-c: &&&&"));
        assertThat(rfcHex(tie).replace(" ", "")).endsWith("84f8f8f8f8");
        byte[] lower = encode(e, List.of("x-b: aaaa"));
        assertThat(lower[lower.length - 4] & 0x80).as("Huffman flag of the value").isEqualTo(0x80);
    }

    // Size updates (§4.2, §6.3)

    @Test
    void rfc7541_4_2_peerLoweringItsLimitIsSignalledAtTheNextBlock() {
        HpackEncoder e = new HpackEncoder(4096, false);
        HpackDecoder d = new HpackDecoder(4096, Integer.MAX_VALUE);
        HpackDecoderTest.decode(d, encode(e, List.of("x-a: 1", "x-b: 2")));
        e.peerMaxTableSize(0);
        d.maxTableSize(0);
        assertThat(e.tableLength()).isZero();
        byte[] block = encode(e, List.of("x-a: 1"));
        assertThat(rfcHex(block)).startsWith("2000");
        assertThat(HpackDecoderTest.decode(d, block)).containsExactly("x-a: 1");
        assertThat(e.tableLength()).isZero();
        assertThat(encode(e, List.of("x-a: 1"))[0]).as("only once").isEqualTo((byte) 0x00);
    }

    @Test
    void rfc7541_4_2_lowestThenFinalSizeWhenTheLimitChangedTwice() {
        HpackEncoder e = new HpackEncoder(4096, false);
        HpackDecoder d = new HpackDecoder(4096, Integer.MAX_VALUE);
        HpackDecoderTest.decode(d, encode(e, List.of("x-a: 1")));
        e.peerMaxTableSize(100);
        e.peerMaxTableSize(4096);
        d.maxTableSize(100);
        d.maxTableSize(4096);
        byte[] block = encode(e, List.of("x-a: 1"));
        assertThat(rfcHex(block)).startsWith("3f45 3fe1 1f"); // 100, then 4096
        assertThat(HpackDecoderTest.decode(d, block)).containsExactly("x-a: 1");
        assertThat(d.toString()).isEqualTo(e.toString());
    }

    @Test
    void rfc7541_4_2_growingTheTableIsSignalledAndAboveOurCapIsNot() {
        HpackEncoder capped = new HpackEncoder(4096);
        capped.peerMaxTableSize(65536);
        assertThat(capped.capacity()).isEqualTo(4096);
        assertThat(encode(capped, List.of(":method: GET"))).containsExactly(0x82);
        HpackEncoder big = new HpackEncoder(16384);
        assertThat(big.capacity()).isEqualTo(4096);
        big.peerMaxTableSize(65536);
        assertThat(rfcHex(encode(big, List.of(":method: GET")))).isEqualTo("3fe1 7f82"); // 16384
        HpackEncoder small = new HpackEncoder(256);
        assertThat(encode(small, List.of(":method: GET"))).as("a smaller table needs no update").containsExactly(0x82);
    }

    @Test
    void roundTripsOverManyBlocksWithChangingLimits() {
        Random r = new Random(11);
        String[] names = {":method", ":path", ":status", "content-type", "cookie", "set-cookie", "x-custom",
                "accept-encoding", "authorization", "date", "x-" + "n".repeat(40)};
        for (int round = 0; round < 20; round++) {
            HpackEncoder e = new HpackEncoder(r.nextBoolean() ? 4096 : 256, r.nextBoolean());
            HpackDecoder d = new HpackDecoder(4096, Integer.MAX_VALUE);
            for (int block = 0; block < 40; block++) {
                if (r.nextInt(8) == 0) {
                    int limit = new int[] {0, 64, 256, 1024, 4096}[r.nextInt(5)];
                    d.maxTableSize(limit);
                    e.peerMaxTableSize(limit);
                }
                List<String> fields = new ArrayList<>();
                for (int i = r.nextInt(10); i > 0; i--) {
                    String value = r.nextInt(3) == 0 ? "gzip, deflate" : Integer.toString(r.nextInt(20))
                            + "v".repeat(r.nextInt(3) == 0 ? r.nextInt(300) : 0);
                    fields.add(names[r.nextInt(names.length)] + ": " + value);
                }
                assertThat(HpackDecoderTest.decode(d, encode(e, fields))).isEqualTo(fields);
                assertThat(d.tableSize()).isGreaterThanOrEqualTo(e.tableSize());
            }
        }
    }
}
