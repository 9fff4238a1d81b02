package dev.porter.http.internal.http1;

import dev.porter.http.HttpClientException;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.Status;
import dev.porter.http.testing.Splits;

import java.io.ByteArrayOutputStream;

/**
 * Drives the pure parsers ({@link RequestHead}, {@link ResponseHead}, {@link ChunkedDecoder}) over a byte array the
 * way the connection code drives them over a socket, with the input arriving in pieces chosen by a {@link Splits}:
 * whole, one byte at a time, or at random points. What the parser has not consumed is offered again with the next
 * piece after it, exactly as a connection's read buffer keeps it; when the input is used up the stream ends.
 * No sockets: each input costs microseconds, so fuzzing and split testing can afford every boundary.
 */
final class Feeds {

    private Feeds() {
    }

    /**
     * What feeding a request head gave: the parser (complete if accepted; as far as it got otherwise), bytes
     * consumed, or the refusal's status.
     */
    record HeadOutcome(RequestHead head, int consumed, int status, String why) {
        boolean accepted() {
            return status == 0 && head.done();
        }

        boolean endOfStream() {
            return status == 0 && !head.done();
        }
    }

    /**
     * Feeds {@code input[from..]} to a new {@link RequestHead}, as {@code HttpProtocol.readHead} does.
     *
     * @return the head and the index after it; status 0 with no head for a clean end of stream before a request
     */
    static HeadOutcome requestHead(byte[] input, int from, HttpConfig config, Splits splits) {
        RequestHead head = new RequestHead(config);
        int pos = from;
        int avail = from;
        try {
            if (avail == input.length) return new HeadOutcome(head, from, 0, "end of stream");
            avail += splits.next(input.length - avail);
            while (true) {
                pos = head.parse(input, pos, avail);
                if (head.done()) return new HeadOutcome(head, pos, 0, null);
                if (avail == input.length) {
                    boolean started = head.pastRequestLine() || avail > pos;
                    if (!started) return new HeadOutcome(head, pos, 0, "end of stream");
                    throw RequestHead.bad("connection closed inside the request head");
                }
                avail += splits.next(input.length - avail);
            }
        } catch (HttpException e) {
            return new HeadOutcome(head, -1, e.status().code(), e.getMessage());
        }
    }

    /** What feeding a response head gave: the head (null if none), bytes consumed, or the failure. */
    record ResponseOutcome(ResponseHead head, int consumed, Exception failure) {
    }

    /** Feeds {@code input[from..]} to {@code head} (reset first) until one head is complete, as the client does. */
    static ResponseOutcome responseHead(ResponseHead head, byte[] input, int from, Splits splits) {
        head.reset();
        int pos = from;
        int avail = from;
        try {
            while (true) {
                pos = head.parse(input, pos, avail);
                if (head.done()) return new ResponseOutcome(head, pos, null);
                if (avail == input.length) {
                    if (!head.started()) return new ResponseOutcome(null, pos, null);
                    throw new HttpClientException.IncompleteResponse(head.whyIncomplete(), false);
                }
                avail += splits.next(input.length - avail);
            }
        } catch (HttpClientException e) {
            return new ResponseOutcome(null, -1, e);
        }
    }

    /** What decoding a chunked body gave: its data, trailers and end, or the refusal (an HTTP status). */
    record ChunkedOutcome(byte[] data, ChunkedDecoder<HttpException> decoder, int end, int status, String why) {
        boolean accepted() {
            return status == 0;
        }
    }

    /** The server's errors for a chunked request body (as {@link ChunkedBody} maps them). */
    static final ChunkedDecoder.Errors<HttpException> SERVER_ERRORS = new ChunkedDecoder.Errors<>() {
        @Override
        public HttpException malformed(String why) {
            return RequestHead.bad(why);
        }

        @Override
        public HttpException truncated(String why) {
            return RequestHead.bad(why);
        }

        @Override
        public HttpException tooManyTrailers(String why) {
            return new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, why);
        }
    };

    /**
     * Decodes a chunked body from {@code input[from..]} as the server does: data moved out as it arrives (at most
     * {@code readSize} bytes a read), 413 once the chunk sizes pass {@code limit}.
     */
    static ChunkedOutcome chunked(byte[] input, int from, boolean lenient, long limit, int maxTrailerBytes,
                                  int maxTrailerCount, int readSize, Splits splits) {
        ChunkedDecoder<HttpException> d = new ChunkedDecoder<>(SERVER_ERRORS, maxTrailerBytes, maxTrailerCount, lenient);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try {
            int end = decode(input, from, d, data, limit, readSize, splits, () -> new HttpException(
                    Status.CONTENT_TOO_LARGE, "request body is over the limit of " + limit + " bytes"));
            return new ChunkedOutcome(data.toByteArray(), d, end, 0, null);
        } catch (HttpException e) {
            return new ChunkedOutcome(data.toByteArray(), d, -1, e.status().code(), e.getMessage());
        }
    }

    /** Decodes a chunked response body as the client does (no size limit). @return the index after the body */
    static int clientChunked(byte[] input, int from, ChunkedDecoder<HttpClientException> d, ByteArrayOutputStream data,
                             Splits splits) throws HttpClientException {
        return decode(input, from, d, data, Long.MAX_VALUE, 8192, splits, () -> {
            throw new AssertionError("no limit");
        });
    }

    private static <E extends Exception> int decode(byte[] input, int from, ChunkedDecoder<E> d,
            ByteArrayOutputStream data, long limit, int readSize, Splits splits,
            java.util.function.Supplier<E> overLimit) throws E {
        int pos = from;
        int avail = from;
        while (!d.done()) {
            if (d.inData()) {
                if (data.size() + d.dataLeft() > limit) throw overLimit.get();
                if (avail > pos) {
                    int n = (int) Math.min(Math.min(avail - pos, d.dataLeft()), readSize);
                    data.write(input, pos, n);
                    pos += n;
                    d.dataConsumed(n);
                    continue;
                }
            } else {
                int p = d.parse(input, pos, avail);
                if (p > pos || d.inData() || d.done()) {
                    pos = p;
                    continue;
                }
            }
            if (avail == input.length) throw d.truncated();
            avail += splits.next(input.length - avail);
        }
        return pos;
    }
}
