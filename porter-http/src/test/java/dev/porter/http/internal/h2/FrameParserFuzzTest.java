package dev.porter.http.internal.h2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.internal.h2.FrameFeeds.Outcome;
import dev.porter.http.internal.h2.FrameFeeds.Parsed;
import dev.porter.http.testing.Splits;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.porter.http.internal.h2.FrameType.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link FrameParser} on raw bytes (a connection's input after the preface), fed straight to the state
 * machine ({@link FrameFeeds}, no socket). For every input:
 * <ul>
 *   <li>the only failure is an {@link Http2Exception} (anything else escapes and fails the run);</li>
 *   <li>the outcome is the same whole, byte by byte and in random splits;</li>
 *   <li>it equals an independent reading of RFC 9113 §4 and §6 ({@link #reference}): the same frames, contents and
 *       stream errors, then the same error code at the same frame, or the end of the input;</li>
 *   <li>no frame exceeds the maximum frame size, and the accepted frames, written again with
 *       {@link FrameWriter#header} and their payloads, parse to the same frames;</li>
 *   <li>{@link FrameParser#matchPreface} agrees with a plain comparison.</li>
 * </ul>
 * Replays {@code FrameParserFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign when
 * given {@code FrameParserFuzzTest#parsesExactlyWhatTheRfcDefines}.
 */
class FrameParserFuzzTest {

    static final int MAX = Settings.MIN_MAX_FRAME_SIZE;

    @FuzzTest(maxDuration = "10m")
    void parsesExactlyWhatTheRfcDefines(byte[] input) {
        Outcome whole = FrameFeeds.feed(input, MAX, Splits.WHOLE);
        same(whole, FrameFeeds.feed(input, MAX, Splits.BYTE_BY_BYTE), "byte by byte");
        same(whole, FrameFeeds.feed(input, MAX, Splits.random(Arrays.hashCode(input))), "random splits");

        Outcome expected = reference(input);
        same(expected, whole, "against the reference");
        if (whole.error() != null) {
            assertThat(whole.error().isConnectionError()).isTrue();
            assertThat(whole.error().getMessage()).isNotEmpty();
        }

        byte[] again = new byte[whole.consumed()];
        int p = 0;
        for (Parsed f : whole.frames()) {
            assertThat(f.length()).isLessThanOrEqualTo(MAX);
            byte[] payload = HexFormat.of().parseHex(f.payload());
            p = FrameWriter.header(again, p, payload.length, f.type(), f.flags(), f.streamId());
            System.arraycopy(payload, 0, again, p, payload.length);
            p += payload.length;
        }
        Outcome reparsed = FrameFeeds.feed(again, MAX, Splits.WHOLE);
        assertThat(reparsed.frames()).isEqualTo(whole.frames());
        assertThat(reparsed.error()).isNull();

        int m = FrameParser.matchPreface(input, 0, input.length);
        int n = Math.min(input.length, 24);
        boolean prefix = Arrays.equals(input, 0, n, FrameParser.PREFACE, 0, n);
        assertThat(m).isEqualTo(!prefix ? -1 : n == 24 ? 24 : 0);
    }

    private static void same(Outcome expected, Outcome actual, String how) {
        assertThat(actual.frames()).as("frames, %s", how).isEqualTo(expected.frames());
        assertThat(actual.errorKey()).as("error, %s (%s)", how, actual.error()).isEqualTo(expected.errorKey());
        assertThat(actual.consumed()).as("consumed, %s", how).isEqualTo(expected.consumed());
    }

    /** A connection error as the reference reports it (only its key is compared). */
    private static Outcome fail(List<Parsed> frames, Http2Error error, int consumed) {
        return new Outcome(frames, Http2Exception.connection(error, "reference"), consumed);
    }

    /**
     * An independent reading of RFC 9113 §4.1, §4.2, §5.5, §6.1–§6.10 (rules checked as soon as the frame header
     * decides them, then those needing the payload), written plainly from the RFC text.
     */
    static Outcome reference(byte[] in) {
        List<Parsed> frames = new java.util.ArrayList<>();
        HexFormat hex = HexFormat.of();
        int pos = 0;
        int fieldBlockOf = 0;
        while (in.length - pos >= 9) {
            int length = (in[pos] & 0xff) << 16 | (in[pos + 1] & 0xff) << 8 | in[pos + 2] & 0xff;
            int type = in[pos + 3] & 0xff;
            int flags = in[pos + 4] & 0xff;
            int stream = (in[pos + 5] & 0x7f) << 24 | (in[pos + 6] & 0xff) << 16 | (in[pos + 7] & 0xff) << 8
                    | in[pos + 8] & 0xff;
            boolean padded = (flags & 0x8) != 0;
            boolean priority = (flags & 0x20) != 0;
            boolean ack = (flags & 0x1) != 0;
            if (length > MAX) return fail(frames, Http2Error.FRAME_SIZE_ERROR, pos);
            if (fieldBlockOf != 0 && (type != 9 || stream != fieldBlockOf)) {
                return fail(frames, Http2Error.PROTOCOL_ERROR, pos);
            }
            boolean needsStream = type == 0 || type == 1 || type == 2 || type == 3 || type == 9;
            boolean needsZero = type == 4 || type == 6 || type == 7;
            Http2Error headerError = null;
            if (type == 5) headerError = Http2Error.PROTOCOL_ERROR;
            else if (needsStream && stream == 0 || needsZero && stream != 0) headerError = Http2Error.PROTOCOL_ERROR;
            else if (type == 0 && padded && length < 1) headerError = Http2Error.FRAME_SIZE_ERROR;
            else if (type == 1 && length < (padded ? 1 : 0) + (priority ? 5 : 0)) headerError = Http2Error.FRAME_SIZE_ERROR;
            else if (type == 3 && length != 4) headerError = Http2Error.FRAME_SIZE_ERROR;
            else if (type == 4 && (ack && length != 0 || length % 6 != 0)) headerError = Http2Error.FRAME_SIZE_ERROR;
            else if (type == 6 && length != 8) headerError = Http2Error.FRAME_SIZE_ERROR;
            else if (type == 7 && length < 8) headerError = Http2Error.FRAME_SIZE_ERROR;
            else if (type == 8 && length != 4) headerError = Http2Error.FRAME_SIZE_ERROR;
            else if (type == 9 && fieldBlockOf == 0) headerError = Http2Error.PROTOCOL_ERROR;
            if (headerError != null) return fail(frames, headerError, pos);
            if (in.length - pos - 9 < length) break;

            int start = pos + 9;
            int end = start + length;
            int contentStart = start;
            int contentEnd = end;
            String streamError = null;
            if ((type == 0 || type == 1) && padded) {
                int pad = in[start] & 0xff;
                if (pad >= length) return fail(frames, Http2Error.PROTOCOL_ERROR, pos);
                contentStart++;
                contentEnd -= pad;
            }
            if (type == 1 && priority) {
                int dependency = readInt(in, contentStart) & 0x7fffffff;
                if (dependency == stream) return fail(frames, Http2Error.PROTOCOL_ERROR, pos);
                contentStart += 5;
                if (contentStart > contentEnd) return fail(frames, Http2Error.PROTOCOL_ERROR, pos);
            }
            if (type == 2) {
                if (length != 5) streamError = stream + ":" + Http2Error.FRAME_SIZE_ERROR;
                else if ((readInt(in, start) & 0x7fffffff) == stream) streamError = stream + ":" + Http2Error.PROTOCOL_ERROR;
            }
            if (type == 8 && (readInt(in, start) & 0x7fffffff) == 0) {
                if (stream == 0) return fail(frames, Http2Error.PROTOCOL_ERROR, pos);
                streamError = stream + ":" + Http2Error.PROTOCOL_ERROR;
            }
            frames.add(new Parsed(type, flags, stream, length, hex.formatHex(in, start, end),
                    hex.formatHex(in, contentStart, contentEnd), (type == 0 || type == 1) && ack,
                    (type == 1 || type == 9) && (flags & 0x4) != 0, (type == 4 || type == 6) && ack, streamError));
            if (type == 1 && (flags & 0x4) == 0) fieldBlockOf = stream;
            if (type == 9 && (flags & 0x4) != 0) fieldBlockOf = 0;
            pos = end;
        }
        return new Outcome(frames, null, pos);
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
    }
}
