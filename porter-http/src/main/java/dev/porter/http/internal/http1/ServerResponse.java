package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.http.EventStream;
import dev.porter.http.Headers;
import dev.porter.http.HttpConfig;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.DateCache;
import dev.porter.http.internal.DirectSend;
import dev.porter.http.internal.PreparedSend;
import dev.porter.http.internal.ProtocolSwitch;
import dev.porter.http.internal.RelayedFields;
import dev.porter.http.internal.sse.SseStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@link Response} a handler writes. The head is assembled byte by byte in the connection's output buffer
 * (prebuilt status line, cached Date, no intermediate strings), so a small response is one buffer and, with
 * pipelining, several responses share one write.
 */
public final class ServerResponse implements Response, ProtocolSwitch, PreparedSend, RelayedFields, DirectSend {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private final Connection c;
    private final byte[] serverLine;
    /** {@code Strict-Transport-Security} line for a response over TLS, or null. */
    private byte[] hstsLine;
    private boolean headRequest;
    private boolean http10;
    private final Headers headers = new Headers();
    private Status status = Status.OK;
    private boolean committed;
    private boolean close;
    private long declaredLength = -1;
    private long bodyBytes;
    private ResponseStreams.Body stream;
    private boolean wellFramed = true;
    private BodyStream requestBody;
    private long maxDrain;
    /** Where this response's head starts in the output buffer, and the flushed-bytes count when it was written. */
    private int headStart = -1;
    private long headFlushMark;
    /** The server's configuration when a handler may switch protocols, else null. */
    private HttpConfig switchConfig;
    private Takeover takeover;
    /** The request's fields (for Last-Event-ID), or null. */
    private Headers requestHeaders;
    private SseStream events;
    /** Prepared header lines it went out with, or relayed ones it will, until {@link #headers()} makes fields. */
    private byte[] prepared;
    /** True once {@link #headers()} handed out the list: its fields are checked when the head is written. */
    private boolean fieldsExposed;

    public ServerResponse(Connection c, byte[] serverLine, boolean headRequest, boolean http10, boolean close,
                          Headers requestHeaders) {
        this.requestHeaders = requestHeaders;
        this.c = c;
        this.serverLine = serverLine;
        this.headRequest = headRequest;
        this.http10 = http10;
        this.close = close;
    }

    /**
     * Makes this response new for the next request of its connection, which reuses it (the handler's contract
     * ends its use of a response when it returns, {@link dev.porter.http.Handler#handle}): no allocation per request.
     */
    void reset(boolean headRequest, boolean http10, boolean close, Headers requestHeaders) {
        this.headRequest = headRequest;
        this.http10 = http10;
        this.close = close;
        this.requestHeaders = requestHeaders;
        hstsLine = null;
        headers.clear();
        status = Status.OK;
        committed = false;
        declaredLength = -1;
        bodyBytes = 0;
        stream = null;
        wellFramed = true;
        requestBody = null;
        headStart = -1;
        switchConfig = null;
        takeover = null;
        events = null;
        prepared = null;
        fieldsExposed = false;
    }

    /** Adds this {@code Strict-Transport-Security} line (over TLS only, RFC 6797 §7.2) unless the handler sets one. */
    void transportSecurity(byte[] line) {
        hstsLine = line;
    }

    /** Lets the handler switch this connection to another protocol ({@link ProtocolSwitch}). */
    void allowSwitch(HttpConfig config) {
        switchConfig = config;
    }

    @Override
    public HttpConfig config() {
        if (switchConfig == null) throw new IllegalStateException("this response cannot switch protocols");
        return switchConfig;
    }

    @Override
    public void switchProtocols(Takeover t) {
        checkNotCommitted();
        config();
        takeover = java.util.Objects.requireNonNull(t, "takeover");
    }

    /** @return what takes the connection over after this response, if the handler switched protocols; else null */
    Takeover takeover() {
        return status.code() == 101 ? takeover : null;
    }

    /** Tells the response about the request body, so a complete answer can announce a close it will cause. */
    void requestBody(BodyStream body, long maxDrainBytes) {
        this.requestBody = body;
        this.maxDrain = maxDrainBytes;
    }

    /**
     * Called when a complete answer is about to be written: if the request body is still unread and too large to
     * discard (or the client waits for 100 Continue), the connection will close after this response, and the
     * response says so (RFC 9112 §9.6, RFC 9110 §10.1.1). Not done for streamed answers, whose handler may still
     * read the body while it writes.
     */
    private void announceCloseIfBodyUnread() {
        if (!close && requestBody != null && requestBody.blocksReuse(maxDrain)) close = true;
    }

