package dev.porter.http.internal;

import dev.porter.core.internal.SocketConnection;
import dev.porter.http.HttpException;
import dev.porter.http.Status;

import java.io.IOException;

/**
 * A chunked request body (RFC 9112 §7.1): chunk-size in hex with optional extensions, CRLF, data, CRLF; a zero-size
 * chunk, trailer fields, and an empty line. The framing is read by a {@link ChunkedDecoder} (shared with the
 * client): chunk sizes are checked for overflow, the size line (with extensions) is bounded, trailers are parsed
 * like header fields and bounded by the header limits. Every framing error answers 400 (431 for too many
 * trailers) and marks the body broken.
 */
final class ChunkedBody extends BodyStream implements ChunkedDecoder.Errors<HttpException> {

    private final ChunkedDecoder<HttpException> decoder;
    /** The trailer fields, once the last chunk was read. */
    final dev.porter.http.Headers trailers;
    private long chunkLeft;
    private boolean inData;

    ChunkedBody(SocketConnection c, long limit, Continuer continuer, int maxTrailerBytes, int maxTrailerCount,
                boolean lenient) {
        super(c, limit, continuer);
        this.decoder = new ChunkedDecoder<>(c, this, maxTrailerBytes, maxTrailerCount, lenient);
        this.trailers = decoder.trailers;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (done) return -1;
        if (broken) throw new IOException("request body is broken");
        beforeRead();
        if (!inData) {
            long size = decoder.readSizeLine();
            if (size == 0) {
                decoder.readTrailers();
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
            decoder.expectCrlf();
            inData = false;
        }
        return n;
    }

    @Override
    public HttpException malformed(String why) {
        return fail(RequestHead.bad(why));
    }

    @Override
    public HttpException truncated(String why) {
        return fail(RequestHead.bad(why));
    }

    @Override
    public HttpException tooManyTrailers(String why) {
        return fail(new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, why));
    }
}
