package dev.porter.http.internal.h2client;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.HpackDecoder;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;
import dev.porter.http.internal.h2.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.porter.http.internal.h2.FrameType.CONTINUATION;
import static dev.porter.http.internal.h2.FrameType.DATA;
import static dev.porter.http.internal.h2.FrameType.GOAWAY;
import static dev.porter.http.internal.h2.FrameType.HEADERS;
import static dev.porter.http.internal.h2.FrameType.PING;
import static dev.porter.http.internal.h2.FrameType.RST_STREAM;
import static dev.porter.http.internal.h2.FrameType.SETTINGS;
import static dev.porter.http.internal.h2.FrameType.WINDOW_UPDATE;

/**
 * One HTTP/2 connection (RFC 9113), client side, shared by every request to its route: requests from any number
 * of threads are multiplexed on it as streams, up to the server's SETTINGS_MAX_CONCURRENT_STREAMS (more wait for a
 * stream to end).
 *
 * <p>Threads. A virtual reader thread parses every frame ({@link FrameParser}), decodes field blocks
 * ({@link HpackDecoder}: one context per connection, so every block is decoded even for a stream nobody waits for),
 * applies the server's SETTINGS, answers PING, and hands heads and content to the {@link Http2ClientStream}s. Each
 * caller's thread sends its own HEADERS (stream identifiers are taken and field blocks encoded under one lock, in
 * the order they reach the wire, as §5.1.1 and HPACK require) and its own DATA, and reads its own response body.
 * Every write is one {@link Connection#write} call, which core makes atomic, so frames never interleave.
 *
 * <p>Flow control (§5.2, §6.9), both ways. Sending: a request body goes out as fast as the server's windows
 * allow (the connection's and the stream's, each frame at most SETTINGS_MAX_FRAME_SIZE); with both closed the
 * caller waits for WINDOW_UPDATE, at most the read timeout. Receiving: each stream's window is
 * {@link #STREAM_WINDOW}, given back as the caller reads (so a body is never buffered beyond that, and a slow
 * reader holds back only its own stream); the connection's window ({@link #CONNECTION_WINDOW}) is given back as
 * DATA arrives, since the streams already bound what is buffered.
 *
 * <p>Errors. A frame breaking RFC 9113 or 7541 is a connection error: GOAWAY with its code, and every open stream
 * fails with {@link HttpClientException.MalformedResponse}. A malformed response on one stream resets that stream
 * (PROTOCOL_ERROR) and fails its request the same way; the others go on. The server's RST_STREAM fails its stream
 * ({@link HttpClientException.IncompleteResponse}), except REFUSED_STREAM and HTTP_1_1_REQUIRED, and streams above
 * the last stream identifier of its GOAWAY, which were not processed: {@link Http2Retry}, for the client to send
 * them again on another connection (§8.7). After a GOAWAY no new stream starts here; the others finish, then the
 * connection closes.
 */
public final class Http2ClientConnection {

    /** Our SETTINGS_INITIAL_WINDOW_SIZE: content buffered per stream before its reader takes it. */
    public static final int STREAM_WINDOW = 256 * 1024;
    /** Our connection receive window. */
    public static final int CONNECTION_WINDOW = 1 << 20;
    /** Our SETTINGS_HEADER_TABLE_SIZE and the most of the server's table size our encoder uses. */
    static final int TABLE_SIZE = Settings.DEFAULT_HEADER_TABLE_SIZE;

    private final Connection c;
    private final String remote;
    private final long readTimeoutNanos;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final FrameParser parser = new FrameParser(Settings.MIN_MAX_FRAME_SIZE);
    private final HpackDecoder decoder;
    private final Settings ours;
    private final StreamTable table;
    private final SendWindows windows;
    private final Http2ClientWriter writer;

    // ---- the reader thread's ------------------------------------------------------------------------------------
    private long recvWindow;
    private boolean firstFrame = true;
    private final FieldBlockCollector blocks;

    private Http2ClientConnection(Connection c, ClientConfig config) {
        this.c = c;
        var a = c.remoteAddress();
        this.remote = a.getHostString() + ":" + a.getPort();
        this.readTimeoutNanos = config.readTimeout().toNanos();
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.maxHeaderCount = config.maxHeaderCount();
        this.table = new StreamTable(remote, readTimeoutNanos);
        this.windows = new SendWindows(table, remote, readTimeoutNanos);
        this.writer = new Http2ClientWriter(c, remote, readTimeoutNanos, table, windows);
        this.decoder = new HpackDecoder(TABLE_SIZE, maxHeaderBytes);
        this.blocks = new FieldBlockCollector(maxHeaderBytes, this::fieldBlock);
        this.ours = new Settings().enablePush(false).initialWindowSize(STREAM_WINDOW).maxHeaderListSize(maxHeaderBytes);
    }