    @Override
    public Response status(Status s) {
        checkNotCommitted();
        status = Objects.requireNonNull(s, "status");
        return this;
    }

    @Override
    public Status status() {
        return status;
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
        if (prepared != null) headers(); // relayed lines: a field set replaces theirs too
        Ascii.requireField(name, value);
        headers.set(name, value);
        return this;
    }

    @Override
    public Headers headers() {
        if (prepared != null) HeadBytes.addLines(headers, prepared); // only for who looks: none on the hot path
        prepared = null;
        fieldsExposed = true;
        return headers;
    }

    @Override
    public boolean committed() {
        return committed;
    }

    @Override
    public Response closeConnection() {
        close = true;
        return this;
    }

    /** @return true if the connection is to be closed after this response */
    boolean closing() {
        return close;
    }

    /** @return body bytes sent (for the access log) */
    long bodyBytes() {
        return stream != null ? stream.written : bodyBytes;
    }

    private void checkNotCommitted() {
        if (committed) throw new IllegalStateException("response already committed");
    }

    private boolean noBody() {
        return headRequest || status.forbidsBody();
    }

    @Override
    public void send(byte[] body) throws IOException {
        checkNotCommitted();
        announceCloseIfBodyUnread();
        writeHead(body.length, false, null);
        if (!noBody()) c.write(body, 0, body.length);
        bodyBytes = noBody() ? 0 : body.length;
    }

