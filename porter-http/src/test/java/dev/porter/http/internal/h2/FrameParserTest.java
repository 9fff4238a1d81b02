package dev.porter.http.internal.h2;

import dev.porter.http.internal.h2.FrameFeeds.Outcome;
import dev.porter.http.internal.h2.FrameFeeds.Parsed;
import dev.porter.http.internal.h2.FrameFeeds.Splits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static dev.porter.http.internal.h2.FrameType.*;
import static dev.porter.http.internal.h2.H2Bytes.*;
import static dev.porter.http.internal.h2.Http2Error.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FrameParser} against RFC 9113 §3.4, §4 and §6, each test named after the section it checks. Every input
 * goes through {@link #everySplit}: whole, byte by byte, at every split point and in random splits, with the same
 * frames and the same error expected each time.
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

    // §6.1 DATA

    @Test
    void rfc9113_6_1_dataOnStream0IsProtocolError() {
        connectionError(frame(DATA, 0, 0, bytes(1)), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_6_1_paddingIsStrippedButCountedInTheLength() {
        Parsed d = single(frame(DATA, FLAG_PADDED, 1, bytes(2, 'a', 'b', 0, 0)));
        assertThat(d.length()).isEqualTo(5);
        assertThat(d.content()).isEqualTo("6162");
        Parsed empty = single(frame(DATA, FLAG_PADDED, 1, bytes(3, 0, 0, 0)));
        assertThat(empty.content()).isEmpty();
        assertThat(single(frame(DATA, FLAG_PADDED, 1, bytes(0))).content()).isEmpty();
    }

    @Test
    void rfc9113_6_1_paddingAsLongAsThePayloadIsProtocolError() {
        connectionError(frame(DATA, FLAG_PADDED, 1, bytes(4, 0, 0, 0)), PROTOCOL_ERROR);
        connectionError(frame(DATA, FLAG_PADDED, 1, bytes(1)), PROTOCOL_ERROR);
        connectionError(frame(DATA, FLAG_PADDED, 1, bytes(200, 0)), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_4_2_paddedDataWithoutPadLengthIsFrameSizeError() {
        connectionError(frame(DATA, FLAG_PADDED, 1), FRAME_SIZE_ERROR);
    }

    // §6.2 HEADERS

    @Test
    void rfc9113_6_2_headersOnStream0IsProtocolError() {
        connectionError(frame(HEADERS, FLAG_END_HEADERS, 0, bytes(0x82)), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_6_2_paddingAndPriorityFieldsAreSkipped() {
        byte[] payload = concat(bytes(2), int32(0x80000003), bytes(15), bytes(0x82, 0x86), bytes(0, 0));
        Parsed h = single(frame(HEADERS, FLAG_PADDED | FLAG_PRIORITY | FLAG_END_HEADERS | FLAG_END_STREAM, 1,
                payload));
        assertThat(h.content()).isEqualTo("8286");
        assertThat(h.endHeaders()).isTrue();
        assertThat(h.endStream()).isTrue();
        Parsed prio = single(frame(HEADERS, FLAG_PRIORITY | FLAG_END_HEADERS, 1, concat(int32(0), bytes(0, 0x82))));
        assertThat(prio.content()).isEqualTo("82");
        Parsed padded = single(frame(HEADERS, FLAG_PADDED | FLAG_END_HEADERS, 1, bytes(1, 0x82, 0)));
        assertThat(padded.content()).isEqualTo("82");
    }

    @Test
    void rfc9113_6_2_paddingBeyondTheFragmentIsProtocolError() {
        connectionError(frame(HEADERS, FLAG_PADDED | FLAG_END_HEADERS, 1, bytes(2, 0x82)), PROTOCOL_ERROR);
        connectionError(frame(HEADERS, FLAG_PADDED | FLAG_PRIORITY | FLAG_END_HEADERS, 1,
                concat(bytes(1), int32(0), bytes(0))), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_4_2_headersTooShortForPadLengthOrPriorityIsFrameSizeError() {
        connectionError(frame(HEADERS, FLAG_PADDED | FLAG_END_HEADERS, 1), FRAME_SIZE_ERROR);
        connectionError(frame(HEADERS, FLAG_PRIORITY | FLAG_END_HEADERS, 1, bytes(0, 0, 0, 0)), FRAME_SIZE_ERROR);
        connectionError(frame(HEADERS, FLAG_PADDED | FLAG_PRIORITY | FLAG_END_HEADERS, 1, bytes(0, 0, 0, 0, 0)),
                FRAME_SIZE_ERROR);
    }

    @Test
    void rfc7540_5_3_1_headersDependingOnItselfIsAConnectionError() {
        connectionError(frame(HEADERS, FLAG_PRIORITY | FLAG_END_HEADERS, 3, concat(int32(3), bytes(0))),
                PROTOCOL_ERROR);
        connectionError(frame(HEADERS, FLAG_PRIORITY | FLAG_END_HEADERS, 3, concat(int32(0x80000003), bytes(0))),
                PROTOCOL_ERROR);
    }

    // §6.3 PRIORITY

    @Test
    void rfc9113_6_3_priorityIsReturnedForTheCallerToIgnore() {
        Parsed p = single(frame(PRIORITY, 0, 5, concat(int32(3), bytes(200))));
        assertThat(p.type()).isEqualTo(PRIORITY);
        assertThat(p.streamId()).isEqualTo(5);
    }

    @Test
    void rfc9113_6_3_priorityOnStream0IsProtocolError() {
        connectionError(frame(PRIORITY, 0, 0, concat(int32(3), bytes(0))), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_6_3_priorityOfWrongLengthIsAStreamFrameSizeError() {
        streamError(frame(PRIORITY, 0, 5, bytes(0, 0, 0, 3)), 5, FRAME_SIZE_ERROR);
        streamError(frame(PRIORITY, 0, 5, bytes(0, 0, 0, 3, 0, 0)), 5, FRAME_SIZE_ERROR);
        // The frame is consumed: the next one is parsed.
        Outcome o = everySplit(concat(frame(PRIORITY, 0, 5), frame(PING, 0, 0, new byte[8])));
        assertThat(o.frames()).extracting(Parsed::type).containsExactly(PRIORITY, PING);
        assertThat(o.frames().get(1).streamError()).isNull();
    }

    @Test
    void rfc7540_5_3_1_priorityDependingOnItselfIsAStreamError() {
        streamError(frame(PRIORITY, 0, 5, concat(int32(5), bytes(0))), 5, PROTOCOL_ERROR);
    }

    // §6.4 RST_STREAM

    @Test
    void rfc9113_6_4_rstStreamCarriesItsErrorCode() {
        FrameParser p = new FrameParser(MAX);
        byte[] f = frame(RST_STREAM, 0, 9, int32(0x8));
        assertThat(p.parse(f, 0, f.length)).isEqualTo(13);
        assertThat(Http2Error.of(p.errorCode())).isEqualTo(CANCEL);
        assertThat(p.streamId()).isEqualTo(9);
    }

    @Test
    void rfc9113_6_4_rstStreamNotFourBytesIsFrameSizeError() {
        connectionError(frame(RST_STREAM, 0, 1, bytes(0, 0, 8)), FRAME_SIZE_ERROR);
        connectionError(frame(RST_STREAM, 0, 1, bytes(0, 0, 0, 8, 0)), FRAME_SIZE_ERROR);
    }

    @Test
    void rfc9113_6_4_rstStreamOnStream0IsProtocolError() {
        connectionError(frame(RST_STREAM, 0, 0, int32(8)), PROTOCOL_ERROR);
    }

    // §6.5 SETTINGS (values: SettingsTest)

    @Test
    void rfc9113_6_5_settingsAndAck() {
        Parsed s = single(frame(SETTINGS, 0, 0, bytes(0, 3, 0, 0, 0, 100, 0, 4, 0, 1, 0, 0)));
        assertThat(s.ack()).isFalse();
        assertThat(s.length()).isEqualTo(12);
        assertThat(single(frame(SETTINGS, FLAG_ACK, 0)).ack()).isTrue();
        assertThat(single(frame(SETTINGS, 0, 0)).length()).isZero();
    }

    @Test
    void rfc9113_6_5_settingsOnAStreamIsProtocolError() {
        connectionError(frame(SETTINGS, 0, 1), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_6_5_settingsAckWithPayloadIsFrameSizeError() {
        connectionError(frame(SETTINGS, FLAG_ACK, 0, bytes(0, 3, 0, 0, 0, 100)), FRAME_SIZE_ERROR);
    }

    @Test
    void rfc9113_6_5_settingsNotAMultipleOfSixIsFrameSizeError() {
        connectionError(frame(SETTINGS, 0, 0, bytes(0, 3, 0, 0, 0)), FRAME_SIZE_ERROR);
        connectionError(frame(SETTINGS, 0, 0, bytes(0, 3, 0, 0, 0, 100, 0)), FRAME_SIZE_ERROR);
    }

    // §6.6 PUSH_PROMISE

    @Test
    void rfc9113_8_4_pushPromiseIsProtocolErrorAsPushIsDisabled() {
        connectionError(frame(PUSH_PROMISE, FLAG_END_HEADERS, 1, concat(int32(2), bytes(0x82))), PROTOCOL_ERROR);
    }

    // §6.7 PING

    @Test
    void rfc9113_6_7_pingDataAndAck() {
        FrameParser p = new FrameParser(MAX);
        byte[] f = frame(PING, FLAG_ACK, 0, bytes(1, 2, 3, 4, 5, 6, 7, 0xff));
        assertThat(p.parse(f, 0, f.length)).isEqualTo(17);
        assertThat(p.ack()).isTrue();
        assertThat(p.pingData()).isEqualTo(0x01020304050607ffL);
    }

    @Test
    void rfc9113_6_7_pingNotEightBytesIsFrameSizeError() {
        connectionError(frame(PING, 0, 0, new byte[7]), FRAME_SIZE_ERROR);
        connectionError(frame(PING, 0, 0, new byte[9]), FRAME_SIZE_ERROR);
    }

    @Test
    void rfc9113_6_7_pingOnAStreamIsProtocolError() {
        connectionError(frame(PING, 0, 1, new byte[8]), PROTOCOL_ERROR);
    }

    // §6.8 GOAWAY

    @Test
    void rfc9113_6_8_goawayFields() {
        FrameParser p = new FrameParser(MAX);
        byte[] f = frame(GOAWAY, 0, 0, concat(int32(0x80000007), int32(0xb), bytes('b', 'y', 'e')));
        assertThat(p.parse(f, 0, f.length)).isEqualTo(f.length);
        assertThat(p.lastStreamId()).isEqualTo(7);
        assertThat(Http2Error.of(p.errorCode())).isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(new String(f, p.debugDataStart(), p.payloadEnd() - p.debugDataStart(), StandardCharsets.US_ASCII))
                .isEqualTo("bye");
        assertThat(Http2Error.of(0x1234)).as("unknown codes (RFC 9113 §7)").isEqualTo(INTERNAL_ERROR);
        assertThat(Http2Error.of(-1)).isEqualTo(INTERNAL_ERROR);
    }

    @Test
    void rfc9113_6_8_goawayOnAStreamIsProtocolError() {
        connectionError(frame(GOAWAY, 0, 3, new byte[8]), PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_6_8_goawayShorterThanEightIsFrameSizeError() {
        connectionError(frame(GOAWAY, 0, 0, new byte[7]), FRAME_SIZE_ERROR);
    }

    // §6.9 WINDOW_UPDATE

    @Test
    void rfc9113_6_9_windowUpdateIncrementWithReservedBitCleared() {
        FrameParser p = new FrameParser(MAX);
        byte[] f = frame(WINDOW_UPDATE, 0, 0, int32(0x80010000));
        p.parse(f, 0, f.length);
        assertThat(p.windowIncrement()).isEqualTo(0x10000);
        assertThat(single(frame(WINDOW_UPDATE, 0, 3, int32(0x7fffffff))).streamId()).isEqualTo(3);
    }

    @Test
    void rfc9113_6_9_windowUpdateNotFourBytesIsFrameSizeError() {
        connectionError(frame(WINDOW_UPDATE, 0, 0, bytes(0, 0, 1)), FRAME_SIZE_ERROR);
        connectionError(frame(WINDOW_UPDATE, 0, 1, bytes(0, 0, 0, 1, 0)), FRAME_SIZE_ERROR);
    }

    @Test
    void rfc9113_6_9_zeroIncrementIsAStreamErrorOnAStream() {
        streamError(frame(WINDOW_UPDATE, 0, 1, int32(0)), 1, PROTOCOL_ERROR);
        streamError(frame(WINDOW_UPDATE, 0, 1, int32(0x80000000)), 1, PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_6_9_zeroIncrementOnTheConnectionIsAConnectionError() {
        connectionError(frame(WINDOW_UPDATE, 0, 0, int32(0)), PROTOCOL_ERROR);
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
