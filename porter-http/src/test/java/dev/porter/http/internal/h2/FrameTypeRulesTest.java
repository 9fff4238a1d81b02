package dev.porter.http.internal.h2;

import dev.porter.http.internal.h2.FrameFeeds.Outcome;
import dev.porter.http.internal.h2.FrameFeeds.Parsed;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.porter.http.internal.h2.FrameParserTest.*;
import static dev.porter.http.internal.h2.FrameType.*;
import static dev.porter.http.internal.h2.H2Bytes.*;
import static dev.porter.http.internal.h2.Http2Error.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-type rules of RFC 9113 §6.1–§6.9 in {@link FrameParser} (stream identifiers, lengths, padding, priority
 * fields, stream errors), each test named after its section; every input fed whole, byte by byte, at every split
 * point and at random ({@link FrameParserTest#everySplit}).
 */
class FrameTypeRulesTest {

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
}
