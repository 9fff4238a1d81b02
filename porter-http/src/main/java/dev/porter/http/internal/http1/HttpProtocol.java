package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.core.Protocol;
import dev.porter.core.ReadBuffer;
import dev.porter.http.AccessLog;
import dev.porter.http.EventStreamClosedException;
import dev.porter.http.Handler;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.Status;
import dev.porter.http.internal.ClientPresence;
import dev.porter.http.internal.ForwardedFields;
import dev.porter.http.internal.ProtocolSwitch;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.Http2Connection;
import dev.porter.http.internal.status.Meter;
import dev.porter.http.internal.status.Metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
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

    private final HttpConfig config;
    private final Handler handler;
    private final byte[] serverLine;
    private final byte[] hstsLine;
    private final long headerTimeoutNanos;
    /** Where every response is counted for the status page, or null when it is off. */
    private final Metrics metrics;

    /** A connection whose next request came within this time after a response is "hot". */
    private static final long HOT_GAP_NANOS = 20_000_000L;

    /** Per-connection state that survives parking. */
    private static final class State {
        int served;
        boolean hot;
        /** Over TLS (RFC 6797 §7.2: HSTS only then). */
        boolean secure;
        /** Once the connection speaks HTTP/2: its state, kept while it is parked. */
        Http2Connection h2;
        /** Where this thread counts the responses for the status page while it serves the connection, or null. */
        Meter meter;
        /** When the last response was counted or logged ({@link System#nanoTime()}), or 0 if it was neither. */
        long ended;
    }

    public HttpProtocol(HttpConfig config, Handler handler) {
        this(config, handler, null);
    }

    /** @param metrics where responses are counted (the status page), or null */
    public HttpProtocol(HttpConfig config, Handler handler, Metrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.handler = handler;
        this.serverLine = config.serverHeader() == null ? null
                : ("Server: " + config.serverHeader() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.headerTimeoutNanos = config.headerTimeout().toNanos();
        this.hstsLine = config.strictTransportSecurity() == null ? null
                : ("Strict-Transport-Security: max-age=" + config.strictTransportSecurity().toSeconds() + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void serve(Connection c) throws IOException {
        State state = (State) c.attachment();
        if (state != null && state.h2 != null) {
            state.h2.serve(false); // resumed from a park
            return;
        }
        if (state == null) {
            state = new State();
            state.secure = c.tls().isPresent();
            c.attach(state);
            c.setIdleTimeout(config.keepAliveTimeout());
            if (config.http2().enabled() && c.tls().map(t -> t.applicationProtocol().equals("h2")).orElse(false)) {
                // ALPN chose HTTP/2 (RFC 9113 §3.2): the client's first bytes are its preface.
                state.h2 = new Http2Connection(c, config, handler, metrics);
                state.h2.serve(true);
                return;
            }
        }
        if (metrics == null) {
            serveHttp1(c, state);
            return;
        }
        // The meter is this thread's alone until it lets go of the connection (it ends or parks): counting a
        // response then writes nothing another connection shares.
        Meter meter = metrics.open();
        state.meter = meter;
        try {
            serveHttp1(c, state);
        } finally {
            state.meter = null;
            metrics.close(meter);
        }
    }

    /** The keep-alive loop, until the connection ends, parks or turns into HTTP/2. */
    private void serveHttp1(Connection c, State state) throws IOException {
        Reused reused = new Reused(c, config, serverLine);
        RequestHead head = reused.head;
        RequestFraming framing = reused.framing;
        // Fix (found by HttpsIdleParkingTest, plaintext and TLS alike): a connection resuming from a park had its
        // wait measured from this call, so its first request looked back to back ("hot"), and it then waited for
        // the next one without a timer: it kept its thread until that request or the keep-alive timeout, never
        // parking again. It was quiet for at least idleLinger: start its wait a hot gap ago.
        long waitStart = state.served > 0 ? System.nanoTime() - HOT_GAP_NANOS : System.nanoTime();
        while (true) {
            if (state.served > 0 && !state.hot && !c.hasBufferedInput() && !c.awaitInput(config.idleLinger())) {
                // Quiet for a while: give back the thread and buffers until the client speaks again.
                if (c.isDraining()) return;
                c.parkUntilReadable();
                return;
            }
            // A new connection's first request must arrive whole within the header timeout (a client that connects
            // and says nothing, or trickles, is cut off: slowloris); later requests get it from their first byte.
            long firstByteDeadline = state.served == 0 ? waitStart + headerTimeoutNanos : 0;
            try {
                if (!readHead(c, head, headerTimeoutNanos, firstByteDeadline)) return;
                framing.analyze(head, config);
            } catch (HttpException e) {
                if (priorKnowledge(c, state, e)) {
                    c.input().deadline(0);
                    state.h2 = new Http2Connection(c, config, handler, metrics);
                    state.h2.serve(true);
                    return;
                }
                rejectAndClose(c, e.status(), e.getMessage(), head, System.nanoTime(), state.meter);
                return;
            } catch (SocketTimeoutException e) {
                if (c.hasBufferedInput() || head.method != null) {
                    rejectAndClose(c, Status.REQUEST_TIMEOUT, "request head not received in time", head, System.nanoTime(),
                            state.meter);
                }
                return;
            } finally {
                c.input().deadline(0);
            }
            long started = System.nanoTime();
            // A connection whose requests come back to back waits for the next one without a timer (cheaper);
            // one with gaps lingers on a timer, then parks without a thread.
            // (The first request says nothing: it was measured from the connection's start.)
            state.hot = state.served > 0 && started - waitStart < HOT_GAP_NANOS;
            state.served++;
            if (!exchange(c, reused, state, started)) return;
            // The clock read that timed the response, if one did, starts the wait too: one read per request. (It was
            // taken before the flush, so a slow flush counts toward the gap: at worst a connection is not "hot".)
            long ended = state.ended;
            waitStart = ended != 0 ? ended : System.nanoTime();
        }
    }

    /** An idle connection's keep-alive ended while parked: an HTTP/2 one says GOAWAY first (RFC 9113 §9.1). */
    @Override
    public void expired(Connection c) throws IOException {
        if (c.attachment() instanceof State state && state.h2 != null) state.h2.expired();
    }

    /**
     * h2c with prior knowledge (RFC 9113 §3.3): the HTTP/1.1 parser refuses the preface's request line
     * {@code PRI * HTTP/2.0} with 505; if the connection's first bytes are (the start of) the preface, it is HTTP/2
     * instead, and one cleartext port serves both. (The {@code Upgrade: h2c} dance is not offered: RFC 9113 §3.1
     * deprecates it, and clients that speak h2c use prior knowledge.)
     */
    private boolean priorKnowledge(Connection c, State state, HttpException e) {
        if (state.served != 0 || !config.http2().enabled() || e.status().code() != 505) return false;
        ReadBuffer in = c.input();
        return FrameParser.matchPreface(in.array(), in.start(), in.end()) >= 0;
    }

    /**
     * Reads one request head, feeding the bytes to the {@link RequestHead} state machine as they arrive.
     *
     * @param headerTimeoutNanos time allowed for the whole head from its first byte
     * @param firstByteDeadline {@link System#nanoTime()} by which the first byte must come, or 0 to wait for it as
     *                          long as the connection's idle (keep-alive) timeout allows; from the first byte on, the
     *                          whole head must arrive within the header timeout
     * @return false if the peer closed the connection cleanly before sending a byte of a new request
     * @throws HttpException          400, 414, 431, 501 or 505 for a malformed or oversized head
     * @throws SocketTimeoutException if the head did not arrive in time
     */
    static boolean readHead(Connection c, RequestHead head, long headerTimeoutNanos, long firstByteDeadline)
            throws IOException {
        head.reset();
        ReadBuffer in = c.input();
        in.deadline(firstByteDeadline);
        if (in.available() == 0 && !in.fill(ReadBuffer.Wait.NEXT_MESSAGE, Integer.MAX_VALUE)) return false;
        if (firstByteDeadline == 0) in.deadline(System.nanoTime() + headerTimeoutNanos);
        while (true) {
            int start = in.start();
            in.consume(head.parse(in.array(), start, in.end()) - start);
            if (head.done()) return true;
            // A pipelining client may wait for earlier responses before it sends the rest of this head.
            if (c.output().length() > 0) c.flush();
            boolean started = head.pastRequestLine() || in.available() > 0;
            if (!in.fill(started ? ReadBuffer.Wait.IN_MESSAGE : ReadBuffer.Wait.NEXT_MESSAGE, head.maxPending())) {
                if (!started) return false;
                throw RequestHead.bad("connection closed inside the request head");
            }
        }
    }

    /** Runs one request/response exchange. @return true if the connection may carry another request */
    private boolean exchange(Connection c, Reused reused, State state, long started) throws IOException {
        RequestHead head = reused.head;
        RequestFraming framing = reused.framing;
        boolean closeAfter = !framing.keepAlive || framing.closeAfter || c.isDraining()
                || state.served >= config.maxRequestsPerConnection();
        ServerResponse res = reused.response(closeAfter);
        if (state.secure && hstsLine != null) res.transportSecurity(hstsLine);
        res.allowSwitch(config);
        BodyStream body = body(c, framing, res, reused);
        res.requestBody(body, config.maxDrainBytes());
        // Earlier pipelined responses go out before a request with a body: reading that body may block, and the
        // client may be waiting for them. (Requests without a body keep coalescing.)
        if (!(body instanceof BodyStream.Empty) && c.output().length() > 0) c.flush();
        ServerRequest req = reused.request(body);
        long flushedMark = c.output().flushedBytes();
        int outMark = c.output().length();
        boolean framed;
        c.activity(head); // for the status view: the request line, rendered only when someone looks
        try {
            try {
                handler.handle(req, res);
            } finally {
                res.endEvents();
            }
            framed = res.finish();
        } catch (EventStreamClosedException e) {
            // The client left or a stop began: an event stream's normal end. A failed write closed the connection.
            LOG.log(System.Logger.Level.DEBUG, () -> "event stream to " + c.remoteAddress() + " ended: " + e.getMessage());
            framed = c.isOpen() && res.finish();
        } catch (HttpException e) {
            framed = fail(res, e.status(), e.getMessage(), !closesAfter(e.status()));
        } catch (ClientPresence.Gone e) {
            // The client left while the handler waited (a proxied request to a slow backend): nobody to answer.
            LOG.log(System.Logger.Level.DEBUG, () -> "client " + c.remoteAddress() + " left during " + head.method
                    + " " + head.target + ": " + e.getMessage());
            if (!res.committed()) res.status(Status.of(ClientPresence.CLIENT_CLOSED_REQUEST));
            framed = false;
        } catch (IOException e) {
            if (body.failure() != null && c.isOpen()) {
                // Reading the body failed (408 on a read timeout, 400 on a truncated body): answer with that.
                framed = fail(res, body.failure().status(), body.failure().getMessage());
            } else if (!c.isOpen()) {
                // The connection itself failed: nobody is left to answer. One a stop's deadline closed under the
                // handler (an upload still arriving) is still a request served, as the log says.
                if (c.isDraining()) {
                    log(c, head, res.committed() ? res.status().code() : 503, res.bodyBytes(), started, false, state.meter);
                }
                throw e;
            } else if (c.writeFailed()) {
                // The client went away while the answer was written (an abandoned download or stream): its
                // normal end, not the handler's failure. Nothing more reaches it; the connection closes.
                LOG.log(System.Logger.Level.DEBUG, () -> "client " + c.remoteAddress() + " went away during "
                        + head.method + " " + head.target + ": " + e.getMessage());
                framed = false;
            } else {
                // The handler's own I/O (a file, an upstream call) failed: the client gets a plain 500.
                LOG.log(System.Logger.Level.WARNING, "handler failed for " + c.remoteAddress() + " " + head.method
                        + " " + head.target, e);
                framed = fail(res, Status.INTERNAL_SERVER_ERROR, Status.INTERNAL_SERVER_ERROR.reason());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException && c.isDraining()) {
                // A graceful stop's deadline passed and interrupted the handler (core.md, Stopping): the stop's
                // doing, not the handler's failure. The answer, if it can still leave, says the server is going.
                LOG.log(System.Logger.Level.DEBUG, () -> "stop cut off " + head.method + " " + head.target
                        + " from " + c.remoteAddress());
                framed = fail(res, Status.SERVICE_UNAVAILABLE, Status.SERVICE_UNAVAILABLE.reason());
            } else {
                LOG.log(System.Logger.Level.WARNING, "handler failed for " + c.remoteAddress() + " " + head.method
                        + " " + head.target, e);
                framed = fail(res, Status.INTERNAL_SERVER_ERROR, Status.INTERNAL_SERVER_ERROR.reason());
            }
        }
        // Unread body: discard a little to keep the connection, else close (never parse body bytes as a request).
        boolean drained = body.drain(config.maxDrainBytes());
        HttpException failure = body.failure();
        if (!drained && failure != null && res.status().code() != failure.status().code()
                && c.output().flushedBytes() == flushedMark && c.isOpen()) {
            // The body failed (malformed framing, over a limit, too slow) but the handler answered something else
            // that is still unsent: answer with the failure instead, so a bad message is never acknowledged.
            c.output().truncate(outMark);
            c.activity(null);
            rejectAndClose(c, failure.status(), failure.getMessage(), head, started, state.meter);
            return false;
        }
        c.activity(null);
        ProtocolSwitch.Takeover takeover = res.takeover();
        if (takeover != null && framed && drained && head.version == 11 && framing.contentLength == 0 && !framing.chunked) {
            // 101 Switching Protocols (RFC 9110 §15.2.2): the head leaves now, then the connection is the new
            // protocol's until it ends; it never returns to HTTP, so serve() closes it afterwards.
            log(c, head, 101, 0, started, false, state.meter);
            c.flush();
            head.forgetRepeats(); // held for the whole conversation otherwise, for no next head
            c.activity(head); // the status view lists the conversation under its upgrade request, not as idle
            takeover.run(dev.porter.http.internal.ByteStream.of(c));
            return false;
        }
        if (res.status().code() == 101) {
            // A 101 whose switch could not happen (a request with a body): the connection speaks nothing now.
            Closes.lingering(c);
            return false;
        }
        boolean reusable = framed && !res.closing() && drained;
        state.ended = log(c, head, res.status().code(), res.bodyBytes(), started, res.eventStreamed(), state.meter);
        if (!reusable) {
            if (framed && drained && !framing.keepAlive && !c.hasBufferedInput()) {
                Closes.asAsked(c);
            } else {
                Closes.lingering(c);
            }
            return false;
        }
        if (!c.hasBufferedInput()) c.flush();
        return true;
    }

    private BodyStream body(Connection c, RequestFraming framing, ServerResponse res, Reused reused) {
        // RFC 9110 §10.1.1: 100 Continue only once the handler reads the body; if it already started its answer,
        // the 100 still goes first as long as that answer's head has not left.
        BodyStream.Continuer continuer = framing.expectContinue ? () -> res.sendInterim(CONTINUE) : null;
        if (framing.chunked) {
            return new ChunkedBody(c, config.maxBodySize(), continuer, config.maxHeaderBytes(), config.maxHeaderCount(),
                    config.lenientLineEnds());
        }
        if (framing.contentLength > 0) {
            return new BodyStream.Fixed(c, framing.contentLength, config.maxBodySize(), continuer);
        }
        return reused.emptyBody();
    }

    /** Answers an error in place of the handler's response if nothing was sent yet. @return false if it was too late */
    private static boolean fail(ServerResponse res, Status status, String message) throws IOException {
        return fail(res, status, message, status.code() == 404 || status.code() == 405);
    }

    /** @param keep true to keep the connection after the answer (the request was well framed and understood) */
    private static boolean fail(ServerResponse res, Status status, String message, boolean keep) throws IOException {
        if (res.committed()) {
            // The head is out: the only honest signal left is to cut the connection.
            return false;
        }
        if (!keep && status.code() >= 400) res.closeConnection();
        res.sendError(status, message);
        return res.finish();
    }

    /**
     * The statuses a handler's {@link HttpException} closes the connection after: those about the message itself
     * (malformed, too slow, unframed, too large, an expectation or version not met), after which nginx closes too.
     * Any other (401, 403, 409, 422, 429, 503 …) answers a well-framed request the server understood, and the client
     * keeps its connection, as it does behind nginx or Jetty: an API that refuses often must not cost a new TLS
     * handshake per refusal. An unread body is still drained or the connection closed, as after any answer.
     */
    private static boolean closesAfter(Status status) {
        return switch (status.code()) {
            case 400, 408, 411, 413, 414, 417, 431, 505 -> true;
            default -> false;
        };
    }

    /** Sends an error for an unparseable request, then closes: its bytes cannot be trusted to frame another. */
    private void rejectAndClose(Connection c, Status status, String message, RequestHead head, long started,
                                Meter meter) throws IOException {
        // A response to HEAD has no body (RFC 9110 §9.3.2), errors included, or the client reads it as a response.
        ServerResponse res = new ServerResponse(c, serverLine, "HEAD".equals(head.method), false, true, null);
        res.sendError(status, message);
        res.finish();
        log(c, head, status.code(), res.bodyBytes(), started, false, meter);
        Closes.lingering(c);
    }

    /**
     * Counts the response for the status page (into the connection's meter) and writes the access log line,
     * whichever is on.
     *
     * @return the {@link System#nanoTime()} taken for them, or 0 if both are off
     */
    private long log(Connection c, RequestHead head, int status, long bytes, long started, boolean eventStream,
                     Meter meter) {
        AccessLog sink = config.accessLog();
        if (meter == null && sink == null) return 0;
        long now = System.nanoTime();
        if (meter != null) metrics.record(meter, status, eventStream ? -1 : now - started);
        if (sink == null) return now;
        String version = head.version == 11 ? "HTTP/1.1" : head.version == 10 ? "HTTP/1.0" : "-";
        Instant at = Instant.now().minusNanos(now - started);
        try {
            InetSocketAddress client = head.headers == null ? c.remoteAddress()
                    : ForwardedFields.client(c.remoteAddress(), head.headers, config.trustedProxies());
            sink.log(new AccessLog.Entry(client, at, head.method == null ? "-" : head.method,
                    head.target == null ? "-" : head.target, version, status, bytes,
                    head.headers.first("Referer"), head.headers.first("User-Agent"), now - started));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "access log failed", e);
        }
        return now;
    }
}
