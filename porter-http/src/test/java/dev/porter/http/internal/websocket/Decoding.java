package dev.porter.http.internal.websocket;

import dev.porter.http.testing.Splits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives a {@link MessageDecoder} over a byte array the way a session drives it over a connection's read buffer,
 * with the input arriving in pieces chosen by a {@link Splits}: what the decoder left unconsumed (a partial frame
 * header) is offered again with the next piece after it. Collects every event as a short string, so outcomes of
 * different splits compare with {@code equals}. No sockets.
 */
final class Decoding {

    private Decoding() {
    }

    /**
     * What a feed produced.
     *
     * @param events   each event: {@code TEXT:<text>}, {@code BINARY:<hex>}, {@code PING:<hex>}, {@code PONG:<hex>},
     *                 {@code CLOSE:<code>:<reason>}
     * @param error    the close code of the {@link CloseException} that ended the feed, or 0
     * @param consumed bytes consumed when the feed ended, -1 after an error
     */
    record Outcome(List<String> events, int error, int consumed) {
    }

    static Outcome feed(byte[] input, Supplier<MessageDecoder> decoders, Splits splits) {
        MessageDecoder d = decoders.get();
        List<String> events = new ArrayList<>();
        byte[] buf = new byte[input.length];
        int start = 0;
        int end = 0;
        int fed = 0;
        int consumed = 0;
        try {
            while (fed < input.length) {
                int n = splits.next(input.length - fed);
                System.arraycopy(input, fed, buf, end, n);
                fed += n;
                end += n;
                while (true) {
                    int c = d.decode(buf, start, end);
                    start += c;
                    consumed += c;
                    if (d.event() == MessageDecoder.Event.NONE) break;
                    events.add(describe(d));
                }
            }
        } catch (CloseException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) throw new AssertionError("no message", e);
            return new Outcome(events, e.code(), -1); // where inside the last call it failed is not reported
        }
        return new Outcome(events, 0, consumed);
    }

    static String describe(MessageDecoder d) {
        HexFormat hex = HexFormat.of();
        return switch (d.event()) {
            case TEXT -> "TEXT:" + d.text();
            case BINARY -> "BINARY:" + hex.formatHex(d.data(), d.dataStart(), d.dataStart() + d.length());
            case PING -> "PING:" + hex.formatHex(d.control(), 0, d.controlLength());
            case PONG -> "PONG:" + hex.formatHex(d.control(), 0, d.controlLength());
            case CLOSE -> "CLOSE:" + d.closeCode() + ":" + d.closeReason();
            case NONE -> throw new AssertionError("no event");
        };
    }

    /** A server's decoder (frames must be masked) with these limits and no compression. */
    static Supplier<MessageDecoder> server(int maxFrame, int maxMessage) {
        return () -> new MessageDecoder(true, maxFrame, maxMessage, null);
    }

    /** A client's decoder (frames must not be masked). */
    static Supplier<MessageDecoder> client(int maxFrame, int maxMessage, boolean deflate) {
        return () -> new MessageDecoder(false, maxFrame, maxMessage, deflate ? new PerMessageDeflate(false) : null);
    }

    /** Whole, byte by byte and in random splits: the same outcome each time, which is returned. */
    static Outcome everySplit(byte[] input, Supplier<MessageDecoder> decoders) {
        Outcome whole = feed(input, decoders, Splits.WHOLE);
        Outcome bytes = feed(input, decoders, Splits.BYTE_BY_BYTE);
        Outcome random = feed(input, decoders, Splits.random(Arrays.hashCode(input)));
        if (!whole.equals(bytes)) throw new AssertionError("byte by byte " + bytes + " differs from whole " + whole);
        if (!whole.equals(random)) throw new AssertionError("random splits " + random + " differ from whole " + whole);
        return whole;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A client frame: masked with {@code key}, minimal length form. */
    static byte[] masked(boolean fin, int rsv, int opcode, byte[] payload, int key) {
        byte[] out = new byte[FrameWriter.headerLength(payload.length, true) + payload.length];
        int h = FrameWriter.header(out, 0, fin, false, opcode, payload.length, true, key);
        out[0] |= (byte) (rsv << 4);
        FrameParser.mask(payload, 0, out, h, payload.length, key, 0);
        return out;
    }

    static byte[] masked(boolean fin, int opcode, byte[] payload) {
        return masked(fin, 0, opcode, payload, 0x37fa213d);
    }
}
