package dev.porter.http.internal.h2;

import dev.porter.http.EventStream;
import dev.porter.http.Headers;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.DirectSend;
import dev.porter.http.internal.ProtocolSwitch;
import dev.porter.http.internal.sse.SseStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@link Response} a handler writes on an HTTP/2 stream: a HEADERS frame with {@code :status} and the fields
 * (names in lower case, RFC 9113 §8.2; the connection-specific ones HTTP/1.1 handlers may set are left out,
 * §8.2.2), then DATA frames within the flow-control windows, the last one ending the stream. On an extended CONNECT
 * (RFC 8441) the handler may accept the tunnel instead: status 200 and a {@link ProtocolSwitch.Takeover} that then
 * speaks on the stream; any other 2xx there would tell the client its tunnel is open, so it is refused (501).
 */
final class Http2Response implements Response, ProtocolSwitch, DirectSend {

    private static final int CHUNK = 16 * 1024;

    private final Http2Connection connection;
    private final Http2Stream stream;
    private final boolean headRequest;
    private final Headers headers = new Headers();
    private Status status = Status.OK;
    private boolean committed;
    /** True once {@link #headers()} handed out the list, whose additions skip {@link #header}'s check. */
    private boolean fieldsExposed;
    private long declaredLength = -1;
    private long bodyBytes;
    private Body body;
    /** The request's fields (for Last-Event-ID). */
    private final Headers requestHeaders;
    private SseStream events;
    /** The request is an extended CONNECT (RFC 8441 §4): only a takeover may answer it 2xx. */
    private final boolean tunnel;
    private Takeover takeover;

    Http2Response(Http2Connection connection, Http2Stream stream, boolean headRequest, Headers requestHeaders,
                  boolean tunnel) {
        this.tunnel = tunnel;
        this.requestHeaders = requestHeaders;
        this.connection = connection;
        this.stream = stream;
        this.headRequest = headRequest;
    }

    @Override
    public Response status(Status s) {
        checkNotCommitted();
        status = Objects.requireNonNull(s, "status");
        return this;
    }

    @Override public HttpConfig config() { return connection.config(); }
    @Override public boolean extendedConnect() { return tunnel; }

    /** Accepts an extended CONNECT's tunnel (RFC 8441 §5); on any other request there is nothing to switch. */
    @Override
    public void switchProtocols(Takeover t) {
        if (!tunnel) throw new IllegalStateException("HTTP/2 switches protocols only on an extended CONNECT (RFC 8441)");
        checkNotCommitted();
        takeover = Objects.requireNonNull(t, "takeover");
    }

    /** @return the takeover to run on the stream, if the handler accepted the tunnel with status 200 */
    Takeover takeover() {
        return !committed && status.code() == 200 ? takeover : null;
    }

    /** Sends the tunnel's 200 head without END_STREAM: the stream is now the new protocol's (RFC 8441 §5). */
    void openTunnel() throws IOException {
        writeHead(-1, false);
    }

    @Override public Status status() { return status; }
    /** Hands out the mutable list; its fields are then checked when the head is written. */
    @Override public Headers headers() {
        fieldsExposed = true;
        return headers;
    }
    @Override public boolean committed() { return committed; }

    /** HTTP/2 keeps the connection for other streams: only this stream ends. */
    @Override
    public Response closeConnection() {
        return this;
    }

    @Override
    public Response header(String name, String value) {
        checkNotCommitted();
        Ascii.requireField(name, value);
        headers.add(name, value);
        return this;
    }

    @Override
    public Response setHeader(String name, String value) {
        checkNotCommitted();
        Ascii.requireField(name, value);
        headers.set(name, value);
        return this;
    }

    @Override
    public Response contentLength(long length) {
        checkNotCommitted();
        if (length < 0) throw new IllegalArgumentException("negative length");
        declaredLength = length;
        return this;
    }

    private void checkNotCommitted() {
        if (committed) throw new IllegalStateException("response already committed");
    }

    private boolean noBody() {
        return headRequest || status.forbidsBody();
    }

    /** @return body bytes sent (for the access log) */
    long bodyBytes() {
        return body != null ? body.written : bodyBytes;
    }

    @Override
    public void send(byte[] b) throws IOException {
        checkNotCommitted();
        boolean empty = noBody() || b.length == 0;
        if (empty) writeHead(b.length, true);
        else connection.writer().response(stream, head(b.length), b, 0, b.length);
        bodyBytes = noBody() ? 0 : b.length;
        stream.localEnded = true;
    }

