package dev.porter.http.internal.h2client;

import dev.porter.http.Headers;
import dev.porter.http.internal.client.ClientBody;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The content of a response on an HTTP/2 stream, read as the server's DATA frames arrive; reading gives the
 * stream's flow-control window back, so the server sends on only as fast as the caller reads. Each wait is bounded
 * by the read timeout and the request's deadline. Closing before the end resets the stream (CANCEL): unlike
 * HTTP/1.1 nothing needs draining, and the connection goes on carrying the other streams. Not thread-safe.
 */
public final class Http2ResponseBody extends ClientBody {

    private final Http2ClientConnection conn;
    private final Http2ClientStream stream;
    private final long deadline;
    private final Duration timeout;
    private final long readTimeoutNanos;
    private boolean ended;
    private boolean closed;

    Http2ResponseBody(Http2ClientConnection conn, Http2ClientStream stream, long deadline, Duration timeout,
                      long readTimeoutNanos) {
        this.conn = conn;
        this.stream = stream;
        this.deadline = deadline;
        this.timeout = timeout;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (ended) return -1;
        if (closed) throw new IOException("the response body was closed or failed earlier");
        if (len == 0) return 0;
        try {
            int n = stream.read(b, off, len, deadline, readTimeoutNanos);
            if (n < 0) {
                ended = true;
                conn.finished(stream);
            }
            return n;
        } catch (StreamTimeout e) {
            close();
            throw conn.timeout(e, timeout, "no data from the server on HTTP/2 stream " + stream.id);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public int available() {
        return ended || closed ? 0 : stream.available();
    }

    @Override
    public Headers trailers() {
        return stream.trailers();
    }

    /** Ends the body: a stream still receiving is reset (CANCEL); the connection is not affected. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!stream.finished()) conn.cancel(stream);
    }
}