    /**
     * Starts HTTP/2 on a new connection: sends the preface and our SETTINGS (§3.4), starts the reader, and waits
     * for the server's SETTINGS, so a server that does not speak HTTP/2 is known before any request is sent.
     *
     * @param deadline whole-request deadline ({@link System#nanoTime()}) or 0
     * @throws HttpClientException.MalformedResponse if the server answered something else than HTTP/2 (an
     *                                               HTTP/1.x response to an h2c preface, say)
     * @throws HttpClientException.Timeout           if its SETTINGS did not come within the read timeout
     */
    public static Http2ClientConnection start(Connection c, ClientConfig config, long deadline, Duration timeout)
            throws IOException {
        Http2ClientConnection h = new Http2ClientConnection(c, config);
        try {
            h.begin(deadline, timeout);
            return h;
        } catch (IOException | RuntimeException e) {
            h.c.close();
            throw e;
        }
    }

    private void begin(long deadline, Duration timeout) throws IOException {
        // The reader waits for frames as long as the connection lives; the pool closes it when idle, and each
        // stream bounds its own waits by the read timeout.
        c.setIdleTimeout(Duration.ofNanos(Math.max(Duration.ofHours(1).toNanos(), 2 * readTimeoutNanos)));
        recvWindow = CONNECTION_WINDOW;
        writer.preface(ours, CONNECTION_WINDOW);
        Thread.ofVirtual().name("porter-h2-client " + remote).start(this::readLoop);
        table.awaitPeerSettings(deadline, timeout);
    }

    // ---- for the pool -----------------------------------------------------------------------------------------------

    /** @return true if new streams may start here: open, no GOAWAY, not retired, identifiers left */
    public boolean usable() {
        return table.takesStreams() && c.isOpen();
    }

    /** @return streams in progress */
    public int activeStreams() {
        return table.active();
    }

    /**
     * Closes the connection if no stream has been in progress for {@code nanos} (or at all, with 0); from then on
     * it takes no new streams.
     *
     * @return true if it is closed (now or before)
     */
    public boolean closeIfIdle(long nanos) {
        return switch (table.retireIfIdle(nanos)) {
            case FAILED -> true;
            case BUSY -> false;
            case RETIRED -> {
                close();
                yield true;
            }
        };
    }

    /** Takes no new streams and closes once the streams in progress end (now if there are none). */
    public void retireWhenIdle() {
        if (table.retireWhenIdle()) close();
    }

    /** Closes once the streams started here end, as a connection that is not pooled. */
    public void retireAfterStreams() {
        table.retireAfterStreams();
    }

    /** Closes now: GOAWAY (NO_ERROR) if the connection is still up, then the socket; open streams fail. */
    public void close() {
        writer.goAway(Http2Error.NO_ERROR, null);
        c.close();
    }

    @Override
    public String toString() {
        return "HTTP/2 connection to " + remote;
    }

    // ---- requests ---------------------------------------------------------------------------------------------------

    /**
     * A response whose head arrived.
     *
     * @param status        the final status
     * @param headers       its fields
     * @param contentLength the content-length, 0 when the response has no content, -1 when unknown
     * @param body          the content, read as it arrives
     */
    public record Response(int status, Headers headers, long contentLength, Http2ResponseBody body) {
    }

