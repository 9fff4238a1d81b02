package dev.porter.http.internal;

import dev.porter.core.internal.SocketConnection;
import dev.porter.http.Headers;
import dev.porter.http.HttpException;
import dev.porter.http.Status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A chunked body (RFC 9112 §7.1): chunk-size in hex with optional extensions, CRLF, data, CRLF; a zero-size
 * chunk, trailer fields, and an empty line. Chunk sizes are checked for overflow, the size line (with extensions)
 * is bounded, trailers are parsed like header fields and bounded by the header limits.
 */
final class ChunkedBody extends BodyStream {

    /** Longest chunk-size line, extensions included. */
    static final int MAX_SIZE_LINE = 4096;
    /** At most 15 hex digits, so a size never overflows a long. */
    private static final int MAX_HEX_DIGITS = 15;

    private final int maxTrailerBytes;
    private final int maxTrailerCount;
    private final boolean lenient;
    private long chunkLeft;
    private boolean inData;
    final Headers trailers = new Headers();

    ChunkedBody(SocketConnection c, long limit, Continuer continuer, int maxTrailerBytes, int maxTrailerCount,
                boolean lenient) {
        super(c, limit, continuer);
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxTrailerCount = maxTrailerCount;
        this.lenient = lenient;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (done) return -1;
        if (broken) throw new IOException("request body is broken");
        beforeRead();
        if (!inData) {
            long size = readSizeLine();
            if (size == 0) {
                readTrailers();
                done = true;
                return -1;
            }
            if (consumed + size > limit) throw tooLarge();
            chunkLeft = size;
            inData = true;
        }
        int n = c.readSome(b, off, (int) Math.min(len, chunkLeft), true);
        if (n < 0) throw fail(RequestHead.bad("connection closed inside a chunk"));
        chunkLeft -= n;
        consumed += n;
        if (chunkLeft == 0) {
            expectCrlf();
            inData = false;
        }
        return n;
    }

