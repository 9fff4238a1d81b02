package dev.porter.http.internal.h2;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.porter.http.internal.h2.H2Bytes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Huffman}: the code of RFC 7541 Appendix B both ways, and the decoding errors of §5.2. */
class HuffmanTest {

    /** Every Huffman-coded string of RFC 7541 Appendix C.4 and C.6, with its code. */
    static final String[][] EXAMPLES = {
            {"www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"},
            {"no-cache", "a8eb 1064 9cbf"},
            {"custom-key", "25a8 49e9 5ba9 7d7f"},
            {"custom-value", "25a8 49e9 5bb8 e8b4 bf"},
            {"302", "6402"},
            {"private", "aec3 771a 4b"},
            {"Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"},
            {"https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"},
            {"307", "640e ff"},
            {"Mon, 21 Oct 2013 20:13:22 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"},
            {"gzip", "9bd9 ab"},
            {"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                    "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed"
                            + " 4ee5 b106 3d50 07"},
    };

    static byte[] encode(byte[] s) {
        byte[] out = new byte[Huffman.encodedLength(s, 0, s.length) + 2];
        int end = Huffman.encode(s, 0, s.length, out, 1);
        assertThat(end - 1).isEqualTo(Huffman.encodedLength(s, 0, s.length));
        return Arrays.copyOfRange(out, 1, end);
    }

    static byte[] decode(byte[] code) {
        byte[] out = new byte[Huffman.maxDecodedLength(code.length) + 1];
        int n = Huffman.decode(code, 0, code.length, out, 1);
        return Arrays.copyOfRange(out, 1, 1 + n);
    }

    static void rejects(byte[] code) {
        assertThatThrownBy(() -> decode(code)).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.isConnectionError()).isTrue();
            assertThat(e.error()).isEqualTo(Http2Error.COMPRESSION_ERROR);
        });
    }

    @Test
    void rfc7541_C_4_and_C_6_huffmanStringsOfTheExamples() {
        for (String[] example : EXAMPLES) {
            byte[] plain = example[0].getBytes(StandardCharsets.ISO_8859_1);
            byte[] code = hex(example[1]);
            assertThat(rfcHex(encode(plain))).as(example[0]).isEqualTo(example[1]);
            byte[] fromString = new byte[code.length];
            assertThat(Huffman.encode(example[0], fromString, 0)).isEqualTo(code.length);
            assertThat(fromString).isEqualTo(code);
            assertThat(Huffman.encodedLength(example[0])).isEqualTo(code.length);
            assertThat(new String(decode(code), StandardCharsets.ISO_8859_1)).isEqualTo(example[0]);
        }
    }

    @Test
    void rfc7541_B_everySymbolAloneAndInPairsRoundTrips() {
        for (int a = 0; a < 256; a++) {
            byte[] one = {(byte) a};
            assertThat(decode(encode(one))).isEqualTo(one);
            for (int b = 0; b < 256; b += 7) {
                byte[] two = {(byte) a, (byte) b};
                assertThat(decode(encode(two))).isEqualTo(two);
            }
        }
        assertThat(encode(new byte[0])).isEmpty();
        assertThat(decode(new byte[0])).isEmpty();
    }

    @Test
    void rfc7541_B_randomStringsRoundTrip() {
        Random r = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] s = new byte[r.nextInt(200)];
            if (i % 2 == 0) {
                r.nextBytes(s);
            } else {
                for (int j = 0; j < s.length; j++) s[j] = (byte) (0x20 + r.nextInt(0x5f));
            }
            byte[] code = encode(s);
            assertThat(decode(code)).isEqualTo(s);
            assertThat(Huffman.maxDecodedLength(code.length)).isGreaterThanOrEqualTo(s.length);
        }
    }

    @Test
    void rfc7541_5_2_paddingOfUpTo7OneBitsIsAccepted() {
        // 'a' is 00011 (5 bits): padded with three 1s. '0' is 00000, '&' is 11111000 (8 bits, no padding).
        assertThat(decode(bytes(0x1f))).isEqualTo(bytes('a'));
        assertThat(decode(bytes(0xf8))).isEqualTo(bytes('&'));
        assertThat(decode(bytes(0x00, 0x3f))).as("00000 00000 then 6 ones").isEqualTo(bytes('0', '0'));
        assertThat(decode(bytes(0x00, 0x7f))).as("00000 00001 then 6 ones").isEqualTo(bytes('0', '1'));
    }

    @Test
    void rfc7541_5_2_paddingLongerThan7BitsIsAnError() {
        rejects(bytes(0xff));
        rejects(bytes(0x1f, 0xff));
        rejects(bytes(0xff, 0xff));
    }

    @Test
    void rfc7541_5_2_paddingNotTheEosPrefixIsAnError() {
        rejects(bytes(0x18)); // 'a' then 000
        rejects(bytes(0x1e)); // 'a' then 110
        rejects(bytes(0xfe)); // 7 bits 1111111 then 0: inside a longer code
    }

    @Test
    void rfc7541_5_2_eosInTheStringIsAnError() {
        rejects(bytes(0xff, 0xff, 0xff, 0xff)); // EOS (30 ones) then 2 ones
        rejects(bytes(0x1f, 0xff, 0xff, 0xff, 0xff)); // 'a', then EOS
        rejects(bytes(0xff, 0xff, 0xff, 0xfc)); // EOS then 00
    }
}