    /**
     * Sends a request on a new stream and waits for its final response head (interim ones are given to
     * {@code heads} too). The body, if any, is sent on this thread within the server's windows before waiting.
     *
     * @param fields    the regular fields: names (any case, sent lower-cased) and values in turn; connection-specific
     *                  ones must already be left out
     * @param deadline  whole-request deadline ({@link System#nanoTime()}) or 0, with its {@code timeout}
     * @param heads     each response head's lines ({@code HTTP/2 200}, then {@code name: value}), or null
     * @throws Http2Retry if the request may be sent again on another connection
     */
    public Response exchange(String method, String scheme, String authority, String path, List<String> fields,
                             ClientRequest.Body body, long deadline, Duration timeout, Consumer<List<String>> heads)
            throws IOException {
        boolean hasBody = body.length() != 0;
        Http2ClientStream s = writer.open(method, scheme, authority, path, fields, !hasBody, deadline, timeout);
        if (!hasBody && s.endLocal()) streamClosed(s);
        boolean ok = false;
        try {
            if (hasBody && writer.body(s, body, deadline, timeout) && s.endLocal()) streamClosed(s);
            ResponseFields f;
            try {
                f = s.awaitHead(deadline, readTimeoutNanos, i -> {
                    if (heads != null) heads.accept(lines(i));
                });
            } catch (StreamTimeout e) {
                throw timeout(e, timeout, "no response from " + remote);
            }
            if (heads != null) heads.accept(lines(f));
            finished(s); // a response without content frees its stream before send returns
            long length = s.head || f.status == 204 || f.status == 304 || s.endedWithHead() ? 0 : f.contentLength;
            ok = true;
            return new Response(f.status, f.headers, length, new Http2ResponseBody(this, s, deadline, timeout,
                    readTimeoutNanos));
        } finally {
            if (!ok) cancel(s);
        }
    }

    private static List<String> lines(ResponseFields f) {
        List<String> l = new ArrayList<>(f.lines.size() + 1);
        l.add(f.statusLine());
        l.addAll(f.lines);
        return l;
    }

    /** @return the client's timeout for a wait that passed: the whole request's, or the read timeout */
    HttpClientException.Timeout timeout(StreamTimeout e, Duration requestTimeout, String what) {
        return e.toClientTimeout(remote, requestTimeout, readTimeoutNanos, what);
    }

    /** Resets a stream the caller gives up on (CANCEL), unless it is over already. */
    void cancel(Http2ClientStream s) {
        if (s.resetLocally()) writer.cancel(s.id);
        if (s.closeIfDone()) streamClosed(s);
    }

    /** The caller saw the end of the response: the stream is over if our side ended too (whichever thread sees it). */
    void finished(Http2ClientStream s) {
        if (s.closeIfDone()) streamClosed(s);
    }

    /** A stream is over: its slot is free. Closes a connection that was told to go once idle. */
    void streamClosed(Http2ClientStream s) {
        if (table.closed(s)) close();
    }

    // ---- the reader -------------------------------------------------------------------------------------------------

    private void readLoop() {
        IOException cause = null;
        ReadBuffer in = c.input();
        try {
            while (true) {
                if (firstFrame) notHttp1(in);
                int n = parser.parse(in.array(), in.start(), in.end());
                if (n == 0) {
                    if (!in.fill(in.available() > 0 ? ReadBuffer.Wait.IN_MESSAGE : ReadBuffer.Wait.NEXT_MESSAGE,
                            parser.needed() + 1)) {
                        break;
                    }
                    continue;
                }
                try {
                    frame();
                } catch (Http2Exception e) {
                    if (e.isConnectionError()) throw e;
                    resetStream(e.streamId(), e.error(), e.getMessage());
                }
                in.consume(n);
            }
        } catch (Http2Exception e) {
            cause = new HttpClientException.MalformedResponse("HTTP/2 connection error (" + e.error() + ") by "
                    + remote + ": " + e.getMessage());
            writer.goAway(e.error(), e.getMessage());
        } catch (IOException e) {
            cause = e;
        } catch (RuntimeException e) {
            cause = new IOException("HTTP/2 connection to " + remote + " failed: " + e, e);
        } finally {
            shutdown(cause);
        }
    }

    /** An HTTP/1.x server answering the h2c preface shows a status line where SETTINGS should be. */
    private void notHttp1(ReadBuffer in) throws HttpClientException.MalformedResponse {
        byte[] b = in.array();
        int n = Math.min(in.available(), 5);
        for (int i = 0; i < n; i++) {
            if (b[in.start() + i] != "HTTP/".charAt(i)) return;
        }
        if (n == 5) {
            throw new HttpClientException.MalformedResponse("server " + remote + " answered in HTTP/1.x, not HTTP/2: it "
                    + "does not speak HTTP/2 with prior knowledge (h2c) on this port");
        }
    }

    /** The connection is over: every stream still open learns why, and the socket closes. */
    private void shutdown(IOException cause) {
        table.shutdown(cause);
        c.close();
    }

