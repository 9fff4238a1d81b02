package dev.porter.http.internal.h2;

import dev.porter.http.internal.h2.FrameFeeds.Outcome;
import dev.porter.http.internal.h2.FrameFeeds.Parsed;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static dev.porter.http.internal.h2.FrameType.*;
import static dev.porter.http.internal.h2.H2Bytes.*;
import static dev.porter.http.internal.h2.Http2Error.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FrameParser} against RFC 9113 §3.4, §4, §5.5 and §6.10, each test named after the section it checks (the
 * rules of §6.1–§6.9: {@link FrameTypeRulesTest}). Every input goes through {@link #everySplit}: whole, byte by
 * byte, at every split point and in random splits, with the same frames and the same error expected each time.
 */
class FrameParserTest {

    static final int MAX = Settings.MIN_MAX_FRAME_SIZE;

    /** Feeds the input in every way; all must agree; returns the outcome. */
    static Outcome everySplit(byte[] input) {
        return everySplit(input, MAX);
    }

    static Outcome everySplit(byte[] input, int maxFrameSize) {
        Outcome whole = FrameFeeds.feed(input, maxFrameSize, Splits.WHOLE);
        same(whole, FrameFeeds.feed(input, maxFrameSize, Splits.BYTE_BY_BYTE), "byte by byte");
        for (int at = 1; at < input.length && input.length < 2000; at++) {
            same(whole, FrameFeeds.feed(input, maxFrameSize, Splits.atIndex(input.length, at)), "split at " + at);
        }
        for (int seed = 0; seed < 20; seed++) {
            same(whole, FrameFeeds.feed(input, maxFrameSize, Splits.random(seed)), "random split " + seed);
        }
        return whole;
    }

    private static void same(Outcome whole, Outcome split, String how) {
        assertThat(split.frames()).as("frames, %s", how).isEqualTo(whole.frames());
        assertThat(split.errorKey()).as("error, %s", how).isEqualTo(whole.errorKey());
        assertThat(split.consumed()).as("consumed, %s", how).isEqualTo(whole.consumed());
    }

    /** The input is a connection error of this code, whatever the split, after {@code framesBefore} frames. */
    static void connectionError(byte[] input, Http2Error error, int framesBefore) {
        Outcome o = everySplit(input);
        assertThat(o.error()).as("error").isNotNull();
        assertThat(o.error().isConnectionError()).as("connection error: %s", o.error()).isTrue();
        assertThat(o.error().error()).as("%s", o.error()).isEqualTo(error);
        assertThat(o.frames()).hasSize(framesBefore);
    }

    static void connectionError(byte[] input, Http2Error error) {
        connectionError(input, error, 0);
    }

    /** The single frame is consumed and carries a stream error. */
    static void streamError(byte[] frame, int streamId, Http2Error error) {
        Outcome o = everySplit(frame);
        assertThat(o.error()).isNull();
        assertThat(o.frames()).hasSize(1);
        assertThat(o.frames().getFirst().streamError()).isEqualTo(streamId + ":" + error);
        assertThat(o.consumed()).isEqualTo(frame.length);
    }

    static Parsed single(byte[] frame) {
        Outcome o = everySplit(frame);
        assertThat(o.error()).as("error %s", o.error()).isNull();
        assertThat(o.frames()).hasSize(1);
        assertThat(o.frames().getFirst().streamError()).isNull();
        return o.frames().getFirst();
    }

    // §3.4 Connection preface

    @Test
    void rfc9113_3_4_prefaceMatchedWholeAndByEveryPrefix() {
        byte[] p = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(FrameParser.PREFACE).isEqualTo(p);
        byte[] withFrame = concat(p, frame(SETTINGS, 0, 0));
        for (int n = 0; n < p.length; n++) {
            assertThat(FrameParser.matchPreface(withFrame, 0, n)).as("prefix of %s", n).isZero();
            assertThat(FrameParser.expectPreface(withFrame, 0, n)).isZero();
        }
        assertThat(FrameParser.matchPreface(withFrame, 0, withFrame.length)).isEqualTo(24);
        assertThat(FrameParser.expectPreface(p, 0, p.length)).isEqualTo(24);
        byte[] shifted = concat(bytes(7, 7), p);
        assertThat(FrameParser.matchPreface(shifted, 2, shifted.length)).isEqualTo(24);
    }

    @Test
    void rfc9113_3_4_invalidPrefaceIsProtocolErrorAtTheFirstWrongByte() {
        byte[] http11 = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(FrameParser.matchPreface(http11, 0, 1)).isEqualTo(-1);
        byte[] p = FrameParser.PREFACE;
        for (int i = 0; i < p.length; i++) {
            byte[] bad = p.clone();
            bad[i] ^= 0x20;
            assertThat(FrameParser.matchPreface(bad, 0, i)).as("before byte %s", i).isZero();
            assertThat(FrameParser.matchPreface(bad, 0, i + 1)).as("at byte %s", i).isEqualTo(-1);
            int at = i;
            assertThatThrownBy(() -> FrameParser.expectPreface(bad, 0, at + 1))
                    .isInstanceOfSatisfying(Http2Exception.class, e -> {
                        assertThat(e.isConnectionError()).isTrue();
                        assertThat(e.error()).isEqualTo(PROTOCOL_ERROR);
                    });
        }
        assertThat(FrameParser.matchPreface("PRI * HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), 0, 16))
                .isEqualTo(-1);
    }

    // §4.1 Frame format

    @Test
    void rfc9113_4_1_headerFieldsAndPayloadRange() {
        byte[] f = frame(DATA, FLAG_END_STREAM, 3, bytes('h', 'i'));
        Parsed d = single(f);
        assertThat(d.type()).isEqualTo(DATA);
        assertThat(d.flags()).isEqualTo(FLAG_END_STREAM);
        assertThat(d.streamId()).isEqualTo(3);
        assertThat(d.length()).isEqualTo(2);
        assertThat(d.payload()).isEqualTo("6869");
        assertThat(d.content()).isEqualTo("6869");
        assertThat(d.endStream()).isTrue();
    }

    @Test
    void rfc9113_4_1_reservedBitOfTheStreamIdentifierIsIgnored() {
        Parsed d = single(frame(DATA, 0, 0x80000005, bytes(1)));
        assertThat(d.streamId()).isEqualTo(5);
        // Stream "0" with the reserved bit set is still stream 0: SETTINGS is accepted there, DATA is not.
        assertThat(single(frame(SETTINGS, 0, 0x80000000)).streamId()).isZero();
        connectionError(frame(DATA, 0, 0x80000000, bytes(1)), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_4_1_undefinedFlagsAreIgnored() {
        Parsed ping = single(frame(PING, 0xfe, 0, new byte[8]));
        assertThat(ping.ack()).isFalse();
        assertThat(ping.flags()).isEqualTo(0xfe);
        Parsed data = single(frame(DATA, FLAG_END_HEADERS | FLAG_PRIORITY | FLAG_ACK, 1, bytes(9)));
        assertThat(data.endStream()).as("0x1 on DATA is END_STREAM").isTrue();
        assertThat(data.endHeaders()).isFalse();
        assertThat(data.ack()).isFalse();
        assertThat(data.content()).as("PRIORITY has no meaning on DATA").isEqualTo("09");
    }

    @Test
    void rfc9113_4_1_needMoreConsumesNothingAndSaysHowMuch() {
        byte[] f = frame(PING, 0, 0, new byte[8]);
        FrameParser p = new FrameParser(MAX);
        for (int n = 0; n < 9; n++) {
            assertThat(p.parse(f, 0, n)).isZero();
            assertThat(p.needed()).isEqualTo(9);
        }
        for (int n = 9; n < f.length; n++) {
            assertThat(p.parse(f, 0, n)).isZero();
            assertThat(p.needed()).isEqualTo(17);
        }
        assertThat(p.parse(f, 0, f.length)).isEqualTo(17);
        assertThat(p.type()).isEqualTo(PING);
    }

    @Test
    void rfc9113_5_5_unknownFrameTypesAreReturnedToBeIgnored() {
        byte[] in = concat(frame(0xfa, 0xff, 7, bytes(1, 2, 3)), frame(0x0b, 0, 0), frame(PING, 0, 0, new byte[8]));
        Outcome o = everySplit(in);
        assertThat(o.error()).isNull();
        assertThat(o.frames()).extracting(Parsed::type).containsExactly(0xfa, 0x0b, PING);
        assertThat(FrameType.isKnown(0xfa)).isFalse();
        assertThat(FrameType.name(0xfa)).isEqualTo("UNKNOWN(0xfa)");
    }

    // §4.2 Frame size

    @Test
    void rfc9113_4_2_frameAboveMaxFrameSizeIsFrameSizeErrorOnceTheHeaderIsIn() {
        byte[] header = frame(MAX + 1, DATA, 0, 1);
        connectionError(header, FRAME_SIZE_ERROR);
        FrameParser p = new FrameParser(MAX);
        assertThatThrownBy(() -> p.parse(header, 0, 9)).isInstanceOfSatisfying(Http2Exception.class,
                e -> assertThat(e.error()).isEqualTo(FRAME_SIZE_ERROR));
        // Also for an unknown type and for stream 0.
        connectionError(frame(MAX + 1, 0xee, 0, 0), FRAME_SIZE_ERROR);
        byte[] exact = frame(DATA, 0, 1, new byte[MAX]);
        assertThat(FrameFeeds.feed(exact, MAX, Splits.WHOLE).frames()).hasSize(1);
    }

    @Test
    void rfc9113_4_2_largerFramesOnceMaxFrameSizeIsRaised() {
        byte[] big = frame(DATA, 0, 1, new byte[20000]);
        assertThat(FrameFeeds.feed(big, MAX, Splits.WHOLE).errorKey()).isEqualTo("connection FRAME_SIZE_ERROR");
        Outcome o = FrameFeeds.feed(big, 20000, Splits.random(1));
        assertThat(o.error()).isNull();
        assertThat(o.frames().getFirst().length()).isEqualTo(20000);
        assertThatThrownBy(() -> new FrameParser(16383)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameParser(MAX).maxFrameSize(1 << 24)).isInstanceOf(IllegalArgumentException.class);
    }

    // §6.10 CONTINUATION

    @Test
    void rfc9113_6_10_continuationsCompleteAFieldBlock() {
        byte[] in = concat(frame(HEADERS, FLAG_END_STREAM, 1, bytes(0x82)), frame(CONTINUATION, 0, 1, bytes(0x86)),
                frame(CONTINUATION, FLAG_END_HEADERS, 1, bytes(0x84)), frame(DATA, 0, 1, bytes(1)));
        Outcome o = everySplit(in);
        assertThat(o.error()).isNull();
        assertThat(o.frames()).extracting(Parsed::type).containsExactly(HEADERS, CONTINUATION, CONTINUATION, DATA);
        assertThat(o.frames()).extracting(Parsed::endHeaders).containsExactly(false, false, true, false);
        assertThat(o.frames().getFirst().endStream()).isTrue();
        FrameParser p = new FrameParser(MAX);
        p.parse(in, 0, in.length);
        assertThat(p.inFieldBlock()).isTrue();
    }

    @Test
    void rfc9113_6_10_anotherFrameInsideAFieldBlockIsProtocolError() {
        byte[] open = frame(HEADERS, 0, 1, bytes(0x82));
        connectionError(concat(open, frame(DATA, 0, 1, bytes(1))), PROTOCOL_ERROR, 1);
        connectionError(concat(open, frame(PING, 0, 0, new byte[8])), PROTOCOL_ERROR, 1);
        connectionError(concat(open, frame(HEADERS, FLAG_END_HEADERS, 3, bytes(0x82))), PROTOCOL_ERROR, 1);
        connectionError(concat(open, frame(CONTINUATION, FLAG_END_HEADERS, 3, bytes(0x82))), PROTOCOL_ERROR, 1);
    }

    @Test
    void rfc9113_5_5_unknownFrameInsideAFieldBlockIsProtocolError() {
        connectionError(concat(frame(HEADERS, 0, 1, bytes(0x82)), frame(0xbb, 0, 1)), PROTOCOL_ERROR, 1);
    }

    @Test
    void rfc9113_6_10_continuationWithoutHeadersIsProtocolError() {
        connectionError(frame(CONTINUATION, FLAG_END_HEADERS, 1, bytes(0x82)), PROTOCOL_ERROR);
        connectionError(concat(frame(HEADERS, FLAG_END_HEADERS, 1, bytes(0x82)),
                frame(CONTINUATION, FLAG_END_HEADERS, 1, bytes(0x82))), PROTOCOL_ERROR, 1);
        connectionError(concat(frame(HEADERS, 0, 1, bytes(0x82)),
                frame(CONTINUATION, FLAG_END_HEADERS, 0, bytes(0x82))), PROTOCOL_ERROR, 1);
    }

    // Sequences, split everywhere

    @Test
    void aConversationOfFramesIsTheSameHoweverItIsSplit() {
        byte[] in = concat(frame(SETTINGS, 0, 0, bytes(0, 4, 0, 1, 0, 0)), frame(WINDOW_UPDATE, 0, 0, int32(1000)),
                frame(HEADERS, FLAG_PADDED | FLAG_PRIORITY, 1, concat(bytes(3), int32(0), bytes(16, 0x82, 0x86), new byte[3])),
                frame(CONTINUATION, FLAG_END_HEADERS, 1, bytes(0x84)),
                frame(DATA, FLAG_PADDED, 1, concat(bytes(4), "hello".getBytes(StandardCharsets.US_ASCII), new byte[4])),
                frame(PRIORITY, 0, 3, bytes(1)), frame(0x77, 0, 0, bytes(1, 2)),
                frame(DATA, FLAG_END_STREAM, 1), frame(PING, 0, 0, new byte[8]), frame(SETTINGS, FLAG_ACK, 0),
                frame(RST_STREAM, 0, 1, int32(8)), frame(GOAWAY, 0, 0, concat(int32(1), int32(0))));
        Outcome o = everySplit(in);
        assertThat(o.error()).isNull();
        assertThat(o.consumed()).isEqualTo(in.length);
        assertThat(o.frames()).extracting(Parsed::type).containsExactly(SETTINGS, WINDOW_UPDATE, HEADERS, CONTINUATION,
                DATA, PRIORITY, 0x77, DATA, PING, SETTINGS, RST_STREAM, GOAWAY);
        assertThat(o.frames().get(2).content()).isEqualTo("8286");
        assertThat(o.frames().get(4).content()).isEqualTo("68656c6c6f");
        assertThat(o.frames().get(5).streamError()).isEqualTo("3:FRAME_SIZE_ERROR");
    }

    @Test
    void randomSequencesOfValidFramesAreTheSameHoweverTheyAreSplit() {
        Random r = new Random(42);
        for (int round = 0; round < 30; round++) {
            byte[] in = new byte[0];
            int count = 1 + r.nextInt(12);
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[r.nextInt(40)];
                r.nextBytes(payload);
                byte[] f = switch (r.nextInt(4)) {
                    case 0 -> frame(DATA, r.nextInt(2), 1 + 2 * r.nextInt(100), payload);
                    case 1 -> frame(PING, r.nextInt(2), 0, new byte[8]);
                    case 2 -> frame(WINDOW_UPDATE, 0, r.nextInt(9), int32(1 + r.nextInt(1000)));
                    default -> frame(0x10 + r.nextInt(200), r.nextInt(256), r.nextInt(), payload);
                };
                in = concat(in, f);
            }
            Outcome o = everySplit(in);
            assertThat(o.error()).isNull();
            assertThat(o.frames()).hasSize(count);
        }
    }
}
