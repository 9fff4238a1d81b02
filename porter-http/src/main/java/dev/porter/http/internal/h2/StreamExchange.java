package dev.porter.http.internal.h2;

import dev.porter.http.AccessLog;
import dev.porter.http.EventStreamClosedException;
import dev.porter.http.HttpException;
import dev.porter.http.Status;
import dev.porter.http.internal.ClientPresence;
import dev.porter.http.internal.ForwardedFields;
import dev.porter.http.internal.ProtocolSwitch;
import dev.porter.http.internal.status.Metrics;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;

/**
 * One request/response exchange on an HTTP/2 stream, on its own virtual thread: the seed's "each client on its
 * own thread", one level down. The handler is the same as over HTTP/1.1; failures map to the same statuses
 * (400, 408, 413, 431, 500, 501) while nothing was sent, and to a stream reset once the head is out.
 */
final class StreamExchange implements Runnable {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpServer");
    /**
     * Makes every stream's virtual thread: one factory for all rather than a builder and a name made per stream.
     * The name does not carry the stream id: a thread dump shows the exchange's stack (the status page lists
     * connections, not threads), and the id in the name cost a concatenation and an int-to-string per request.
     */
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("porter-h2-stream").factory();

    private final Http2Connection connection;
    private final Http2Stream stream;
    private final RequestFields fields;

    private StreamExchange(Http2Connection connection, Http2Stream stream, RequestFields fields) {
        this.connection = connection;
        this.stream = stream;
        this.fields = fields;
    }

    /**
     * Starts the exchange on a new virtual thread.
     *
     * @param endStream the request had no body (END_STREAM on its HEADERS)
     * @throws Http2Exception a stream error, before any thread starts (a declared body that never comes)
     */
    static void start(Http2Connection connection, Http2Stream stream, RequestFields fields, boolean endStream) {
        if (endStream) {
            try {
                stream.endRemote();
            } catch (Http2Exception e) {
                // §8.1.1: a content-length with no DATA to follow. No exchange will end this stream: free its slot
                // here, or every such request would hold one for the rest of the connection.
                connection.ended(stream);
                throw e;
            }
        }
        connection.writer().exchangeStarted(stream);
        THREADS.newThread(new StreamExchange(connection, stream, fields)).start();
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        boolean logged = false;
        boolean tunnel = fields.protocol != null;
        Http2Response res = new Http2Response(connection, stream, "HEAD".equals(fields.method), fields.headers, tunnel);
        try {
            if (fields.isTooLarge()) {
                res.sendError(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "request header fields too large");
            } else if (tunnel && !"websocket".equals(fields.protocol)) {
                // RFC 8441 §4 leaves other protocols to their own specifications; none is spoken here.
                res.sendError(Status.NOT_IMPLEMENTED, "extended CONNECT is implemented for websocket only");
            } else if (!tunnel && "CONNECT".equals(fields.method)) {
                // RFC 9110 §9.3.6, RFC 9113 §8.5: a tunnel is a proxy's business; this server is not one.
                res.sendError(Status.NOT_IMPLEMENTED, "CONNECT is not implemented: this server is not a proxy");
            } else {
                // An extended CONNECT for a WebSocket reaches the handler as the GET it stands for (RFC 8441 §5
                // replaces HTTP/1.1's GET with Upgrade), so routes, filters and path parameters apply unchanged.
                Http2Request req = new Http2Request(connection, stream, tunnel ? "GET" : fields.method, fields.path,
                        fields.headers, tunnel ? 0 : fields.contentLength(), fields.expectContinue());
                try {
                    connection.handler().handle(req, res);
                } finally {
                    res.endEvents();
                }
                ProtocolSwitch.Takeover takeover = tunnel ? res.takeover() : null;
                if (takeover != null) {
                    res.openTunnel();
                    // A tunnel's frames may come from any thread for as long as it lasts: not an answer to batch.
                    connection.writer().exchangeEnded(stream);
                    log(res, started);
                    logged = true;
                    takeover.run(new StreamTunnel(connection, stream));
                } else {
                    res.finish();
                }
            }
        } catch (EventStreamClosedException e) {
            // The client left or a stop began: an event stream's normal end.
            LOG.log(System.Logger.Level.DEBUG, () -> "event stream " + stream.id + " ended: " + e.getMessage());
            finishQuietly(res);
        } catch (HttpException e) {
            fail(res, e.status(), e.getMessage(), null);
        } catch (SocketTimeoutException e) {
            fail(res, Status.REQUEST_TIMEOUT, "request body not received in time", null);
        } catch (ClientPresence.Gone e) {
            // The client reset the stream while the handler waited (a proxied request to a slow backend).
            LOG.log(System.Logger.Level.DEBUG, () -> "stream " + stream.id + " given up: " + e.getMessage());
            if (!res.committed()) res.status(Status.of(ClientPresence.CLIENT_CLOSED_REQUEST));
        } catch (IOException e) {
            if (connection.connection().writeFailed()) {
                // The client's connection failed under the answer (it went away): not the handler's failure.
                LOG.log(System.Logger.Level.DEBUG, () -> "client went away during stream " + stream.id + ": " + e.getMessage());
            } else if (stream.cancelled() == null) {
                fail(res, Status.INTERNAL_SERVER_ERROR, Status.INTERNAL_SERVER_ERROR.reason(), e);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException && connection.connection().isDraining()) {
                // A graceful stop's deadline interrupted the handler (core.md, Stopping): not the handler's failure.
                LOG.log(System.Logger.Level.DEBUG, () -> "stop cut off stream " + stream.id);
                fail(res, Status.SERVICE_UNAVAILABLE, Status.SERVICE_UNAVAILABLE.reason(), null);
            } else {
                fail(res, Status.INTERNAL_SERVER_ERROR, Status.INTERNAL_SERVER_ERROR.reason(), e);
            }
        } finally {
            end();
            if (!logged) log(res, started);
        }
    }

