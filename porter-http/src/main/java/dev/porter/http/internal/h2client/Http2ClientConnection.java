package dev.porter.http.internal.h2client;

import dev.porter.core.Connection;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.ByteStream;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP/2 connection (RFC 9113), client side, shared by every request to its route: requests from any number
 * of threads are multiplexed on it as streams, up to the server's SETTINGS_MAX_CONCURRENT_STREAMS (more wait for a
 * stream to end).
 *
 * <p>The pool and the engine see this class: it starts the connection ({@link #start}), runs one exchange per call
 * ({@link #exchange}) and closes the connection when the pool or the server says so. The work is its parts':
 * <ul>
 *   <li>{@link Http2ClientReader}, on a virtual thread of its own: parses every frame, decodes field blocks
 *       (one HPACK context per connection, so every block is decoded even for a stream nobody waits for), applies
 *       the server's SETTINGS, answers PING, and hands heads and content to the {@link Http2ClientStream}s;</li>
 *   <li>{@link Http2ClientWriter}, on each caller's thread: its own HEADERS (stream identifiers are taken and field
 *       blocks encoded under one lock, in the order they reach the wire, as §5.1.1 and HPACK require) and its own
 *       DATA. Every write is one {@link Connection#write} call, which core makes atomic, so frames never
 *       interleave;</li>
 *   <li>{@link ClientStreamTable}: the streams, their identifiers and concurrency slots, the server's SETTINGS and
 *       GOAWAY and the pool's state, under one lock it shares with the {@link SendWindows};</li>
 *   <li>{@link Http2ResponseBody}: each caller reads its own response body.</li>
 * </ul>
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
    private final Settings ours;
    private final ClientStreamTable table;
    private final Http2ClientWriter writer;
    private final Http2ClientReader reader;

    private Http2ClientConnection(Connection c, ClientConfig config) {
        this.c = c;
        var a = c.remoteAddress();
        this.remote = a.getHostString() + ":" + a.getPort();
        this.readTimeoutNanos = config.readTimeout().toNanos();
        this.table = new ClientStreamTable(remote, readTimeoutNanos);
        SendWindows windows = new SendWindows(table, remote, readTimeoutNanos);
        this.writer = new Http2ClientWriter(c, remote, readTimeoutNanos, table, windows);
        this.reader = new Http2ClientReader(this, c, remote, config, table, windows, writer);
        this.ours = new Settings().enablePush(false).initialWindowSize(STREAM_WINDOW)
                .maxHeaderListSize(config.maxHeaderBytes());
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
        writer.preface(ours, CONNECTION_WINDOW);
        Thread.ofVirtual().name("porter-h2-client " + remote).start(reader::run);
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

    /** @return true if the server allows extended CONNECT (RFC 8441 §3: SETTINGS_ENABLE_CONNECT_PROTOCOL=1) */
    public boolean extendedConnect() {
        return table.peerExtendedConnect();
    }

    /** @return the connection underneath (for its addresses and TLS session) */
    public Connection connection() {
        return c;
    }

    /**
     * An extended CONNECT's answer.
     *
     * @param status  the final status
     * @param headers its fields
     * @param lines   the head as lines ({@code HTTP/2 200}, then {@code name: value}), for a listener
     * @param stream  the tunnel on a 2xx; null otherwise (the stream was reset)
     */
    public record Tunnel(int status, Headers headers, List<String> lines, ByteStream stream) {
    }

    /**
     * Opens a tunnel with an extended CONNECT (RFC 8441 §4): HEADERS with {@code :protocol}, without END_STREAM, and
     * waits for the final response head within the deadline and the read timeout.
     *
     * @throws Http2Retry if the stream may be opened again on another connection
     */
    public Tunnel tunnel(String protocol, String scheme, String authority, String path, List<String> fields,
                         long deadline, Duration timeout) throws IOException {
        Http2ClientStream s = writer.open("CONNECT", protocol, scheme, authority, path, fields, false, deadline, timeout);
        boolean ok = false;
        try {
            ResponseFields f;
            try {
                f = s.awaitHead(deadline, readTimeoutNanos, i -> { });
            } catch (StreamTimeout e) {
                throw timeout(e, timeout, "no answer to the extended CONNECT from " + remote);
            }
            ok = f.status == 200; // RFC 8441 §5: a server that agrees answers 200
            return new Tunnel(f.status, f.headers, lines(f), ok ? new ClientTunnel(this, s, writer, readTimeoutNanos) : null);
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
}
