package dev.porter.http.internal.http1;

import dev.porter.http.Headers;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.client.ResponseBody;

import java.nio.charset.StandardCharsets;

/**
 * The framing of the chunked transfer coding (RFC 9112 §7.1) as a pure state machine over bytes: chunk-size lines
 * (hex, overflow-checked, extensions validated and ignored, the line bounded), the CRLF after each chunk's data,
 * and the trailer section. {@link #parse} consumes framing bytes and stops where chunk data begins (the caller
 * moves up to {@link #dataLeft()} bytes itself, straight to where they go, and reports them with
 * {@link #dataConsumed}), right after the CRLF that ends a chunk, at the end of the body, or at an incomplete line
 * (feed the unconsumed bytes again, with more). No I/O. Shared by request bodies on the server
 * ({@link ChunkedBody}) and response bodies in the client ({@link ResponseBody}); each supplies its own
 * {@link Errors}. Not thread-safe.
 */
public final class ChunkedDecoder<E extends Exception> {

    /** The errors of one side: the server answers 400 or 431, the client raises its own exceptions. */
    interface Errors<E extends Exception> {
        /** The bytes break the chunked grammar. */
        E malformed(String why);

        /** The stream ended inside the chunked framing. */
        E truncated(String why);

        /** The trailer section has more fields than allowed. */
        E tooManyTrailers(String why);
    }

    /** Longest chunk-size line, extensions included. */
    static final int MAX_SIZE_LINE = 4096;
    /** At most 15 hex digits, so a size never overflows a long. */
    private static final int MAX_HEX_DIGITS = 15;

    private static final int SIZE = 0;
    private static final int DATA = 1;
    private static final int DATA_END = 2;
    private static final int TRAILERS = 3;
    private static final int DONE = 4;

    private final Errors<E> errors;
    private final int maxTrailerBytes;
    private final int maxTrailerCount;
    private final boolean lenient;
    /** Trailer fields, filled once the last chunk was read. */
    public final Headers trailers = new Headers();
    private int state = SIZE;
    private long chunkLeft;
    private int scanned;
    private int trailerBytes;

    /**
     * @param lenient accept a bare LF as a line end (RFC 9112 §2.2 allows it; off by default, see
     *                {@link dev.porter.http.HttpConfig#lenientLineEnds()})
     */
    public ChunkedDecoder(Errors<E> errors, int maxTrailerBytes, int maxTrailerCount, boolean lenient) {
        this.errors = errors;
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxTrailerCount = maxTrailerCount;
        this.lenient = lenient;
    }

    /** @return true while chunk data is next: up to {@link #dataLeft()} bytes belong to the body */
    boolean inData() {
        return state == DATA;
    }

    /** @return data bytes left in the current chunk (0 outside data) */
    long dataLeft() {
        return state == DATA ? chunkLeft : 0;
    }

    /** @return true while the CRLF ending a chunk's data is next */
    boolean atChunkEnd() {
        return state == DATA_END;
    }

    /** @return true once the last chunk and the trailer section were consumed */
    boolean done() {
        return state == DONE;
    }

    /** Reports {@code n} bytes of chunk data moved by the caller. */
    void dataConsumed(long n) {
        if (state != DATA || n < 0 || n > chunkLeft) throw new IllegalStateException("not " + n + " bytes of chunk data");
        chunkLeft -= n;
        if (chunkLeft == 0) state = DATA_END;
    }

    /** @return the most unread bytes a caller must hold for the pending framing to complete */
    int maxPending() {
        return switch (state) {
            case SIZE -> MAX_SIZE_LINE + 3;
            case TRAILERS -> Math.max(0, maxTrailerBytes - trailerBytes) + 3;
            default -> 2;
        };
    }

    /** @return the error for a stream that ended here */
    E truncated() {
        return errors.truncated(switch (state) {
            case DATA -> "connection closed inside a chunk";
            case DATA_END -> "connection closed after chunk data";
            default -> "connection closed inside the chunked body";
        });
    }

    /**
     * Consumes framing bytes from {@code b[start, end)}.
     *
     * @return the index after the last byte consumed; it stops at chunk data ({@link #inData()}), after the CRLF
     *         ending a chunk, at the end of the body ({@link #done()}), or when the bytes end inside framing
     */
    int parse(byte[] b, int start, int end) throws E {
        int p = start;
        while (true) {
            switch (state) {
                case SIZE -> {
                    int lf = lineEnd(b, p, end, MAX_SIZE_LINE, "chunk size line");
                    if (lf < 0) return p;
                    long size = sizeLine(b, p, contentEnd(b, p, lf));
                    p = lf + 1;
                    chunkLeft = size;
                    state = size == 0 ? TRAILERS : DATA;
                }
                case DATA_END -> {
                    int avail = end - p;
                    if (avail == 0 || (avail == 1 && !(lenient && b[p] == '\n'))) return p;
                    if (b[p] == '\r' && b[p + 1] == '\n') {
                        p += 2;
                    } else if (lenient && b[p] == '\n') {
                        p += 1;
                    } else {
                        throw errors.malformed("chunk data not followed by CRLF");
                    }
                    state = SIZE;
                    return p; // a chunk is complete: the caller hands its data on before waiting for the next
                }
                case TRAILERS -> {
                    int lf = lineEnd(b, p, end, Math.max(0, maxTrailerBytes - trailerBytes), "trailer section");
                    if (lf < 0) return p;
                    int lineEnd = contentEnd(b, p, lf);
                    trailerBytes += lf + 1 - p;
                    if (lineEnd == p) {
                        state = DONE;
                    } else {
                        // trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2)
                        if (trailers.size() >= maxTrailerCount) throw errors.tooManyTrailers("too many trailer fields");
                        parseTrailer(b, p, lineEnd);
                    }
                    p = lf + 1;
                }
                default -> {
                    return p; // DATA or DONE
                }
            }
        }
    }

