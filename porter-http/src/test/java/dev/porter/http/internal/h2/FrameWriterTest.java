package dev.porter.http.internal.h2;

import dev.porter.http.internal.h2.FrameFeeds.Outcome;
import dev.porter.http.internal.h2.FrameFeeds.Parsed;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.porter.http.internal.h2.FrameType.*;
import static dev.porter.http.internal.h2.H2Bytes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FrameWriter}: exact bytes per RFC 9113 §4.1 and §6, and what it writes parses back to the same frame. */
class FrameWriterTest {

    static final int MAX = Settings.MIN_MAX_FRAME_SIZE;

    /** The written range parses, whole and split, into exactly these frames. */
    static Outcome parse(byte[] b, int start, int end) {
        return FrameParserTest.everySplit(Arrays.copyOfRange(b, start, end));
    }

    @Test
    void rfc9113_4_1_headerLayoutAndReservedBitUnset() {
        byte[] b = new byte[12];
        assertThat(FrameWriter.header(b, 3, 0x010203, 0xfe, 0x25, 0xffffffff)).isEqualTo(12);
        assertThat(rfcHex(b, 3, 12)).isEqualTo("0102 03fe 257f ffff ff");
    }

    @Test
    void rfc9113_6_1_data() {
        byte[] src = "xxhello".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[32];
        int end = FrameWriter.data(b, 1, 5, src, 2, 5, true);
        assertThat(end).isEqualTo(1 + 9 + 5);
        assertThat(rfcHex(b, 1, end)).isEqualTo("0000 0500 0100 0000 0568 656c 6c6f");
        Parsed d = parse(b, 1, end).frames().getFirst();
        assertThat(d.endStream()).isTrue();
        assertThat(d.content()).isEqualTo("68656c6c6f");
    }

    @Test
    void rfc9113_6_2_headersFitInOneFrame() {
        byte[] block = hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
        byte[] b = new byte[64];
        int end = FrameWriter.headers(b, 0, 1, true, block, 0, block.length, MAX);
        assertThat(end).isEqualTo(FrameWriter.headersLength(block.length, MAX)).isEqualTo(9 + block.length);
        Parsed h = parse(b, 0, end).frames().getFirst();
        assertThat(h.type()).isEqualTo(HEADERS);
        assertThat(h.flags()).isEqualTo(FLAG_END_HEADERS | FLAG_END_STREAM);
        assertThat(h.content()).isEqualTo(rfcHex(block).replace(" ", ""));
    }

    @Test
    void rfc9113_6_10_headersSplitIntoContinuationsByMaxFrameSize() {
        Random r = new Random(7);
        for (int len : new int[] {0, 1, MAX - 1, MAX, MAX + 1, 2 * MAX, 3 * MAX + 17}) {
            byte[] block = new byte[len];
            r.nextBytes(block);
            for (boolean inPlace : new boolean[] {false, true}) {
                byte[] b = new byte[FrameWriter.headersLength(len, MAX) + 5];
                int end;
                if (inPlace) {
                    System.arraycopy(block, 0, b, 5 + 9, len);
                    end = FrameWriter.headers(b, 5, 3, false, b, 5 + 9, len, MAX);
                } else {
                    end = FrameWriter.headers(b, 5, 3, false, block, 0, len, MAX);
                }
                assertThat(end).isEqualTo(b.length);
                Outcome o = FrameFeeds.feed(Arrays.copyOfRange(b, 5, end), MAX, Splits.random(len));
                assertThat(o.error()).isNull();
                int frames = len == 0 ? 1 : (len + MAX - 1) / MAX;
                assertThat(o.frames()).hasSize(frames);
                StringBuilder joined = new StringBuilder();
                for (int i = 0; i < frames; i++) {
                    Parsed f = o.frames().get(i);
                    assertThat(f.type()).isEqualTo(i == 0 ? HEADERS : CONTINUATION);
                    assertThat(f.endHeaders()).isEqualTo(i == frames - 1);
                    assertThat(f.endStream()).isFalse();
                    assertThat(f.streamId()).isEqualTo(3);
                    assertThat(f.length()).isLessThanOrEqualTo(MAX);
                    joined.append(f.content());
                }
                assertThat(joined.toString()).as("len %s in place %s", len, inPlace)
                        .isEqualTo(java.util.HexFormat.of().formatHex(block));
            }
        }
    }