    @Override
    public void send(String body) throws IOException {
        if (!headers.contains("Content-Type")) setHeader("Content-Type", TEXT_PLAIN);
        send(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendFile(FileChannel file, long position, long length) throws IOException {
        sendBody(file, null, position, length);
    }

    @Override
    public boolean copiesFiles() {
        return c.tls().isPresent();
    }

    @Override
    public void sendDirect(ByteBuffer content) throws IOException {
        sendBody(null, content, content.position(), content.remaining());
    }

    private void sendBody(FileChannel file, ByteBuffer content, long position, long length) throws IOException {
        checkNotCommitted();
        announceCloseIfBodyUnread();
        writeHead(length, false, null);
        if (noBody() || length == 0) return;
        wellFramed = false; // until the whole body left: a file that shrank leaves the message cut short
        long bodyStart = c.output().flushedBytes() + c.output().length(); // the head is buffered before it
        try {
            FileWrites.body(c, file, content, position, length);
        } catch (IOException e) {
            // The access log gets what left before the client went away (nginx logs the bytes it sent): counted
            // as handed to the socket, so it may include a buffer's worth the client never took.
            bodyBytes = Math.max(0, Math.min(length, c.output().flushedBytes() - bodyStart));
            throw e;
        }
        wellFramed = true;
        bodyBytes = length;
    }

    @Override
    public boolean sendPrepared(byte[] fields, byte[] body) throws IOException {
        if (committed || status != Status.OK || headers.size() != 0 || prepared != null) return false;
        announceCloseIfBodyUnread();
        writeHead(body.length, false, fields);
        prepared = fields;
        if (!headRequest) c.write(body, 0, body.length);
        bodyBytes = headRequest ? 0 : body.length;
        return true;
    }

    @Override
    public boolean relayFields(byte[] lines) {
        if (committed || prepared != null) return false;
        prepared = lines;
        return true;
    }

    @Override
    public Response contentLength(long length) {
        checkNotCommitted();
        if (length < 0) throw new IllegalArgumentException("negative length");
        declaredLength = length;
        return this;
    }

    @Override
    public OutputStream stream() throws IOException {
        if (stream != null) return stream;
        checkNotCommitted();
        if (noBody()) {
            writeHead(declaredLength, false, null);
            stream = new ResponseStreams.Raw(c, true);
        } else if (declaredLength >= 0) {
            writeHead(declaredLength, false, null);
            stream = new ResponseStreams.Fixed(c, declaredLength, false);
        } else if (http10) {
            // RFC 9112 §6.3 (8): without a length, an HTTP/1.0 response is delimited by closing the connection.
            close = true;
            writeHead(-1, false, null);
            stream = new ResponseStreams.Raw(c, false);
        } else {
            writeHead(-1, true, null);
            stream = new ResponseStreams.Chunked(c);
        }
        return stream;
    }

    @Override
    public EventStream eventStream(Duration heartbeat) throws IOException {
        if (events != null) return events;
        SseStream.prepareHead(this, heartbeat);
        declaredLength = -1;
        OutputStream out = stream();
        // A failed write leaves a chunk half sent: the connection cannot carry another message, close it.
        events = SseStream.start(noBody() ? null : out,
                requestHeaders == null ? null : requestHeaders.first("Last-Event-ID"), heartbeat, c::close, c::isDraining);
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
     * Completes the response after the handler returned: sends an empty one if nothing was sent, ends a stream.
     *
     * @return true if the message was framed completely (the connection may be reused)
     */
    public boolean finish() throws IOException {
        if (!committed) {
            announceCloseIfBodyUnread();
            writeHead(declaredLength >= 0 && noBody() ? declaredLength : 0, false, null);
        }
        if (stream != null && !stream.closed) {
            if (!stream.finish()) wellFramed = false;
        } else if (stream instanceof ResponseStreams.Fixed f && !f.finish()) {
            wellFramed = false;
        }
        return wellFramed;
    }

    /**
     * Sends an interim response (100 Continue) now, ahead of this response if its head is written but still
     * buffered: a handler that started a streamed answer before reading the body must still let the client send
     * the body (RFC 9110 §10.1.1), and the interim response must precede the final one (RFC 9110 §15.2).
     *
     * @return false if the final head already left, so no interim response can be sent any more
     */
    boolean sendInterim(byte[] interim) throws IOException {
        if (!committed) {
            c.write(interim, 0, interim.length);
            c.flush();
            return true;
        }
        if (c.output().flushedBytes() != headFlushMark) return false;
        if (stream instanceof ResponseStreams.Chunked chunked) chunked.closeChunk();
        byte[] ours = java.util.Arrays.copyOfRange(c.output().array(), headStart, c.output().length());
        c.output().truncate(headStart);
        c.write(interim, 0, interim.length);
        c.write(ours, 0, ours.length);
        c.flush();
        return true;
    }

    /** Replaces an uncommitted response by a plain-text error. */
    void sendError(Status s, String message) throws IOException {
        headers().clear(); // relayed lines too
        status = s;
        declaredLength = -1;
        setHeader("Content-Type", TEXT_PLAIN);
        send(message + "\n");
    }

    /**
     * Writes status line and header section (RFC 9112 §4, §6): Content-Length for a known length (none for
     * 1xx/204, RFC 9110 §8.6), chunked when asked, Date and Server unless the handler set them; {@code prepared}
     * header lines (or null) are copied behind the handler's fields, else the relayed ones.
     */
    private void writeHead(long length, boolean chunked, byte[] prepared) throws IOException {
        byte[] relayed = this.prepared; // set before the head only by relayFields (sendPrepared's come as prepared)
        // A field added through headers() skipped header()'s check: refuse it now, while a 500 can still be sent.
        if (fieldsExposed) Ascii.requireFields(headers);
        committed = true;
        headStart = c.output().length();
        headFlushMark = c.output().flushedBytes();
        HeadBytes.put(c, StatusLines.of(status));
        for (int i = 0, n = headers.size(); i < n; i++) {
            HeadBytes.putAscii(c, headers.name(i));
            HeadBytes.put(c, (byte) ':', (byte) ' ');
            HeadBytes.putAscii(c, headers.value(i));
            HeadBytes.put(c, CRLF);
        }
        HeadBytes.put(c, prepared != null ? prepared : relayed);
        if (!HeadBytes.has(headers, relayed, "date")) HeadBytes.put(c, DateCache.headerLine());
        if (serverLine != null && !HeadBytes.has(headers, relayed, "server")) HeadBytes.put(c, serverLine);
        if (hstsLine != null && !HeadBytes.has(headers, relayed, "strict-transport-security")) HeadBytes.put(c, hstsLine);
        if (!status.forbidsBody()) HeadBytes.putFraming(c, chunked, length);
        // A graceful stop that began while the handler ran ends the connection after this response: say so now,
        // or the client sends its next request into a connection that closes unread (RFC 9112 §9.6).
        if (!close && c.isDraining()) close = true;
        // A 101 names the protocol switched to in its own Connection field (RFC 9110 §7.8), set by the handler.
        if (status.code() != 101 && (close || http10)) HeadBytes.put(c, close ? CONNECTION_CLOSE : CONNECTION_KEEP_ALIVE);
        HeadBytes.put(c, CRLF);
    }
}
