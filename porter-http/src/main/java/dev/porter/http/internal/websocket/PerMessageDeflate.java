package dev.porter.http.internal.websocket;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension's codec (RFC 7692 §7.2) with the JDK's {@link Deflater} and {@link Inflater}
 * in raw DEFLATE mode (no zlib header). A message is compressed with a sync flush and sent without the final
 * {@code 00 00 ff ff} of the empty stored block that ends it (§7.2.1); the receiver appends those four bytes
 * before it inflates the last frame (§7.2.2). Inflation is bounded: past the largest message accepted it stops
 * with 1009, so a small compressed message cannot expand into gigabytes (a "zip bomb").
 * <p>
 * Context takeover (§7.1.1): this end compresses each message with the history of the ones before unless
 * {@code server_no_context_takeover} (or, for a client, {@code client_no_context_takeover}) was agreed, in which
 * case the deflater is reset after every message. The inflater always keeps its history: a peer that resets its
 * own never refers back, so keeping it costs nothing in correctness. The window is always 32 KiB (15 bits): the
 * JDK offers no other, which is why {@link DeflateNegotiation} declines an offer asking us for a smaller one.
 * <p>
 * The deflater and inflater hold native memory (a few hundred KiB with the history), so each is made on first
 * use: a connection that never sends or never receives a compressed message never has one. {@link #close()}
 * frees them. Not thread-safe: the sender's side and the receiver's side are each used by one thread at a time.
 */
public final class PerMessageDeflate implements AutoCloseable {

    /** The empty stored block that a sync flush ends with (§7.2.1). */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    private final boolean resetAfterMessage;
    private Deflater deflater;
    private Inflater inflater;
    private byte[] out = new byte[0];
    private final byte[] probe = new byte[1];

    /** @param resetAfterMessage true if this end may not take its compression context over to the next message */
    public PerMessageDeflate(boolean resetAfterMessage) {
        this.resetAfterMessage = resetAfterMessage;
    }

    // ---- sending -------------------------------------------------------------------------------------------

    /**
     * Compresses one whole message. The result is in {@link #compressed()} up to the returned length, valid until
     * the next call.
     *
     * @return the compressed length, without the final {@code 00 00 ff ff}
     */
    public int compress(byte[] message, int off, int len) {
        if (deflater == null) deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(message, off, len);
        if (out.length < len / 2 + 64) out = new byte[len / 2 + 64];
        int n = 0;
        while (true) {
            n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            // A sync flush is complete when it did not fill the output (zlib's documented rule).
            if (n < out.length && deflater.needsInput()) break;
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (resetAfterMessage) deflater.reset();
        if (n >= 4 && Arrays.equals(out, n - 4, n, TAIL, 0, 4)) n -= 4;
        if (n == 0) {
            // zlib writes nothing for a sync flush with no new input right after another one, but the receiver
            // appends 00 00 ff ff to whatever comes and reads a block header first: an empty message is the single
            // byte 00 (RFC 7692 §7.2.3.6), or it would read 00 00 ff ff as a stored block of 0xff00 bytes.
            out[0] = 0;
            n = 1;
        }
        return n;
    }

    /** @return the output of the last {@link #compress} */
    public byte[] compressed() {
        return out;
    }

    // ---- receiving -----------------------------------------------------------------------------------------

    /** The growing message that inflated bytes are appended to. */
    public interface Sink {
        /**
         * @return room for at least {@code wanted} more bytes at {@link #length()}, or fewer when the message limit
         *         is near (0 once it is reached)
         */
        int room(int wanted);

        byte[] array();

        int length();

        void advance(int n);
    }

    /**
     * Inflates one frame's compressed payload into {@code sink}; on the message's last frame the final four bytes
     * are appended first (§7.2.2).
     *
     * @throws CloseException 1009 when the message would pass the sink's limit; 1002 for data that does not
     *                        inflate (RFC 7692 names no code for it: it breaks the extension's framing)
     */
    public void inflate(byte[] src, int off, int len, boolean last, Sink sink) {
        if (inflater == null) inflater = new Inflater(true);
        feed(src, off, len, sink);
        if (last) feed(TAIL, 0, TAIL.length, sink);
    }

    private void feed(byte[] src, int off, int len, Sink sink) {
        inflater.setInput(src, off, len);
        try {
            while (true) {
                if (inflater.finished()) {
                    // The peer ended its stream with a BFINAL block (§7.2.3.4): whatever follows starts a new one.
                    int rest = inflater.getRemaining();
                    inflater.reset();
                    if (rest == 0) return;
                    inflater.setInput(src, off + len - rest, rest);
                }
                int room = sink.room(Math.max(1024, inflater.getRemaining() * 2));
                if (room == 0) {
                    if (inflater.inflate(probe, 0, 1) > 0) {
                        throw new CloseException(CloseCodes.TOO_BIG, "inflated message over the size limit");
                    }
                    if (inflater.needsInput() || inflater.needsDictionary()) return;
                    continue;
                }
                int n = inflater.inflate(sink.array(), sink.length(), room);
                sink.advance(n);
                if (n == 0 && !inflater.finished()) {
                    if (inflater.needsDictionary()) throw CloseException.protocol("compressed data needs a dictionary");
                    return; // all input taken (needsInput): the rest of the message comes with the next frame
                }
            }
        } catch (DataFormatException e) {
            throw CloseException.protocol("compressed data does not inflate: " + e.getMessage());
        }
    }

    /** Frees the native memory. Idempotent. */
    @Override
    public void close() {
        if (deflater != null) deflater.end();
        if (inflater != null) inflater.end();
        deflater = null;
        inflater = null;
    }
}
