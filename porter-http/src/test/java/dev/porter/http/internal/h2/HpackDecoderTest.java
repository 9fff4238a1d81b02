package dev.porter.http.internal.h2;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.porter.http.internal.h2.H2Bytes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HpackDecoder} against RFC 7541: every example of Appendix C decoded exactly (fields and dynamic table
 * after each block), and each decoding error of §2.3.3, §4.2, §5.1, §5.2 and §6; plus the header list limit
 * (RFC 9113 §6.5.2, §10.5.1).
 */
class HpackDecoderTest {

    static final int UNLIMITED = Integer.MAX_VALUE;

    /** Decodes one block into "name: value" lines. */
    static List<String> decode(HpackDecoder d, byte[] block) {
        List<String> fields = new ArrayList<>();
        d.decode(block, 0, block.length, 1, (n, v) -> fields.add(n + ": " + v));
        return fields;
    }

    static List<String> decode(HpackDecoder d, String hex) {
        return decode(d, hex(hex));
    }

    static void rejects(HpackDecoder d, byte[] block) {
        assertThatThrownBy(() -> decode(d, block)).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.isConnectionError()).as("%s", e).isTrue();
            assertThat(e.error()).isEqualTo(Http2Error.COMPRESSION_ERROR);
            assertThat(e.headerListTooLarge()).isFalse();
        });
    }

    static void rejects(byte[] block) {
        rejects(new HpackDecoder(4096, UNLIMITED), block);
    }

    static String table(String... lines) {
        return String.join("\n", lines);
    }

    // C.1 Integer representation: the 5-bit prefix of a size update (§6.3) carries C.1.1 and C.1.2 exactly.

    @Test
    void rfc7541_C_1_1_integerWithinThePrefix() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        assertThat(decode(d, bytes(0x20 | 10))).isEmpty();
        assertThat(d.tableMaxSize()).isEqualTo(10);
    }

    @Test
    void rfc7541_C_1_2_integerBeyondThePrefix() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        assertThat(decode(d, bytes(0x20 | 0x1f, 0x9a, 0x0a))).isEmpty();
        assertThat(d.tableMaxSize()).isEqualTo(1337);
    }

    // C.2 Header field representation examples

    @Test
    void rfc7541_C_2_1_literalWithIndexing() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        assertThat(decode(d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))
                .containsExactly("custom-key: custom-header");
        assertThat(d.toString()).isEqualTo(table("[  1] (s =  55) custom-key: custom-header", "      Table size:  55"));
    }

    @Test
    void rfc7541_C_2_2_literalWithoutIndexing() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        assertThat(decode(d, "040c 2f73 616d 706c 652f 7061 7468")).containsExactly(":path: /sample/path");
        assertThat(d.tableLength()).isZero();
    }

    @Test
    void rfc7541_C_2_3_literalNeverIndexed() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        assertThat(decode(d, "1008 7061 7373 776f 7264 0673 6563 7265 74")).containsExactly("password: secret");
        assertThat(d.tableLength()).isZero();
    }

    @Test
    void rfc7541_C_2_4_indexedField() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        assertThat(decode(d, "82")).containsExactly(":method: GET");
        assertThat(d.tableLength()).isZero();
    }

    // C.3 and C.4: three requests on one connection, without and with Huffman coding

    static final String[] C3 = {
            "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "8286 84be 5808 6e6f 2d63 6163 6865",
            "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"};
    static final String[] C4 = {
            "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            "8286 84be 5886 a8eb 1064 9cbf",
            "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"};
    static final List<List<String>> REQUESTS = List.of(
            List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"),
            List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com",
                    "cache-control: no-cache"),
            List.of(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                    "custom-key: custom-value"));
    static final String[] REQUEST_TABLES = {
            table("[  1] (s =  57) :authority: www.example.com", "      Table size:  57"),
            table("[  1] (s =  53) cache-control: no-cache", "[  2] (s =  57) :authority: www.example.com",
                    "      Table size: 110"),
            table("[  1] (s =  54) custom-key: custom-value", "[  2] (s =  53) cache-control: no-cache",
                    "[  3] (s =  57) :authority: www.example.com", "      Table size: 164")};

    static void requests(String[] blocks) {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        for (int i = 0; i < 3; i++) {
            assertThat(decode(d, blocks[i])).as("request %s", i + 1).isEqualTo(REQUESTS.get(i));
            assertThat(d.toString()).as("table after request %s", i + 1).isEqualTo(REQUEST_TABLES[i]);
        }
    }

    @Test
    void rfc7541_C_3_requestsWithoutHuffman() {
        requests(C3);
    }

    @Test
    void rfc7541_C_4_requestsWithHuffman() {
        requests(C4);
    }

    // C.5 and C.6: three responses with a 256-byte table, evicting

    static final String[] C5 = {
            "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32"
                    + " 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "4803 3330 37c1 c0bf",
            "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970"
                    + " 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d"
                    + " 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"};
    static final String[] C6 = {
            "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad"
                    + " 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            "4883 640e ffc1 c0bf",
            "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2"
                    + " e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106"
                    + " 3d50 07"};
    static final List<List<String>> RESPONSES = List.of(
            List.of(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                    "location: https://www.example.com"),
            List.of(":status: 307", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                    "location: https://www.example.com"),
            List.of(":status: 200", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:22 GMT",
                    "location: https://www.example.com", "content-encoding: gzip",
                    "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));
    static final String[] RESPONSE_TABLES = {
            table("[  1] (s =  63) location: https://www.example.com",
                    "[  2] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT", "[  3] (s =  52) cache-control: private",
                    "[  4] (s =  42) :status: 302", "      Table size: 222"),
            table("[  1] (s =  42) :status: 307", "[  2] (s =  63) location: https://www.example.com",
                    "[  3] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT", "[  4] (s =  52) cache-control: private",
                    "      Table size: 222"),
            table("[  1] (s =  98) set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                    "[  2] (s =  52) content-encoding: gzip", "[  3] (s =  65) date: Mon, 21 Oct 2013 20:13:22 GMT",
                    "      Table size: 215")};

    static void responses(String[] blocks) {
        HpackDecoder d = new HpackDecoder(256, UNLIMITED);
        for (int i = 0; i < 3; i++) {
            assertThat(decode(d, blocks[i])).as("response %s", i + 1).isEqualTo(RESPONSES.get(i));
            assertThat(d.toString()).as("table after response %s", i + 1).isEqualTo(RESPONSE_TABLES[i]);
        }
    }

    @Test
    void rfc7541_C_5_responsesWithoutHuffman() {
        responses(C5);
    }

    @Test
    void rfc7541_C_6_responsesWithHuffman() {
        responses(C6);
    }

    // Errors

    @Test
    void rfc7541_6_1_indexZeroIsAnError() {
        rejects(bytes(0x80));
    }

    @Test
    void rfc7541_2_3_3_indexPastBothTablesIsAnError() {
        rejects(bytes(0xbe)); // 62, dynamic table empty
        rejects(bytes(0x7e, 0x01, 'x')); // literal with the name of entry 62
        rejects(bytes(0x0f, 0x2f, 0x01, 'x')); // without indexing, name index 15 + 47 = 62
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        decode(d, C3[0]);
        assertThat(decode(d, "be")).containsExactly(":authority: www.example.com");
        rejects(d, bytes(0xbf));
    }

    @Test
    void rfc7541_5_1_integerAbove2To31Minus1IsAnError() {
        rejects(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x07)); // 127 + 2^31 - 1 + ...
        rejects(bytes(0xff, 0x80, 0xff, 0xff, 0xff, 0x0f));
        // 2^31 - 1 exactly is a valid integer (then an index past the tables).
        rejects(bytes(0xff, 0x80, 0xff, 0xff, 0xff, 0x07));
    }

    @Test
    void rfc7541_5_1_integerWithTooManyContinuationBytesIsAnError() {
        rejects(bytes(0x3f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
        // Leading zero groups within five continuation bytes are still an integer: 31 + 0 = size update to 31.
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        decode(d, bytes(0x3f, 0x80, 0x80, 0x80, 0x80, 0x00));
        assertThat(d.tableMaxSize()).isEqualTo(31);
    }

    @Test
    void rfc7541_5_1_integerCutByTheEndOfTheBlockIsAnError() {
        rejects(bytes(0xff));
        rejects(bytes(0xff, 0x80));
        rejects(bytes(0x40, 0x7f));
    }

    @Test
    void rfc7541_5_2_stringPastTheEndOfTheBlockIsAnError() {
        rejects(bytes(0x40, 0x05, 'a', 'b'));
        rejects(bytes(0x40, 0x01, 'a', 0x02, 'b'));
        rejects(bytes(0x40));
        rejects(bytes(0x41));
        rejects(bytes(0x40, 0x7f, 0xff, 0xff, 0xff, 0x07));
    }

    @Test
    void rfc7541_5_2_badHuffmanInALiteralIsAnError() {
        rejects(bytes(0x41, 0x81, 0xff)); // padding of 8 bits
        rejects(bytes(0x41, 0x81, 0x18)); // padding not all ones
        rejects(bytes(0x01, 0x84, 0xff, 0xff, 0xff, 0xff)); // EOS
        rejects(bytes(0x10, 0x81, 0xff, 0x00)); // in a never-indexed name
    }

    @Test
    void rfc7541_4_2_sizeUpdateAfterAFieldIsAnError() {
        rejects(bytes(0x82, 0x20));
        rejects(bytes(0x82, 0x3f, 0xe1, 0x1f));
    }

    @Test
    void rfc7541_6_3_sizeUpdateAboveTheSettingIsAnError() {
        byte[] b = new byte[8];
        int end = HpackEncoder.writeInt(b, 0, 0x20, 5, 4097);
        rejects(java.util.Arrays.copyOf(b, end));
        HpackDecoder d = new HpackDecoder(100, UNLIMITED);
        rejects(d, bytes(0x3f, 0x46)); // 31 + 70 = 101
    }

    @Test
    void rfc7541_4_2_sizeUpdatesAtTheStartOfABlockAreApplied() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        decode(d, C3[0]);
        decode(d, C3[1]);
        assertThat(d.tableLength()).isEqualTo(2);
        // To 0 (evicting all) then back to 4096, then a field: as after a setting lowered and raised (§4.2).
        assertThat(decode(d, bytes(0x20, 0x3f, 0xe1, 0x1f, 0x82))).containsExactly(":method: GET");
        assertThat(d.tableLength()).isZero();
        assertThat(d.tableMaxSize()).isEqualTo(4096);
        rejects(d, bytes(0xbe));
    }

    @Test
    void rfc7541_4_3_smallerMaximumEvictsOldestEntries() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        for (String block : C3) decode(d, block);
        assertThat(d.tableSize()).isEqualTo(164);
        decode(d, bytes(0x3f, 0x5b)); // 31 + 91 = 122: keeps the two newest (54 + 53 = 107)
        assertThat(d.toString()).isEqualTo(table("[  1] (s =  54) custom-key: custom-value",
                "[  2] (s =  53) cache-control: no-cache", "      Table size: 107"));
    }

    @Test
    void rfc7541_4_4_entryLargerThanTheTableEmptiesIt() {
        HpackDecoder d = new HpackDecoder(64, UNLIMITED);
        decode(d, bytes(0x40, 0x01, 'a', 0x01, 'b'));
        assertThat(d.tableSize()).isEqualTo(34);
        byte[] big = concat(bytes(0x40, 0x01, 'n', 0x20), new byte[32]);
        assertThat(decode(d, big)).hasSize(1);
        assertThat(d.tableLength()).isZero();
        assertThat(d.tableSize()).isZero();
    }

    @Test
    void rfc7541_4_2_aLoweredLimitRequiresASizeUpdateFirst() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        decode(d, C3[0]);
        d.maxTableSize(100);
        rejects(d, bytes(0x82));
        HpackDecoder ok = new HpackDecoder(4096, UNLIMITED);
        decode(ok, C3[0]);
        ok.maxTableSize(100);
        rejects(ok, bytes(0x3f, 0x46)); // 101, above the new limit
        HpackDecoder fine = new HpackDecoder(4096, UNLIMITED);
        decode(fine, C3[0]);
        fine.maxTableSize(100);
        assertThat(decode(fine, bytes(0x3f, 0x45, 0xbe))).containsExactly(":authority: www.example.com");
        assertThat(decode(fine, bytes(0x82))).as("required once only").containsExactly(":method: GET");
        // Raising the limit requires nothing.
        fine.maxTableSize(8192);
        assertThat(decode(fine, bytes(0x82))).hasSize(1);
    }

    // Header list size (RFC 9113 §6.5.2, §10.5.1)

    @Test
    void rfc9113_6_5_2_headerListSizeIsNamePlusValuePlus32PerField() {
        // :method GET = 7 + 3 + 32 = 42; :path / = 5 + 1 + 32 = 38.
        assertThat(decode(new HpackDecoder(4096, 80), bytes(0x82, 0x84))).hasSize(2);
        HpackDecoder d = new HpackDecoder(4096, 79);
        List<String> got = new ArrayList<>();
        assertThatThrownBy(() -> d.decode(bytes(0x82, 0x84), 0, 2, 7, (n, v) -> got.add(n)))
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e.headerListTooLarge()).isTrue();
                    assertThat(e.isConnectionError()).isFalse();
                    assertThat(e.streamId()).isEqualTo(7);
                    assertThat(e.error()).isEqualTo(Http2Error.PROTOCOL_ERROR);
                });
        assertThat(got).containsExactly(":method");
        HpackDecoder check = new HpackDecoder(4096, 80);
        decode(check, bytes(0x82, 0x84));
        assertThat(check.lastHeaderListSize()).isEqualTo(80);
    }

    @Test
    void rfc9113_10_5_1_hpackBombStopsAtTheLimitAndKeepsTheTableInStep() {
        // One 4000-byte value in the table, then 2000 one-byte references to it, then a new literal indexed, then
        // literals without and never indexed (checked, not output).
        byte[] insert = new byte[4010];
        int p = HpackEncoder.writeInt(insert, 0, 0x40, 6, 0);
        insert[p++] = 1;
        insert[p++] = 'x';
        p = HpackEncoder.writeInt(insert, p, 0x00, 7, 4000);
        java.util.Arrays.fill(insert, p, p + 4000, (byte) 'v');
        byte[] block = concat(java.util.Arrays.copyOf(insert, p + 4000), new byte[2000],
                bytes(0x40, 0x01, 'y', 0x01, 'z'), bytes(0x00, 0x01, 'w', 0x81, 0x1f), bytes(0x10, 0x01, 'u', 0x00));
        java.util.Arrays.fill(block, p + 4000, p + 6000, (byte) 0xbe);
        int limit = 16384;
        HpackDecoder d = new HpackDecoder(8192, limit);
        long[] total = {0};
        List<String> names = new ArrayList<>();
        assertThatThrownBy(() -> d.decode(block, 0, block.length, 3, (n, v) -> {
            total[0] += n.length() + v.length() + 32;
            names.add(n);
        })).isInstanceOfSatisfying(Http2Exception.class, e -> assertThat(e.headerListTooLarge()).isTrue());
        assertThat(total[0]).isLessThanOrEqualTo(limit);
        assertThat(names).hasSize(4).containsOnly("x"); // 4 x 4033 bytes within 16384
        // The whole block was processed: "y: z" is the newest entry, so the connection goes on in step.
        assertThat(decode(d, "be bf")).containsExactly("y: z", "x: " + "v".repeat(4000));
    }

    @Test
    void theDecoderGoesOnAfterAStreamLevelRefusal() {
        HpackDecoder d = new HpackDecoder(4096, 60);
        assertThatThrownBy(() -> decode(d, C3[0])).isInstanceOf(Http2Exception.class);
        assertThat(d.tableLength()).isEqualTo(1);
        assertThat(decode(d, "be")).containsExactly(":authority: www.example.com");
    }

    // Literals never indexed are sent again and again (nghttp2 and browsers send :path so): the decoder reuses what
    // the same bytes decoded to, which must never hand out another literal's string.

    @Test
    void repeatedLiteralsDecodeTheSameWhateverCameBetween() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        // §6.2.2 literal without indexing, name :path (static index 4), raw value.
        byte[] plaintext = concat(bytes(0x04, 10), "/plaintext".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        byte[] sameLength = concat(bytes(0x04, 10), "/plaintexx".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(decode(d, plaintext)).containsExactly(":path: /plaintext");
        assertThat(decode(d, plaintext)).containsExactly(":path: /plaintext");
        assertThat(decode(d, sameLength)).containsExactly(":path: /plaintexx");
        for (int i = 0; i < 6; i++) {
            String v = "/p" + i;
            assertThat(decode(d, concat(bytes(0x04, v.length()), v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))))
                    .containsExactly(":path: " + v);
        }
        assertThat(decode(d, plaintext)).containsExactly(":path: /plaintext");
        assertThat(decode(d, sameLength)).containsExactly(":path: /plaintexx");
    }

    @Test
    void theSameBytesHuffmanCodedOrNotAreDifferentStrings() {
        HpackDecoder d = new HpackDecoder(4096, UNLIMITED);
        // C.4.1's Huffman coding of "www.example.com", as :authority (static index 1) without indexing.
        byte[] coded = hex("f1e3c2e5f23a6ba0ab90f4ff");
        assertThat(decode(d, concat(bytes(0x01, 0x80 | coded.length), coded))).containsExactly(":authority: www.example.com");
        assertThat(decode(d, concat(bytes(0x01, coded.length), coded)))
                .containsExactly(":authority: " + new String(coded, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(decode(d, concat(bytes(0x01, 0x80 | coded.length), coded))).containsExactly(":authority: www.example.com");
    }
}