    /** @return the LF index ending the line at {@code p} of at most {@code limit} bytes, or -1 if it is incomplete */
    private int lineEnd(byte[] b, int p, int end, int limit, String what) throws E {
        for (int i = p + scanned; i < end; i++) {
            if (b[i] == '\n') {
                scanned = 0;
                if (i - p > limit + 1) throw errors.malformed(what + " too long");
                return i;
            }
        }
        scanned = end - p;
        if (scanned > limit + 1) throw errors.malformed(what + " too long");
        return -1;
    }

    private int contentEnd(byte[] b, int p, int lf) throws E {
        if (lf > p && b[lf - 1] == '\r') return lf - 1;
        if (!lenient) throw errors.malformed("bare LF in chunked body (expected CRLF)");
        return lf;
    }

    /** {@code chunk-size [ chunk-ext ]}: @return the chunk's size; 0 for the last chunk */
    private long sizeLine(byte[] in, int i, int end) throws E {
        long size = 0;
        int digits = 0;
        while (i < end) {
            int v = Ascii.hexValue(in[i]);
            if (v < 0) break;
            if (++digits > MAX_HEX_DIGITS) throw errors.malformed("chunk size too large");
            size = size << 4 | v;
            i++;
        }
        if (digits == 0) throw errors.malformed("missing or invalid chunk size");
        if (i < end) checkExtensions(in, i, end);
        return size;
    }

    /**
     * chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-name = token,
     * ext-val = token / quoted-string (RFC 9112 §7.1.1, RFC 9110 §5.6.4). Extensions are validated and ignored.
     */
    private void checkExtensions(byte[] in, int i, int end) throws E {
        while (i < end) {
            i = skipBws(in, i, end);
            if (i == end || in[i] != ';') throw errors.malformed("invalid character after chunk size");
            i = skipBws(in, i + 1, end);
            int name = i;
            while (i < end && Ascii.isTchar(in[i])) i++;
            if (i == name) throw errors.malformed("missing chunk extension name");
            // BWS after a name belongs to a following "=": without one, whitespace may only precede another ";"
            // (so "5;a \r\n" is refused like "5;a=b \r\n" and "5 \r\n"; a fuzzing finding).
            int afterName = i;
            i = skipBws(in, i, end);
            if (i < end && in[i] == '=') {
                i = skipBws(in, i + 1, end);
                if (i < end && in[i] == '"') {
                    i = quotedString(in, i + 1, end);
                } else {
                    int v = i;
                    while (i < end && Ascii.isTchar(in[i])) i++;
                    if (i == v) throw errors.malformed("missing chunk extension value");
                }
            } else {
                i = afterName;
                if (i < end && skipBws(in, i, end) == end) throw errors.malformed("whitespace after chunk extension");
            }
        }
    }

    private static int skipBws(byte[] in, int i, int end) {
        while (i < end && (in[i] == ' ' || in[i] == '\t')) i++;
        return i;
    }

    /** @return the index after the closing quote of a quoted-string whose opening quote was at {@code i - 1} */
    private int quotedString(byte[] in, int i, int end) throws E {
        while (i < end) {
            byte ch = in[i];
            if (ch == '"') return i + 1;
            if (ch == '\\') {
                if (++i == end || !Ascii.isFieldValueChar(in[i])) throw errors.malformed("bad escape in chunk extension");
            } else if (!Ascii.isFieldValueChar(ch)) {
                throw errors.malformed("control character in chunk extension");
            }
            i++;
        }
        throw errors.malformed("unterminated quoted string in chunk extension");
    }

    private void parseTrailer(byte[] b, int off, int end) throws E {
        if (b[off] == ' ' || b[off] == '\t') throw errors.malformed("obs-fold in trailer section");
        int i = off;
        while (i < end && Ascii.isTchar(b[i])) i++;
        if (i == off || i == end || b[i] != ':') throw errors.malformed("malformed trailer field");
        int v = i + 1;
        while (v < end && (b[v] == ' ' || b[v] == '\t')) v++;
        int ve = end;
        while (ve > v && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
        for (int k = v; k < ve; k++) {
            if (!Ascii.isFieldValueChar(b[k])) throw errors.malformed("control character in trailer field");
        }
        trailers.add(new String(b, off, i - off, StandardCharsets.ISO_8859_1),
                new String(b, v, ve - v, StandardCharsets.ISO_8859_1));
    }
}
