package dev.porter.http.internal;

import dev.porter.core.Connection;
import dev.porter.core.Protocol;
import dev.porter.core.internal.SocketConnection;
import dev.porter.http.AccessLog;
import dev.porter.http.Handler;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.Status;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * HTTP/1.1 as a {@link Protocol}: the keep-alive loop of one connection (RFC 9112 §9). Reads a head, runs the
 * handler, completes and frames the response, drains what the handler left of the body, and either goes on with
 * the next (possibly pipelined) request or closes. Responses are flushed only when no further request is already
 * buffered, so pipelined responses leave in one write. An idle connection keeps its thread for
 * {@link HttpConfig#idleLinger()}, then is parked without thread or buffers until bytes arrive.
 */
public final class HttpProtocol implements Protocol {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpServer");
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Bytes read and discarded after a final response before closing, so the client sees it, not a reset. */
    private static final int LINGER_DISCARD_BYTES = 256 * 1024;
    private static final long LINGER_CLOSE_NANOS = 1_000_000_000L;

    private final HttpConfig config;
    private final Handler handler;
    private final byte[] serverLine;
    private final long headerTimeoutNanos;

    /** Per-connection state that survives parking. */
    private static final class State {
        int served;
    }

    public HttpProtocol(HttpConfig config, Handler handler) {
        this.config = config;
        this.handler = handler;
        this.serverLine = config.serverHeader() == null ? null
                : ("Server: " + config.serverHeader() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.headerTimeoutNanos = config.headerTimeout().toNanos();
    }

    @Override
    public void serve(Connection connection) throws IOException {
        SocketConnection c = (SocketConnection) connection;
        State state = (State) c.attachment();
        if (state == null) {
            state = new State();
            c.attach(state);
            c.setIdleTimeout(config.keepAliveTimeout());
        }
        RequestHead head = new RequestHead(config);
        RequestFraming framing = new RequestFraming();
        while (true) {
            if (state.served > 0 && !c.hasBufferedInput() && !c.awaitInput(config.idleLinger())) {
                if (c.isDraining()) return;
                c.parkUntilReadable();
                return;
            }
            // The header timeout runs from the first byte we wait for: a client that connects (or keeps alive)
            // and then trickles its head is cut off here (slowloris).
            long started = System.nanoTime();
            c.setReadDeadline(started + headerTimeoutNanos);
            try {
                if (!head.read(c)) return;
                framing.analyze(head, config);
            } catch (HttpException e) {
                rejectAndClose(c, e.status(), e.getMessage(), head, started);
                return;
            } catch (SocketTimeoutException e) {
                if (c.hasBufferedInput() || head.method != null) {
                    rejectAndClose(c, Status.REQUEST_TIMEOUT, "request head not received in time", head, started);
                }
                return;
            } finally {
                c.setReadDeadline(0);
            }
            state.served++;
            if (!exchange(c, head, framing, state, started)) return;
        }
    }

    /** Runs one request/response exchange. @return true if the connection may carry another request */
    private boolean exchange(SocketConnection c, RequestHead head, RequestFraming framing, State state, long started)
            throws IOException {
        boolean closeAfter = !framing.keepAlive || framing.closeAfter || c.isDraining()
                || state.served >= config.maxRequestsPerConnection();
        ServerResponse res = new ServerResponse(c, serverLine, "HEAD".equals(head.method), head.version == 10, closeAfter);
        BodyStream body = body(c, framing, res);
        // Earlier pipelined responses go out before a request with a body: reading that body may block, and the
        // client may be waiting for them. (Requests without a body keep coalescing.)
        if (!(body instanceof BodyStream.Empty) && c.outLength() > 0) c.flush();
        ServerRequest req = new ServerRequest(head, framing, c, config.maxBodySize(), body);
        long flushedMark = c.flushedBytes();
        int outMark = c.outLength();
        boolean framed;
        try {
            handler.handle(req, res);
            framed = res.finish();
        } catch (HttpException e) {
            framed = fail(res, e.status(), e.getMessage(), c);
        } catch (IOException e) {
            if (!c.isOpen() || e instanceof SocketTimeoutException) throw e; // the connection itself failed
            LOG.log(System.Logger.Level.WARNING, "handler failed for " + c.remoteAddress() + " " + head.method + " "
                    + head.target, e);
            framed = fail(res, Status.INTERNAL_SERVER_ERROR, Status.INTERNAL_SERVER_ERROR.reason(), c);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "handler failed for " + c.remoteAddress() + " " + head.method + " "
                    + head.target, e);
            framed = fail(res, Status.INTERNAL_SERVER_ERROR, Status.INTERNAL_SERVER_ERROR.reason(), c);
        }
        // Unread body: discard a little to keep the connection, else close (never parse body bytes as a request).
        boolean drained = body.drain(config.maxDrainBytes());
        if (!drained && body.broken() && c.flushedBytes() == flushedMark && c.isOpen()) {
            // The body's framing was malformed (or over a limit) and the handler's answer is still unsent: answer
            // the body's own error instead (400, or 413/431 for a limit), so such a message is never acknowledged
            // with a success, nor with an answer meant for a well-formed request.
            c.truncateOutput(outMark);
            HttpException why = body.failure;
            rejectAndClose(c, why != null ? why.status() : Status.BAD_REQUEST,
                    why != null ? why.getMessage() : "malformed request body framing", head, started);
            return false;
        }
        boolean reusable = framed && !res.closing() && drained;
        log(c, head, res.status().code(), res.bodyBytes(), started);
        if (!reusable) {
            lingeringClose(c);
            return false;
        }
        if (!c.hasBufferedInput()) c.flush();
        return true;
    }

    private BodyStream body(SocketConnection c, RequestFraming framing, ServerResponse res) {
        BodyStream.Continuer continuer = framing.expectContinue && !res.committed() ? () -> {
            if (!res.committed()) {
                c.write(CONTINUE, 0, CONTINUE.length);
                c.flush();
            }
        } : null;
        if (framing.chunked) {
            return new ChunkedBody(c, config.maxBodySize(), continuer, config.maxHeaderBytes(), config.maxHeaderCount(),
                    config.lenientLineEnds());
        }
        if (framing.contentLength > 0) {
            return new BodyStream.Fixed(c, framing.contentLength, config.maxBodySize(), continuer);
        }
        return new BodyStream.Empty(c);
    }

    /** Answers an error in place of the handler's response if nothing was sent yet. @return false if it was too late */
    private static boolean fail(ServerResponse res, Status status, String message, SocketConnection c) throws IOException {
        if (res.committed()) {
            // The head is out: the only honest signal left is to cut the connection.
            return false;
        }
        if (status.code() >= 400 && status.code() != 404 && status.code() != 405) res.closeConnection();
        res.sendError(status, message);
        return res.finish();
    }

    /** Sends an error for an unparseable request, then closes: its bytes cannot be trusted to frame another. */
    private void rejectAndClose(SocketConnection c, Status status, String message, RequestHead head, long started)
            throws IOException {
        // A response to HEAD has no body (RFC 9110 §9.3.2), errors included, or the client reads it as a response.
        ServerResponse res = new ServerResponse(c, serverLine, "HEAD".equals(head.method), false, true);
        res.sendError(status, message);
        res.finish();
        log(c, head, status.code(), res.bodyBytes(), started);
        lingeringClose(c);
    }

    /**
     * Flushes, half-closes, and reads what the client still sends for a moment before the socket closes, so that
     * unread input does not make the kernel answer with a reset that destroys the response (RFC 9112 §9.6).
     */
    private static void lingeringClose(SocketConnection c) {
        try {
            c.flush();
            c.shutdownOutput();
            c.setReadDeadline(System.nanoTime() + LINGER_CLOSE_NANOS);
            int discarded = 0;
            c.inPos = c.inLim;
            byte[] skip = new byte[4096];
            while (discarded < LINGER_DISCARD_BYTES) {
                int n = c.readSome(skip, 0, skip.length, true);
                if (n < 0) break;
                discarded += n;
            }
        } catch (IOException e) {
            // The client went away or was slow to close: either way the connection is done.
            LOG.log(System.Logger.Level.TRACE, "lingering close ended: {0}", e.getMessage());
        }
    }

    private void log(SocketConnection c, RequestHead head, int status, long bytes, long started) {
        AccessLog sink = config.accessLog();
        if (sink == null) return;
        String version = head.version == 11 ? "HTTP/1.1" : head.version == 10 ? "HTTP/1.0" : "-";
        long now = System.nanoTime();
        Instant at = Instant.now().minusNanos(now - started);
        try {
            sink.log(new AccessLog.Entry(c.remoteAddress(), at, head.method == null ? "-" : head.method,
                    head.target == null ? "-" : head.target, version, status, bytes,
                    head.headers.first("Referer"), head.headers.first("User-Agent"), now - started));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "access log failed", e);
        }
    }
}