    @Test
    void rfc9113_6_5_settingsWritesWhatDiffersAndParsesBack() {
        byte[] b = new byte[64];
        Settings ours = new Settings().enablePush(false).maxConcurrentStreams(100).initialWindowSize(1 << 20)
                .maxHeaderListSize(16384);
        int end = FrameWriter.settings(b, 0, ours, null);
        assertThat(rfcHex(b, 0, end)).isEqualTo(
                "0000 1804 0000 0000 0000 0200 0000 0000 0300 0000 6400 0400 1000 0000 0600 0040 00");
        Parsed s = parse(b, 0, end).frames().getFirst();
        Settings read = new Settings();
        byte[] payload = hex(s.payload());
        read.apply(payload, 0, payload.length, true);
        assertThat(read.toString()).isEqualTo(ours.toString());
        Settings changed = ours.copy().initialWindowSize(65535);
        end = FrameWriter.settings(b, 0, changed, ours);
        assertThat(rfcHex(b, 0, end)).isEqualTo("0000 0604 0000 0000 0000 0400 00ff ff");
        end = FrameWriter.settings(b, 0, new Settings(), null);
        assertThat(end).isEqualTo(9);
    }

    @Test
    void rfc9113_6_5_3_settingsAck() {
        byte[] b = new byte[9];
        assertThat(FrameWriter.settingsAck(b, 0)).isEqualTo(9);
        assertThat(rfcHex(b)).isEqualTo("0000 0004 0100 0000 00");
        assertThat(parse(b, 0, 9).frames().getFirst().ack()).isTrue();
    }

    @Test
    void rfc9113_6_7_pingAndAck() {
        byte[] b = new byte[40];
        int end = FrameWriter.ping(b, 0, 0x0102030405060708L, false);
        end = FrameWriter.ping(b, end, -1L, true);
        assertThat(end).isEqualTo(34);
        assertThat(rfcHex(b, 0, 17)).isEqualTo("0000 0806 0000 0000 0001 0203 0405 0607 08");
        Outcome o = parse(b, 0, end);
        assertThat(o.frames()).extracting(Parsed::ack).containsExactly(false, true);
        assertThat(o.frames().get(1).payload()).isEqualTo("ffffffffffffffff");
    }

    @Test
    void rfc9113_6_8_goaway() {
        byte[] b = new byte[40];
        byte[] debug = "calm".getBytes(StandardCharsets.US_ASCII);
        int end = FrameWriter.goAway(b, 0, 7, Http2Error.ENHANCE_YOUR_CALM, debug, 0, debug.length);
        assertThat(rfcHex(b, 0, end)).isEqualTo("0000 0c07 0000 0000 0000 0000 0700 0000 0b63 616c 6d");
        end = FrameWriter.goAway(b, 0, 0, Http2Error.NO_ERROR, null, 0, 0);
        assertThat(end).isEqualTo(17);
        assertThat(parse(b, 0, end).frames().getFirst().type()).isEqualTo(GOAWAY);
    }

    @Test
    void rfc9113_6_4_rstStream() {
        byte[] b = new byte[13];
        assertThat(FrameWriter.rstStream(b, 0, 3, Http2Error.REFUSED_STREAM)).isEqualTo(13);
        assertThat(rfcHex(b)).isEqualTo("0000 0403 0000 0000 0300 0000 07");
        assertThat(parse(b, 0, 13).frames().getFirst().streamError()).isNull();
    }

    @Test
    void rfc9113_6_9_windowUpdate() {
        byte[] b = new byte[13];
        assertThat(FrameWriter.windowUpdate(b, 0, 0, 0x7fffffff)).isEqualTo(13);
        assertThat(rfcHex(b)).isEqualTo("0000 0408 0000 0000 007f ffff ff");
        assertThat(parse(b, 0, 13).frames().getFirst().type()).isEqualTo(WINDOW_UPDATE);
        assertThatThrownBy(() -> FrameWriter.windowUpdate(b, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
