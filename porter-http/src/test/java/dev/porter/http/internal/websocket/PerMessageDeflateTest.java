package dev.porter.http.internal.websocket;

import dev.porter.http.internal.websocket.Decoding.Outcome;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static dev.porter.http.internal.websocket.Decoding.bytes;
import static dev.porter.http.internal.websocket.Decoding.concat;
import static dev.porter.http.internal.websocket.Decoding.everySplit;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7692 §7.2.3's examples (server-to-client frames, so read by a client's decoder), compression and limits. */
class PerMessageDeflateTest {

    private static Outcome read(byte[] in) {
        return everySplit(in, Decoding.client(1 << 20, 1 << 20, true));
    }

    @Test
    void s7_2_3_1_aMessageCompressedInOneFrame() {
        assertThat(read(bytes(0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00)).events()).containsExactly("TEXT:Hello");
    }

    @Test
    void s7_2_3_1_aCompressedMessageInTwoFragments() {
        byte[] in = bytes(0x41, 0x03, 0xf2, 0x48, 0xcd, 0x80, 0x04, 0xc9, 0xc9, 0x07, 0x00);
        assertThat(read(in).events()).containsExactly("TEXT:Hello");
    }

    @Test
    void s7_2_3_2_theSecondMessageUsesTheFirstOnesWindow() {
        byte[] in = bytes(0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00);
        assertThat(read(in).events()).containsExactly("TEXT:Hello", "TEXT:Hello");
    }

    @Test
    void s7_2_3_3_aStoredBlock() {
        byte[] in = bytes(0xc1, 0x0b, 0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00);
        assertThat(read(in).events()).containsExactly("TEXT:Hello");
    }

    @Test
    void s7_2_3_4_aBlockWithBfinalThenAnotherMessage() {
        byte[] in = bytes(0xc1, 0x08, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00,
                0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00);
        assertThat(read(in).events()).containsExactly("TEXT:Hello", "TEXT:Hello");
    }

    @Test
    void s7_2_3_5_twoDeflateBlocksInOneMessage() {
        byte[] in = bytes(0xc1, 0x0d, 0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00);
        assertThat(read(in).events()).containsExactly("TEXT:Hello");
    }

    @Test
    void s7_2_3_6_anEmptyMessage() {
        assertThat(read(bytes(0xc1, 0x01, 0x00)).events()).containsExactly("TEXT:");
        PerMessageDeflate d = new PerMessageDeflate(false);
        int n = d.compress(new byte[0], 0, 0);
        assertThat(HexFormat.of().formatHex(d.compressed(), 0, n)).isEqualTo("00");
    }

    @Test
    void compressesHelloAsTheRfcShowsAndSharesTheWindow() {
        PerMessageDeflate d = new PerMessageDeflate(false);
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        int n = d.compress(hello, 0, 5);
        assertThat(HexFormat.of().formatHex(d.compressed(), 0, n)).isEqualTo("f248cdc9c90700");
        n = d.compress(hello, 0, 5);
        assertThat(HexFormat.of().formatHex(d.compressed(), 0, n)).isEqualTo("f200110000"); // §7.2.3.2
    }

