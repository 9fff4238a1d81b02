package dev.porter.http.internal.proxy;

import dev.porter.http.ClientRequest;
import dev.porter.http.Request;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The client's request body passed on to a backend as it arrives: the client engine reads it as fast as the
 * backend takes it, so the client is held back by the backend (back-pressure) and nothing piles up in between.
 * Remembers whether it was read at all (a request whose body was not touched can go to another backend) and
 * whether the client's side failed (a malformed chunk, a timeout: the client's fault, answered 400 or 408 by the
 * server, not a 502). Not thread-safe: the exchange's thread reads it.
 */
final class StreamedBody extends InputStream {

    private final InputStream in;
    private byte[] prefix;
    private int prefixPos;
    private boolean touched;
    private Exception failure;
    /** Bytes of a declared length not read yet, or -1 for a body read to its end. */
    private long left;
    private boolean ended;

    private StreamedBody(InputStream in, byte[] prefix, long length) {
        this.in = in;
        this.prefix = prefix;
        this.left = length;
    }

    /**
     * @return the request's body for the backend: empty without one; of its length with Content-Length; otherwise
     *         (chunked, or HTTP/2 without content-length) sent chunked, after a first read told whether there is any
     */
    static ClientRequest.Body of(Request req, StreamedBody[] out) throws IOException {
        long length = req.contentLength();
        if (length == 0) return ClientRequest.Body.empty();
        if (length > 0) {
            out[0] = new StreamedBody(req.body(), null, length);
            return ClientRequest.Body.ofStream(out[0], length);
        }
        // Unknown length: one read tells an HTTP/2 request that ended with its HEADERS from one with a body,
        // so a bodiless GET is not forwarded with an empty chunked body.
        byte[] first = new byte[8192];
        int n = req.body().read(first);
        if (n < 0) return ClientRequest.Body.empty();
        out[0] = new StreamedBody(req.body(), Arrays.copyOf(first, n), -1);
        return ClientRequest.Body.ofStream(out[0]); // unknown length: sent chunked
    }

    /** @return true once the client engine read any of it: it cannot be sent to another backend */
    boolean touched() {
        return touched;
    }

    /**
     * @return true once the whole body was read: false after a backend answered before taking all of it, when the
     *         rest is still on the client's connection
     */
    boolean complete() {
        return ended || left == 0;
    }

    /** @return what reading the client's body threw, or null */
    Exception failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        touched = true;
        if (prefix != null) {
            int n = Math.min(len, prefix.length - prefixPos);
            System.arraycopy(prefix, prefixPos, b, off, n);
            prefixPos += n;
            if (prefixPos == prefix.length) prefix = null;
            return n;
        }
        try {
            int n = in.read(b, off, len);
            if (n < 0) ended = true;
            else if (left > 0) left -= n;
            return n;
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
    }
}