    /** Ends the stream's DATA after an event stream ended, unless the stream is gone already. */
    private void finishQuietly(Http2Response res) {
        if (stream.cancelled() != null) return;
        try {
            res.finish();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "event stream " + stream.id + " not ended: " + e);
        }
    }

    /** Answers the failure if nothing was sent; otherwise only a reset can tell the client (§8.1). */
    private void fail(Http2Response res, Status status, String message, Exception cause) {
        if (cause != null) {
            LOG.log(System.Logger.Level.WARNING, "handler failed for " + connection.connection().remoteAddress() + " "
                    + fields.method + " " + fields.path, cause);
        }
        if (res.committed() || stream.cancelled() != null) return;
        try {
            res.sendError(status, message);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not answer stream " + stream.id + ": " + e);
        }
    }

    /**
     * Frees the stream. A response that did not end is reset (INTERNAL_ERROR, or nothing if the client reset it);
     * a complete response to a request whose body is still coming asks the client to stop sending it with
     * RST_STREAM NO_ERROR (RFC 9113 §8.1). What is left of the body is dropped.
     */
    private void end() {
        try {
            if (stream.cancelled() == null) {
                if (!stream.localEnded) {
                    stream.resetSent = true;
                    connection.writer().rstStream(stream.id, Http2Error.INTERNAL_ERROR);
                } else if (!stream.remoteEnded()) {
                    stream.resetSent = true;
                    connection.writer().rstStream(stream.id, Http2Error.NO_ERROR);
                }
            }
            // A body the handler left unread is dropped, and its connection window given back (§6.9.1); DATA still
            // on its way is dropped as it comes (Http2Stream.data).
            connection.bodyConsumed(stream.discard());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "reset of stream {0} not sent: {1}", stream.id, e.getMessage());
        } finally {
            connection.writer().exchangeEnded(stream);
            connection.ended(stream);
        }
    }

    /** Counts the response for the status page and writes the access log line, whichever is on. */
    private void log(Http2Response res, long started) {
        Metrics m = connection.metrics();
        AccessLog sink = connection.config().accessLog();
        if (m == null && sink == null) return;
        long now = System.nanoTime();
        if (m != null) m.record(res.status().code(), res.eventStreamed() ? -1 : now - started);
        if (sink == null) return;
        try {
            var peer = connection.connection().remoteAddress();
            var client = fields.headers == null ? peer : ForwardedFields.client(peer, fields.headers, connection.config().trustedProxies());
            sink.log(new AccessLog.Entry(client, Instant.now().minusNanos(now - started),
                    fields.method == null ? "-" : fields.method, fields.path == null ? "-" : fields.path, "HTTP/2.0",
                    res.status().code(), res.bodyBytes(), fields.headers.first("referer"),
                    fields.headers.first("user-agent"), now - started));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "access log failed", e);
        }
    }
}