    /** @return the LF index ending the next line of at most {@code limit} bytes */
    private int line(int limit, String what) throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = c.inPos + scanned; i < c.inLim; i++) {
                if (c.in[i] == '\n') {
                    if (i - c.inPos > limit + 1) throw fail(RequestHead.bad(what + " too long"));
                    return i;
                }
            }
            scanned = c.inLim - c.inPos;
            if (scanned > limit + 1) throw fail(RequestHead.bad(what + " too long"));
            if (!c.fill(true, limit + 3)) throw fail(RequestHead.bad("connection closed inside the chunked body"));
        }
    }

    private int contentEnd(int lf) {
        if (lf > c.inPos && c.in[lf - 1] == '\r') return lf - 1;
        if (!lenient) throw fail(RequestHead.bad("bare LF in chunked body (expected CRLF)"));
        return lf;
    }

    /** chunk-size [ chunk-ext ] CRLF, where chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ). */
    private long readSizeLine() throws IOException {
        int lf = line(MAX_SIZE_LINE, "chunk size line");
        int end = contentEnd(lf);
        byte[] in = c.in;
        int i = c.inPos;
        long size = 0;
        int digits = 0;
        while (i < end) {
            int v = Ascii.hexValue(in[i]);
            if (v < 0) break;
            if (++digits > MAX_HEX_DIGITS) throw fail(RequestHead.bad("chunk size too large"));
            size = size << 4 | v;
            i++;
        }
        if (digits == 0) throw fail(RequestHead.bad("missing or invalid chunk size"));
        if (i < end) checkExtensions(in, i, end);
        c.inPos = lf + 1;
        return size;
    }

    /**
     * chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-name = token,
     * ext-val = token / quoted-string (RFC 9112 §7.1.1, RFC 9110 §5.6.4). Extensions are validated and ignored.
     */
    private void checkExtensions(byte[] in, int i, int end) {
        while (i < end) {
            i = skipBws(in, i, end);
            if (i == end || in[i] != ';') throw fail(RequestHead.bad("invalid character after chunk size"));
            i = skipBws(in, i + 1, end);
            int name = i;
            while (i < end && Ascii.isTchar(in[i])) i++;
            if (i == name) throw fail(RequestHead.bad("missing chunk extension name"));
            // BWS after a name belongs to a following "=": without one, whitespace may only precede another ";"
            // (so "5;a \r\n" is refused like "5;a=b \r\n" and "5 \r\n").
            int afterName = i;
            i = skipBws(in, i, end);
            if (i < end && in[i] == '=') {
                i = skipBws(in, i + 1, end);
                if (i < end && in[i] == '"') {
                    i = quotedString(in, i + 1, end);
                } else {
                    int v = i;
                    while (i < end && Ascii.isTchar(in[i])) i++;
                    if (i == v) throw fail(RequestHead.bad("missing chunk extension value"));
                }
            } else {
                i = afterName;
                if (skipBws(in, i, end) == end && i < end) throw fail(RequestHead.bad("whitespace after chunk extension"));
            }
        }
    }

    private static int skipBws(byte[] in, int i, int end) {
        while (i < end && (in[i] == ' ' || in[i] == '\t')) i++;
        return i;
    }

    /** @return the index after the closing quote of a quoted-string whose opening quote was at {@code i - 1} */
    private int quotedString(byte[] in, int i, int end) {
        while (i < end) {
            byte ch = in[i];
            if (ch == '"') return i + 1;
            if (ch == '\\') {
                if (++i == end || !Ascii.isFieldValueChar(in[i])) throw fail(RequestHead.bad("bad escape in chunk extension"));
            } else if (!Ascii.isFieldValueChar(ch)) {
                throw fail(RequestHead.bad("control character in chunk extension"));
            }
            i++;
        }
        throw fail(RequestHead.bad("unterminated quoted string in chunk extension"));
    }

    private void expectCrlf() throws IOException {
        while (c.buffered() < 2) {
            if (c.buffered() == 1 && c.in[c.inPos] == '\n' && lenient) break;
            if (!c.fill(true, Integer.MAX_VALUE)) throw fail(RequestHead.bad("connection closed after chunk data"));
        }
        if (c.in[c.inPos] == '\r' && c.in[c.inPos + 1] == '\n') {
            c.inPos += 2;
        } else if (lenient && c.in[c.inPos] == '\n') {
            c.inPos += 1;
        } else {
            throw fail(RequestHead.bad("chunk data not followed by CRLF"));
        }
    }

    /** trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2). */
    private void readTrailers() throws IOException {
        int bytes = 0;
        while (true) {
            int lf = line(Math.max(0, maxTrailerBytes - bytes), "trailer section");
            int end = contentEnd(lf);
            bytes += lf + 1 - c.inPos;
            if (end == c.inPos) {
                c.inPos = lf + 1;
                return;
            }
            if (trailers.size() >= maxTrailerCount) {
                throw fail(new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many trailer fields"));
            }
            parseTrailer(c.in, c.inPos, end);
            c.inPos = lf + 1;
        }
    }

    private void parseTrailer(byte[] b, int off, int end) {
        if (b[off] == ' ' || b[off] == '\t') throw fail(RequestHead.bad("obs-fold in trailer section"));
        int i = off;
        while (i < end && Ascii.isTchar(b[i])) i++;
        if (i == off || i == end || b[i] != ':') throw fail(RequestHead.bad("malformed trailer field"));
        int v = i + 1;
        while (v < end && (b[v] == ' ' || b[v] == '\t')) v++;
        int ve = end;
        while (ve > v && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
        for (int k = v; k < ve; k++) {
            if (!Ascii.isFieldValueChar(b[k])) throw fail(RequestHead.bad("control character in trailer field"));
        }
        trailers.add(new String(b, off, i - off, StandardCharsets.ISO_8859_1),
                new String(b, v, ve - v, StandardCharsets.ISO_8859_1));
    }
}
