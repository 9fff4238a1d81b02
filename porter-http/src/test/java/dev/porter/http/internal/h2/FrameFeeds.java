package dev.porter.http.internal.h2;

import dev.porter.http.testing.Splits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Drives {@link FrameParser} over an input the way a connection's read buffer would: the input arrives in pieces
 * chosen by a {@link Splits}; after each piece, frames are parsed until the parser needs more; what it did not
 * consume is kept and offered again, with the next piece after it, in a fresh array at a different offset (so a
 * parser that kept indexes or read outside its range is caught). No sockets.
 */
final class FrameFeeds {

    private FrameFeeds() {
    }

    /** One frame as the parser returned it, with its payload copied (comparable whatever the split). */
    record Parsed(int type, int flags, int streamId, int length, String payload, String content, boolean endStream,
                  boolean endHeaders, boolean ack, String streamError) {

        static Parsed of(FrameParser p) {
            HexFormat hex = HexFormat.of();
            byte[] b = p.buffer();
            Http2Exception se = p.streamError();
            return new Parsed(p.type(), p.flags(), p.streamId(), p.length(),
                    hex.formatHex(Arrays.copyOfRange(b, p.payloadStart(), p.payloadEnd())),
                    hex.formatHex(Arrays.copyOfRange(b, p.contentStart(), p.contentEnd())),
                    p.endStream(), p.endHeaders(), p.ack(),
                    se == null ? null : se.streamId() + ":" + se.error());
        }
    }

    /** What feeding an input gave: the frames, then an error or not, and how far the parser consumed. */
    record Outcome(List<Parsed> frames, Http2Exception error, int consumed) {
        String errorKey() {
            return error == null ? null : (error.isConnectionError() ? "connection " : "stream ") + error.error();
        }
    }

    static Outcome feed(byte[] input, int maxFrameSize, Splits splits) {
        FrameParser parser = new FrameParser(maxFrameSize);
        List<Parsed> frames = new ArrayList<>();
        byte[] buf = new byte[0];
        int start = 0;
        int end = 0;
        int fed = 0;
        int consumed = 0;
        int shift = 0;
        while (true) {
            try {
                int n;
                while ((n = parser.parse(buf, start, end)) > 0) {
                    frames.add(Parsed.of(parser));
                    start += n;
                    consumed += n;
                }
            } catch (Http2Exception e) {
                return new Outcome(frames, e, consumed);
            }
            if (fed == input.length) return new Outcome(frames, null, consumed);
            int k = splits.next(input.length - fed);
            // A fresh array, the unconsumed bytes at a new offset, then the new piece.
            int offset = 1 + shift++ % 5;
            byte[] next = new byte[offset + (end - start) + k + 3];
            Arrays.fill(next, (byte) 0x5a);
            System.arraycopy(buf, start, next, offset, end - start);
            System.arraycopy(input, fed, next, offset + end - start, k);
            end = offset + end - start + k;
            start = offset;
            buf = next;
            fed += k;
        }
    }
}
