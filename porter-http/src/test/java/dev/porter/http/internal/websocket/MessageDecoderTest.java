package dev.porter.http.internal.websocket;

import dev.porter.http.internal.websocket.Decoding.Outcome;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.porter.http.internal.websocket.Decoding.bytes;
import static dev.porter.http.internal.websocket.Decoding.concat;
import static dev.porter.http.internal.websocket.Decoding.everySplit;
import static dev.porter.http.internal.websocket.Decoding.masked;
import static dev.porter.http.internal.websocket.FrameParser.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link FrameParser} and {@link MessageDecoder}: every input whole, byte by byte and in random splits. */
class MessageDecoderTest {

    private static final int MB = 1 << 20;

    private static Outcome server(byte[] in) {
        return everySplit(in, Decoding.server(16 * MB, 16 * MB));
    }

    private static Outcome client(byte[] in) {
        return everySplit(in, Decoding.client(16 * MB, 16 * MB, false));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- RFC 6455 §5.7 examples ----------------------------------------------------------------------------

    @Test
    void s5_7_singleFrameUnmaskedText() {
        assertThat(client(bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f)).events()).containsExactly("TEXT:Hello");
    }

    @Test
    void s5_7_singleFrameMaskedText() {
        byte[] in = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
        assertThat(server(in).events()).containsExactly("TEXT:Hello");
        assertThat(masked(true, TEXT, utf8("Hello"))).isEqualTo(in);
    }

