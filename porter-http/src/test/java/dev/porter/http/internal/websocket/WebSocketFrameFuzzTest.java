package dev.porter.http.internal.websocket;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.internal.websocket.Decoding.Outcome;
import dev.porter.http.testing.Splits;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the WebSocket codec on raw bytes, with no socket: {@link FrameParser}, {@link MessageDecoder} with and
 * without permessage-deflate, {@link CloseCodes} and {@link Utf8Validator}. For every input:
 * <ul>
 *   <li>the only failure is a {@link CloseException} with a code a server may send (1002, 1007 or 1009) and a
 *       message (anything else escapes and fails the run);</li>
 *   <li>the outcome is the same whole, byte by byte and in random splits, as a server (frames masked, no
 *       extension) and as a client (frames unmasked, permessage-deflate on), so compressed input is inflated
 *       (there, which of 1002, 1007 and 1009 fails a corrupt compressed message may depend on the split, see
 *       {@link #compressedSplits});</li>
 *   <li>the frames the parser accepts, written again with {@link FrameWriter#header} and their masking keys, are
 *       the input's own bytes wherever the input used the shortest length form, and parse to the same frames
 *       everywhere;</li>
 *   <li>{@link Utf8Validator} agrees with the JDK's strict UTF-8 decoder.</li>
 * </ul>
 * Replays {@code WebSocketFrameFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign when
 * given {@code WebSocketFrameFuzzTest#decodesTheSameWayHoweverSplit}.
 */
class WebSocketFrameFuzzTest {

    private static final int MAX = 4096;

    @FuzzTest(maxDuration = "10m")
    void decodesTheSameWayHoweverSplit(byte[] input) {
        check(Decoding.everySplit(input, Decoding.server(MAX, 2 * MAX)));
        check(compressedSplits(input));
        reencodes(input, true);
        reencodes(input, false);

        Utf8Validator v = new Utf8Validator();
        boolean ours = v.feed(input, 0, input.length) && v.complete();
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(input));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        assertThat(ours).isEqualTo(jdk);
    }

    /**
     * The client's decoder with permessage-deflate, whole, byte by byte and in random splits: the same events, and
     * an error in all three or none. Which error may differ: zlib inflates what it is given in one call, so a
     * compressed text whose data turns corrupt (1002) after bytes that are not UTF-8 (1007), or that passes the
     * message limit (1009), fails at whichever it meets first in that call (found by this fuzzer,
     * {@code finding-inflate-error-order}). Uncompressed input has no such freedom (the server's check above).
     */
    private static Outcome compressedSplits(byte[] input) {
        java.util.function.Supplier<MessageDecoder> d = Decoding.client(MAX, 2 * MAX, true);
        Outcome whole = Decoding.feed(input, d, Splits.WHOLE);
        for (Splits s : List.of(Splits.BYTE_BY_BYTE, Splits.random(Arrays.hashCode(input)))) {
            Outcome other = Decoding.feed(input, d, s);
            assertThat(other.events()).isEqualTo(whole.events());
            assertThat(other.error() != 0).as("an error in both: %s / %s", whole, other).isEqualTo(whole.error() != 0);
            if (whole.error() == 0) assertThat(other).isEqualTo(whole);
        }
        return whole;
    }

    private static void check(Outcome o) {
        if (o.error() != 0) assertThat(o.error()).isIn(1002, 1007, 1009);
        for (String e : o.events()) {
            if (e.startsWith("BINARY:")) assertThat(e.length() - 7).isLessThanOrEqualTo(2 * 2 * MAX);
        }
    }

    /** One frame as the parser reads it. */
    private record Frame(boolean fin, boolean rsv1, int opcode, int maskKey, String payload) {
    }

    /** Parses frames with the bare {@link FrameParser} until the input ends or an error, with their spans. */
    private static List<Frame> frames(byte[] in, boolean masked, List<int[]> spans) {
        FrameParser p = new FrameParser(masked, MAX);
        p.allowCompression(true);
        List<Frame> out = new ArrayList<>();
        int pos = 0;
        try {
            while (true) {
                int h = p.header(in, pos, in.length);
                if (h == 0 || in.length - pos - h < p.length()) break;
                byte[] payload = new byte[(int) p.length()];
                p.payload(in, pos + h, in.length, payload, 0);
                out.add(new Frame(p.fin(), p.rsv1(), p.opcode(), masked ? p.maskKey() : 0, HexFormat.of().formatHex(payload)));
                spans.add(new int[]{pos, h, payload.length});
                pos += h + payload.length;
            }
        } catch (CloseException e) {
            assertThat(e.code()).isIn(1002, 1009);
        }
        return out;
    }

    private static void reencodes(byte[] in, boolean masked) {
        List<int[]> spans = new ArrayList<>();
        List<Frame> frames = frames(in, masked, spans);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            byte[] payload = HexFormat.of().parseHex(f.payload);
            byte[] frame = new byte[FrameWriter.headerLength(payload.length, masked) + payload.length];
            int h = FrameWriter.header(frame, 0, f.fin, f.rsv1, f.opcode, payload.length, masked, f.maskKey);
            if (masked) FrameParser.mask(payload, 0, frame, h, payload.length, f.maskKey, 0);
            else System.arraycopy(payload, 0, frame, h, payload.length);
            int[] span = spans.get(i);
            if (span[1] == h) {
                assertThat(frame).as("frame %d written again", i).isEqualTo(Arrays.copyOfRange(in, span[0], span[0] + h + span[2]));
            }
            again.writeBytes(frame);
        }
        assertThat(frames(again.toByteArray(), masked, new ArrayList<>())).isEqualTo(frames);
    }
}
