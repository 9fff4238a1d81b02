package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
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

    private final ChunkedInput<HttpException> chunks;
    /** The trailer fields, once the last chunk was read. */
    final dev.porter.http.Headers trailers;

    ChunkedBody(Connection c, long limit, Continuer continuer, int maxTrailerBytes, int maxTrailerCount,
                boolean lenient) {
        super(c, limit, continuer);
        ChunkedDecoder<HttpException> decoder = new ChunkedDecoder<>(this, maxTrailerBytes, maxTrailerCount, lenient);
        this.chunks = new ChunkedInput<>(c.input(), decoder);
        this.trailers = decoder.trailers;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (done) return -1;
        if (broken) throw new IOException("request body is broken");
        beforeRead();
        if (!chunks.toData()) {
            done = true;
            return -1;
        }
        if (consumed + chunks.decoder.dataLeft() > limit) throw tooLarge();
        int n = chunks.readData(b, off, len);
        consumed += n;
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