    @Test
    void s5_7_fragmentedUnmaskedText() {
        byte[] in = bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f);
        assertThat(client(in)).isEqualTo(new Outcome(List.of("TEXT:Hello"), 0, in.length));
    }

    @Test
    void s5_7_unmaskedPingAndMaskedPong() {
        assertThat(client(bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f)).events()).containsExactly("PING:48656c6c6f");
        assertThat(server(bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58)).events())
                .containsExactly("PONG:48656c6c6f");
    }

    @Test
    void s5_7_256BytesAnd64KiBBinaryInOneUnmaskedFrame() {
        byte[] small = new byte[256];
        Arrays.fill(small, (byte) 7);
        assertThat(client(concat(bytes(0x82, 0x7e, 0x01, 0x00), small)).events())
                .containsExactly("BINARY:" + HexFormat.of().formatHex(small));
        byte[] big = new byte[65536];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        Outcome o = Decoding.feed(concat(bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0), big),
                Decoding.client(MB, MB, false), Splits.random(1));
        assertThat(o.events()).containsExactly("BINARY:" + HexFormat.of().formatHex(big));
    }

    // ---- rules of the header -------------------------------------------------------------------------------

    @Test
    void s5_2_lengthsInALongerFormThanNeededAreAccepted() {
        byte[] in = concat(bytes(0x82, 0x80 | 126, 0, 3), bytes(1, 2, 3, 4), bytes(1 ^ 1, 2 ^ 2, 3 ^ 3),
                bytes(0x82, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 1), bytes(0, 0, 0, 0), bytes(9));
        assertThat(server(in).events()).containsExactly("BINARY:010203", "BINARY:09");
    }

    @Test
    void s5_2_lengthWithMostSignificantBitSetIs1002() {
        assertThat(server(bytes(0x82, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)).error()).isEqualTo(1002);
    }

    @Test
    void s5_2_reservedBitsAndOpcodesAre1002() {
        for (int b0 : new int[]{0x81 | 0x40, 0x81 | 0x20, 0x81 | 0x10, 0x83, 0x87, 0x8b, 0x8f}) {
            assertThat(server(concat(bytes(b0), bytes(0x80, 0, 0, 0, 0))).error()).as("first byte %x", b0).isEqualTo(1002);
        }
    }

    @Test
    void s5_1_serverRequiresMaskClientForbidsIt() {
        assertThat(server(bytes(0x81, 0x01, 0x41)).error()).isEqualTo(1002);
        assertThat(client(masked(true, TEXT, utf8("A"))).error()).isEqualTo(1002);
    }

    @Test
    void s5_5_controlFramesFragmentedOrOver125Are1002() {
        assertThat(server(masked(false, PING, new byte[1])).error()).isEqualTo(1002);
        assertThat(server(masked(true, PING, new byte[126])).error()).isEqualTo(1002);
        assertThat(server(masked(true, PONG, new byte[125])).events()).hasSize(1);
    }

    @Test
    void s5_4_continuationWithoutStartAndDataInsideAMessageAre1002() {
        assertThat(server(masked(true, CONTINUATION, utf8("x"))).error()).isEqualTo(1002);
        Outcome o = server(concat(masked(false, TEXT, utf8("a")), masked(true, BINARY, utf8("b"))));
        assertThat(o.error()).isEqualTo(1002);
    }

    @Test
    void s5_4_controlFramesBetweenFragments() {
        byte[] in = concat(masked(false, TEXT, utf8("Hel")), masked(true, PING, utf8("p")),
                masked(false, CONTINUATION, utf8("l")), masked(true, PONG, new byte[0]),
                masked(true, CONTINUATION, utf8("o")), masked(true, CLOSE, bytes(0x03, 0xe8, 'o', 'k')));
        assertThat(server(in).events()).containsExactly("PING:70", "PONG:", "TEXT:Hello", "CLOSE:1000:ok");
    }

    @Test
    void emptyFramesAndEmptyMessages() {
        byte[] in = concat(masked(true, TEXT, new byte[0]), masked(false, BINARY, new byte[0]),
                masked(false, CONTINUATION, new byte[0]), masked(true, CONTINUATION, bytes(1)));
        assertThat(server(in).events()).containsExactly("TEXT:", "BINARY:01");
    }

    // ---- limits --------------------------------------------------------------------------------------------

    @Test
    void s7_4_1_frameOverTheLimitIs1009FromItsHeader() {
        Outcome o = everySplit(bytes(0x82, 0x80 | 126, 0x01, 0x01), Decoding.server(256, 1024));
        assertThat(o.error()).isEqualTo(1009);
    }

    @Test
    void s7_4_1_messageOverTheLimitAcrossFragmentsIs1009() {
        byte[] in = concat(masked(false, BINARY, new byte[600]), masked(true, CONTINUATION, new byte[500]));
        Outcome o = everySplit(in, Decoding.server(1024, 1024));
        assertThat(o.error()).isEqualTo(1009);
        assertThat(o.events()).isEmpty();
        assertThat(everySplit(concat(masked(false, BINARY, new byte[600]), masked(true, CONTINUATION, new byte[424])),
                Decoding.server(1024, 1024)).events()).hasSize(1);
    }

    // ---- UTF-8 and Close payloads --------------------------------------------------------------------------

    @Test
    void s8_1_invalidUtf8TextIs1007EvenBeforeTheMessageEnds() {
        assertThat(server(masked(true, TEXT, bytes(0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5,
                0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64))).error()).isEqualTo(1007);
        // The bad byte is in the first fragment: the error comes without waiting for the rest.
        assertThat(server(masked(false, TEXT, bytes('a', 0xff))).error()).isEqualTo(1007);
    }

    @Test
    void s8_1_aCharacterSplitAcrossFragmentsIsValid() {
        byte[] in = concat(masked(false, TEXT, bytes(0xe2, 0x82)), masked(true, CONTINUATION, bytes(0xac)));
        assertThat(server(in).events()).containsExactly("TEXT:\u20ac");
        byte[] cut = concat(masked(false, TEXT, bytes(0xe2, 0x82)), masked(true, CONTINUATION, new byte[0]));
        assertThat(server(cut).error()).isEqualTo(1007);
    }

    @Test
    void binaryIsNotCheckedAsUtf8() {
        assertThat(server(masked(true, BINARY, bytes(0xff, 0xfe))).events()).containsExactly("BINARY:fffe");
    }

    @Test
    void s7_4_closeCodes() {
        for (int bad : new int[]{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
            assertThat(server(masked(true, CLOSE, bytes(bad >> 8, bad & 0xff))).error()).as("code %d", bad).isEqualTo(1002);
        }
        for (int good : new int[]{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
            assertThat(server(masked(true, CLOSE, bytes(good >> 8, good & 0xff))).events())
                    .containsExactly("CLOSE:" + good + ":");
        }
        assertThat(server(masked(true, CLOSE, new byte[0])).events()).containsExactly("CLOSE:1005:");
        assertThat(server(masked(true, CLOSE, bytes(0x03))).error()).isEqualTo(1002);
        assertThat(server(masked(true, CLOSE, bytes(0x03, 0xe8, 0xc0, 0xaf))).error()).isEqualTo(1007);
    }

    // ---- ownership of what a message hands out -------------------------------------------------------------

    @Test
    void binaryMessagesTakenOutAreTheirOwnWhateverTheNextMessageBrings() {
        for (int size : new int[]{64, 4096, 4097, 65536}) {
            byte[] a = new byte[size];
            byte[] b = new byte[size];
            Arrays.fill(a, (byte) 'a');
            Arrays.fill(b, (byte) 'b');
            byte[] in = concat(masked(true, BINARY, a), masked(true, BINARY, b));
            MessageDecoder d = new MessageDecoder(true, 16 * MB, 16 * MB, null);

            int n = d.decode(in, 0, in.length);
            assertThat(d.event()).isEqualTo(MessageDecoder.Event.BINARY);
            byte[] first = d.takeData();
            d.decode(in, n, in.length);
            assertThat(d.event()).isEqualTo(MessageDecoder.Event.BINARY);
            byte[] second = d.takeData();

            assertThat(first).as("size %d", size).isEqualTo(a);
            assertThat(second).as("size %d", size).isEqualTo(b);
        }
    }

    @Test
    void controlFramesAfterAQuietWaitTrimmedTheDecoderKeepTheirPayloads() {
        byte[] in = concat(masked(true, PING, utf8("abc")), masked(false, TEXT, utf8("Hel")),
                masked(true, PING, utf8("de")), masked(true, CONTINUATION, utf8("lo")),
                masked(true, CLOSE, concat(bytes(0x03, 0xe8), utf8("ok"))));
        MessageDecoder d = new MessageDecoder(true, 16 * MB, 16 * MB, null);
        List<String> seen = new java.util.ArrayList<>();
        int p = 0;
        while (p < in.length) {
            d.trim(); // as the session does before each wait for the next frame
            p += d.decode(in, p, in.length);
            switch (d.event()) {
                case PING -> seen.add("PING:" + new String(d.control(), 0, d.controlLength(), StandardCharsets.UTF_8));
                case TEXT -> seen.add("TEXT:" + d.text());
                case CLOSE -> seen.add("CLOSE:" + d.closeCode() + ":" + d.closeReason());
                default -> { }
            }
        }
        assertThat(seen).containsExactly("PING:abc", "PING:de", "TEXT:Hello", "CLOSE:1000:ok");
    }
}