    private void frame() throws IOException {
        Http2Exception streamError = parser.streamError();
        if (streamError != null) throw streamError;
        int type = parser.type();
        if (firstFrame) {
            // §3.4: the server's preface is a SETTINGS frame, first.
            if (type != SETTINGS || parser.ack()) {
                throw Http2Exception.connection(Http2Error.PROTOCOL_ERROR, "the server's first frame is "
                        + FrameType.name(type) + ", not SETTINGS (RFC 9113 §3.4)");
            }
            firstFrame = false;
        }
        switch (type) {
            case DATA -> data();
            case HEADERS -> blocks.headers(parser);
            case CONTINUATION -> blocks.continuation(parser);
            case RST_STREAM -> rstStream();
            case SETTINGS -> settings();
            case PING -> {
                if (!parser.ack()) writer.pingAck(parser.pingData());
            }
            case GOAWAY -> goAway();
            case WINDOW_UPDATE -> windows.opened(parser.streamId(), parser.windowIncrement());
            default -> {
                // PRIORITY is accepted and ignored (§5.3.2), unknown types too (§5.5).
            }
        }
    }

    private void data() throws IOException {
        int id = parser.streamId();
        int flow = parser.length();
        // §6.9.1: every DATA frame counts against the connection's window, whatever its stream's state.
        if (flow > recvWindow) {
            throw Http2Exception.connection(Http2Error.FLOW_CONTROL_ERROR, "DATA beyond the connection's window");
        }
        recvWindow -= flow;
        if (recvWindow <= CONNECTION_WINDOW / 2) {
            writer.windowUpdate(0, (int) (CONNECTION_WINDOW - recvWindow));
            recvWindow = CONNECTION_WINDOW;
        }
        Http2ClientStream s = table.get(id);
        if (s == null) {
            table.checkNotIdle(id, "DATA");
            return; // a stream we reset or finished: frames in flight are ignored (§5.1)
        }
        s.onData(parser.buffer(), parser.contentStart(), parser.contentEnd(), flow, parser.endStream());
        afterEvent(s);
    }

    private void afterEvent(Http2ClientStream s) {
        if (s.closeIfDone()) streamClosed(s);
    }

    /** A complete field block from the server: decoded, checked, and given to its stream. */
    private void fieldBlock(int id, boolean endStream, byte[] b, int from, int to) {
        Http2ClientStream s = table.get(id);
        ResponseFields f = new ResponseFields(s != null && s.hasFinalHead(), maxHeaderCount, true);
        boolean tooLarge = false;
        try {
            // Always decoded, even for a stream nobody waits for: the HPACK context is the connection's.
            decoder.decode(b, from, to, id, f);
        } catch (Http2Exception e) {
            if (e.isConnectionError()) throw e;
            tooLarge = true;
        }
        if (s == null) {
            table.checkNotIdle(id, "HEADERS");
            return;
        }
        if (tooLarge) {
            throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, "response head larger than " + maxHeaderBytes
                    + " bytes (maxHeaderBytes)");
        }
        String problem = f.check();
        if (problem != null) throw Http2Exception.stream(id, Http2Error.PROTOCOL_ERROR, problem);
        s.onHeaders(f, endStream);
        afterEvent(s);
    }

    private void rstStream() {
        int id = parser.streamId();
        Http2ClientStream s = table.get(id);
        if (s == null) {
            table.checkNotIdle(id, "RST_STREAM");
            return;
        }
        s.onReset(Http2Error.of(parser.errorCode()));
        afterEvent(s);
    }

    /** Resets a stream after a stream error we found in what the server sent (§5.4.2). */
    private void resetStream(int id, Http2Error error, String why) throws IOException {
        Http2ClientStream s = table.get(id);
        boolean send = true;
        if (s != null) {
            send = s.abort(new HttpClientException.MalformedResponse("HTTP/2 stream " + id + " from " + remote + ": " + why));
        }
        if (send) writer.rstStream(id, error);
        if (s != null) afterEvent(s);
    }

    private void settings() throws IOException {
        if (parser.ack()) return;
        int tableSize = table.applySettings(parser);
        if (tableSize >= 0) writer.peerTableSize(tableSize);
        writer.settingsAck();
    }

    private void goAway() {
        int last = parser.lastStreamId();
        Http2Error error = Http2Error.of(parser.errorCode());
        String debug = new String(parser.buffer(), parser.debugDataStart(),
                Math.min(200, parser.payloadEnd() - parser.debugDataStart()), StandardCharsets.ISO_8859_1);
        String why = "the server's GOAWAY (" + error + (debug.isBlank() ? "" : ": " + printable(debug)) + ") left it unprocessed";
        if (table.goAway(last, why)) close();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return sb.toString();
    }
}