    @Override
    public void send(String s) throws IOException {
        if (!headers.contains("Content-Type")) setHeader("Content-Type", "text/plain; charset=utf-8");
        send(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendFile(FileChannel file, long position, long length) throws IOException {
        sendBody(file, null, position, length);
    }

    @Override
    public boolean copiesFiles() {
        return true;
    }

    @Override
    public void sendDirect(ByteBuffer content) throws IOException {
        sendBody(null, content, content.position(), content.remaining());
    }

    private void sendBody(FileChannel file, ByteBuffer content, long position, long length) throws IOException {
        checkNotCommitted();
        boolean empty = noBody() || length == 0;
        // DATA follows at once (and flushes): the head waits for it unless it ends the stream.
        connection.writer().headers(stream, head(length), empty, empty);
        if (empty) {
            stream.localEnded = true;
            return;
        }
        // No sendfile in HTTP/2: every byte goes into a DATA frame (and under TLS, is encrypted anyway).
        try {
            connection.writer().file(stream, file, content, position, length);
        } finally {
            // What left, as nginx logs it: all of it, or what went before the client left or the file failed.
            bodyBytes = stream.fileBytesSent;
        }
        // Only now: a body that fails on the way (a stalled window, a short file) leaves the stream to be reset.
        stream.localEnded = true;
    }

    @Override
    public OutputStream stream() throws IOException {
        if (body != null) return body;
        checkNotCommitted();
        boolean empty = noBody();
        writeHead(declaredLength, empty);
        if (empty) stream.localEnded = true;
        body = new Body(empty);
        return body;
    }

    @Override
    public EventStream eventStream(Duration heartbeat) throws IOException {
        if (events != null) return events;
        SseStream.prepareHead(this, heartbeat);
        declaredLength = -1;
        OutputStream out = stream();
        // A failed write means the stream was reset or the connection is gone: the exchange's end resets it.
        events = SseStream.start(noBody() ? null : out, requestHeaders.first("last-event-id"), heartbeat, () -> { },
                connection.connection()::isDraining);
        return events;
    }

    /** @return true if this response was an event stream (counted, but not timed, by the status page) */
    boolean eventStreamed() {
        return events != null;
    }

    /** Ends the event stream, if any, before the response completes: no heartbeat writes after this. */
    void endEvents() {
        if (events != null) events.end();
    }

    /**
     * Completes the response after the handler returned: an empty one if nothing was sent, the end of a stream.
     *
     * @return true if the message was complete (a declared length met)
     */
    boolean finish() throws IOException {
        if (!committed) {
            writeHead(declaredLength >= 0 && noBody() ? declaredLength : 0, true);
            stream.localEnded = true;
            return true;
        }
        if (body != null && !body.closed) body.close();
        return body == null || body.complete();
    }

    /** Replaces an uncommitted response by a plain-text error. */
    void sendError(Status s, String message) throws IOException {
        headers.clear();
        status = s;
        declaredLength = -1;
        setHeader("Content-Type", "text/plain; charset=utf-8");
        send(message + "\n");
    }

    /** HEADERS: {@code :status}, the handler's fields in lower case, date, server, content-length when known. */
    private void writeHead(long length, boolean endStream) throws IOException {
        connection.writer().headers(stream, head(length), endStream, true);
    }

    /** @return the response head, now committed, with {@code length} as its content-length if 0 or more */
    private ResponseHead head(long length) {
        if (tunnel && takeover == null && status.code() / 100 == 2) {
            // A 2xx opens the tunnel (RFC 9110 §9.3.6): a handler that is no WebSocket endpoint must not say it.
            throw new HttpException(Status.NOT_IMPLEMENTED, "no WebSocket endpoint at this path");
        }
        // A field added through headers() would reach a peer that turns HTTP/2 into HTTP/1.1 with its CR LF.
        if (fieldsExposed) Ascii.requireFields(headers);
        committed = true;
        long cl = length >= 0 ? length : declaredLength;
        return new ResponseHead(status.code(), headers, status.forbidsBody() ? -1 : cl, connection.config().serverHeader(),
                connection.hsts());
    }

    /** A streamed body: buffered into DATA frames of up to 16 KiB; closing it ends the stream. */
    private final class Body extends OutputStream {
        private final boolean discard;
        /** Grows up to {@link #CHUNK} as the body does: a short streamed body does not cost 16 KiB. */
        private byte[] buf = new byte[256];
        private int len;
        long written;
        boolean closed;
        /** A send failed (a reset, a stalled window): the body is incomplete and must never be ended as whole. */
        private boolean broken;

        Body(boolean discard) {
            this.discard = discard;
        }

        boolean complete() {
            return discard || declaredLength < 0 || written == declaredLength;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            if (closed) throw new IOException("response body is closed");
            if (discard) return;
            if (declaredLength >= 0 && written + n > declaredLength) {
                throw new IOException("response body longer than its Content-Length of " + declaredLength);
            }
            written += n;
            if (len == 0 && n >= CHUNK) {
                // Large writes go out from the caller's array, in frames the writer sizes.
                broken = true;
                connection.writer().data(stream, b, off, n, false);
                broken = false;
                return;
            }
            if (buf.length < CHUNK && len + n > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(CHUNK, Math.max(buf.length * 2L, len + (long) n)));
            }
            while (n > 0) {
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
                if (len == CHUNK) send(false);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!discard && len > 0) send(false);
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            if (discard) return;
            // The stream is left to be reset (RST_STREAM INTERNAL_ERROR) rather than ended with part of the body.
            if (broken) throw new IOException("the response body failed before its end");
            send(true);
            stream.localEnded = true;
        }

        private void send(boolean end) throws IOException {
            broken = true;
            connection.writer().data(stream, buf, 0, len, end);
            broken = false;
            len = 0;
        }
    }
}
