package dev.porter.http.internal;

import dev.porter.core.internal.SocketConnection;
import dev.porter.http.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The framing of the chunked transfer coding (RFC 9112 §7.1), read straight from a connection's input buffer:
 * chunk-size lines (hex, overflow-checked, extensions validated and ignored, the line bounded), the CRLF after each
 * chunk's data, and the trailer section. Shared by request bodies on the server ({@link ChunkedBody}) and response
 * bodies in the client ({@link ResponseBody}); each supplies its own {@link Errors}. Not thread-safe.
 */
final class ChunkedDecoder<E extends Exception> {

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

    private final SocketConnection c;
    private final Errors<E> errors;
    private final int maxTrailerBytes;
    private final int maxTrailerCount;
    private final boolean lenient;
    /** Trailer fields, filled once the last chunk was read. */
    final Headers trailers = new Headers();

    /**
     * @param lenient accept a bare LF as a line end (RFC 9112 §2.2 allows it; off by default, see
     *                {@link dev.porter.http.HttpConfig#lenientLineEnds()})
     */
    ChunkedDecoder(SocketConnection c, Errors<E> errors, int maxTrailerBytes, int maxTrailerCount, boolean lenient) {
        this.c = c;
        this.errors = errors;
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxTrailerCount = maxTrailerCount;
        this.lenient = lenient;
    }

    /** @return the LF index ending the next line of at most {@code limit} bytes */
    private int line(int limit, String what) throws IOException, E {
        int scanned = 0;
        while (true) {
            for (int i = c.inPos + scanned; i < c.inLim; i++) {
                if (c.in[i] == '\n') {
                    if (i - c.inPos > limit + 1) throw errors.malformed(what + " too long");
                    return i;
                }
            }
            scanned = c.inLim - c.inPos;
            if (scanned > limit + 1) throw errors.malformed(what + " too long");
            if (!c.fill(true, limit + 3)) throw errors.truncated("connection closed inside the chunked body");
        }
    }

    private int contentEnd(int lf) throws E {
        if (lf > c.inPos && c.in[lf - 1] == '\r') return lf - 1;
        if (!lenient) throw errors.malformed("bare LF in chunked body (expected CRLF)");
        return lf;
    }

    /**
     * Reads {@code chunk-size [ chunk-ext ] CRLF}, where chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ).
     *
     * @return the chunk's size; 0 for the last chunk (then call {@link #readTrailers()})
     */
    long readSizeLine() throws IOException, E {
        int lf = line(MAX_SIZE_LINE, "chunk size line");
        int end = contentEnd(lf);
        byte[] in = c.in;
        int i = c.inPos;
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
        c.inPos = lf + 1;
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

    /** Reads the CRLF that ends a chunk's data. */
    void expectCrlf() throws IOException, E {
        while (c.buffered() < 2) {
            if (c.buffered() == 1 && c.in[c.inPos] == '\n' && lenient) break;
            if (!c.fill(true, Integer.MAX_VALUE)) throw errors.truncated("connection closed after chunk data");
        }
        if (c.in[c.inPos] == '\r' && c.in[c.inPos + 1] == '\n') {
            c.inPos += 2;
        } else if (lenient && c.in[c.inPos] == '\n') {
            c.inPos += 1;
        } else {
            throw errors.malformed("chunk data not followed by CRLF");
        }
    }

    /** trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2), into {@link #trailers}. */
    void readTrailers() throws IOException, E {
        int bytes = 0;
        while (true) {
            int lf = line(Math.max(0, maxTrailerBytes - bytes), "trailer section");
            int end = contentEnd(lf);
            bytes += lf + 1 - c.inPos;
            if (end == c.inPos) {
                c.inPos = lf + 1;
                return;
            }
            if (trailers.size() >= maxTrailerCount) throw errors.tooManyTrailers("too many trailer fields");
            parseTrailer(c.in, c.inPos, end);
            c.inPos = lf + 1;
        }
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