    @Test
    void withoutContextTakeoverEveryMessageStandsAlone() {
        PerMessageDeflate d = new PerMessageDeflate(true);
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            int n = d.compress(hello, 0, 5);
            assertThat(HexFormat.of().formatHex(d.compressed(), 0, n)).isEqualTo("f248cdc9c90700");
        }
    }

    @Test
    void roundTripsLargeAndIncompressibleMessagesInFragments() {
        Random r = new Random(7);
        PerMessageDeflate sender = new PerMessageDeflate(false);
        for (int size : new int[]{0, 1, 100, 70_000, 300_000}) {
            byte[] msg = new byte[size];
            if (size == 70_000) Arrays.fill(msg, (byte) 'a');
            else r.nextBytes(msg);
            int n = sender.compress(msg, 0, size);
            byte[] c = Arrays.copyOf(sender.compressed(), n);
            int half = n / 2;
            byte[] first = frame(false, true, 2, Arrays.copyOf(c, half));
            byte[] second = frame(true, false, 0, Arrays.copyOfRange(c, half, n));
            Outcome o = Decoding.feed(concat(first, second), Decoding.client(1 << 20, 1 << 20, true),
                    Splits.random(size));
            assertThat(o.events()).containsExactly("BINARY:" + HexFormat.of().formatHex(msg));
        }
    }

    @Test
    void inflationStopsAtTheMessageLimit() {
        PerMessageDeflate d = new PerMessageDeflate(false);
        byte[] zeros = new byte[10 << 20];
        int n = d.compress(zeros, 0, zeros.length);
        assertThat(n).isLessThan(20_000); // ten MiB of zeros shrink to a few KiB: a "zip bomb"
        byte[] in = frame(true, true, 2, Arrays.copyOf(d.compressed(), n));
        Outcome o = Decoding.feed(in, Decoding.client(1 << 20, 1 << 20, true), Splits.WHOLE);
        assertThat(o.error()).isEqualTo(1009);
        Outcome fits = Decoding.feed(in, Decoding.client(1 << 20, 10 << 20, true), Splits.random(3));
        assertThat(fits.events()).hasSize(1);
    }

    @Test
    void corruptDataIs1002AndRsv1WithoutTheExtensionIs1002() {
        assertThat(read(bytes(0xc1, 0x02, 0xff, 0xff)).error()).isEqualTo(1002);
        assertThat(everySplit(bytes(0xc1, 0x01, 0x00), Decoding.client(1024, 1024, false)).error()).isEqualTo(1002);
        assertThat(read(bytes(0x41, 0x01, 0x00, 0xc0, 0x00)).error()).as("RSV1 on a continuation").isEqualTo(1002);
        assertThat(read(bytes(0xc9, 0x00)).error()).as("RSV1 on a ping").isEqualTo(1002);
    }

    private static byte[] frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
        byte[] out = new byte[FrameWriter.headerLength(payload.length, false) + payload.length];
        int h = FrameWriter.header(out, 0, fin, rsv1, opcode, payload.length, false, 0);
        System.arraycopy(payload, 0, out, h, payload.length);
        return out;
    }

    // ---- negotiation ---------------------------------------------------------------------------------------

    private static String agree(String... fields) {
        DeflateNegotiation.Agreement a = DeflateNegotiation.negotiate(List.of(fields));
        return a == null ? null : a.response();
    }

    @Test
    void s7_1_negotiation() {
        assertThat(agree("permessage-deflate")).isEqualTo("permessage-deflate");
        assertThat(agree("permessage-deflate; client_max_window_bits")).isEqualTo("permessage-deflate");
        assertThat(agree("permessage-deflate; client_max_window_bits=10")).isEqualTo("permessage-deflate");
        assertThat(agree("x-webkit-deflate-frame, permessage-deflate; server_no_context_takeover"))
                .isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(agree("permessage-deflate;client_no_context_takeover;server_max_window_bits=\"15\""))
                .isEqualTo("permessage-deflate; client_no_context_takeover; server_max_window_bits=15");
        assertThat(DeflateNegotiation.negotiate(List.of("permessage-deflate; server_no_context_takeover"))
                .serverNoContextTakeover()).isTrue();
        assertThat(agree()).isNull();
        assertThat(agree("x-other")).isNull();
    }

    @Test
    void s7_1_declinedOffersFallBackToTheNextOne() {
        assertThat(agree("permessage-deflate; server_max_window_bits=10, permessage-deflate")).isEqualTo("permessage-deflate");
        assertThat(agree("permessage-deflate; server_max_window_bits=10")).isNull();
        assertThat(agree("permessage-deflate; server_max_window_bits")).isNull();
        assertThat(agree("permessage-deflate; server_max_window_bits=16")).isNull();
        assertThat(agree("permessage-deflate; client_max_window_bits=7")).isNull();
        assertThat(agree("permessage-deflate; server_no_context_takeover; server_no_context_takeover")).isNull();
        assertThat(agree("permessage-deflate; server_no_context_takeover=1")).isNull();
        assertThat(agree("permessage-deflate; unknown")).isNull();
        assertThat(agree("permessage-deflate; =")).as("does not parse").isNull();
        assertThat(agree("permessage-deflate; a=\"b c\"")).isNull();
    }
}
