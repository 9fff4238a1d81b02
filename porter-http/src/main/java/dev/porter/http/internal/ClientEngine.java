package dev.porter.http.internal;

import dev.porter.core.ConnectionConfig;
import dev.porter.core.Connection;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClientException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client behind {@link dev.porter.http.HttpClient}: picks or opens a connection per request, runs the
 * {@link Exchange}, retries once on a fresh connection when a pooled one turns out dead (idempotent requests with a
 * replayable body only, RFC 9110 §9.2.2), repeats a request without {@code Expect} after 417, follows redirects
 * ({@link Redirects}), and wraps the body (gzip). Thread-safe: the only shared state is the pool and counters.
 */
public final class ClientEngine implements AutoCloseable {

    /** RFC 9110 §9.2.2: methods whose repetition has the same effect as one request. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final ClientConfig config;
    private final ConnectionConfig connectionConfig;
    private final ConnectionPool pool;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong exchanges = new AtomicLong();

    public ClientEngine(ClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        Duration rt = config.readTimeout();
        // Waiting for a response is never idle time for a client: every wait is bounded by the read timeout.
        this.connectionConfig = ConnectionConfig.defaults().withIdleTimeout(rt).withReadTimeout(rt).withWriteTimeout(rt);
        this.pool = new ConnectionPool(config.maxIdlePerHost(), config.idleTimeout());
    }

    /** @return connections opened so far */
    public long connectionsOpened() {
        return opened.get();
    }

    /** @return exchanges completed so far (redirect hops and retries count separately) */
    public long exchanges() {
        return exchanges.get();
    }

    /** @return idle connections in the pool now */
    public int idleConnections() {
        return pool.idleCount();
    }

    /** Sends {@code request}, following redirects as configured; see {@link dev.porter.http.HttpClient#send}. */
    public ClientResponse send(ClientRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        Duration timeout = request.timeout() != null ? request.timeout() : config.requestTimeout();
        long deadline = timeout == null ? 0 : (System.nanoTime() + timeout.toNanos()) | 1;
        ClientRequest current = request;
        for (int hops = 0; ; hops++) {
            ClientResponseImpl res = attempt(current, deadline, timeout);
            if (!config.followRedirects()) return res;
            ClientRequest next;
            try {
                next = Redirects.next(current, res);
            } catch (IOException | RuntimeException e) {
                res.close();
                throw e;
            }
            if (next == null) return res;
            res.close(); // a small redirect body is drained, so the next hop can reuse the connection
            if (hops >= config.maxRedirects()) {
                throw new HttpClientException.TooManyRedirects("more than " + config.maxRedirects()
                        + " redirects; the last one pointed to " + next.uri());
            }
            current = next;
        }
    }

    private ClientResponseImpl attempt(ClientRequest req, long deadline, Duration timeout) throws IOException {
        Route route = Route.of(req.uri());
        boolean retryable = IDEMPOTENT.contains(req.method()) && req.body().replayable();
        boolean acceptGzip = config.decompress() && req.header("Accept-Encoding") == null;
        long length = req.body().length();
        boolean expect = length != 0 && config.expectContinueThreshold() >= 0
                && (length < 0 || length >= config.expectContinueThreshold());
        boolean fresh = false;
        while (true) {
            PooledConnection pc = fresh ? null : pool.acquire(route, !retryable);
            if (pc == null) pc = open(route, req.uri(), deadline, timeout);
            Exchange.Result r;
            try {
                r = new Exchange(config, pc, req, deadline, timeout).run(expect, acceptGzip);
            } catch (Exchange.StaleConnection e) {
                if (!retryable) {
                    throw new HttpClientException.IncompleteResponse(e.getMessage() + "; " + req.method()
                            + " is not retried (not idempotent, or its body cannot be sent twice)", true);
                }
                fresh = true; // only a reused connection goes stale, so this loops at most once
                continue;
            }
            exchanges.incrementAndGet();
            if (r.head().status.code() == 417 && expect && !r.bodySent() && req.body().replayable()
                    && req.header("Expect") == null) {
                // RFC 9110 §10.1.1: a client that gets 417 should repeat the request without the expectation.
                pc.c.close();
                expect = false;
                fresh = true;
                continue;
            }
            return respond(pc, req, r, acceptGzip, deadline, timeout);
        }
    }

    private ClientResponseImpl respond(PooledConnection pc, ClientRequest req, Exchange.Result r, boolean acceptGzip,
                                       long deadline, Duration timeout) {
        ResponseHead head = r.head();
        ResponseFraming f = r.framing();
        String connection = req.header("Connection");
        // A final response that came before the body was sent leaves the server expecting that body: never reuse.
        boolean reusable = f.persistent() && r.bodySent()
                && (connection == null || !RequestFraming.hasToken(connection, "close"));
        Connection c = pc.c;
        ResponseBody body = new ResponseBody(c, f, config.maxHeaderBytes(), config.maxHeaderCount(), ok -> {
            c.input().deadline(0);
            if (ok && reusable) pool.release(pc);
            else c.close();
        }, deadline, timeout, config.readTimeout());
        InputStream stream = body;
        long contentLength = switch (f.kind()) {
            case NONE -> 0;
            case LENGTH -> f.length();
            default -> -1;
        };
        String coding = head.headers.first("Content-Encoding");
        if (acceptGzip && f.kind() != ResponseFraming.Kind.NONE && head.status.code() != 206 && coding != null
                && (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip"))) {
            // A 206 holds a byte range of the encoded body, which cannot be decoded on its own.
            stream = new GzipBody(body);
            contentLength = -1;
        }
        return new ClientResponseImpl(head.status, head.version == 10 ? "HTTP/1.0" : "HTTP/1.1", head.headers,
                req.uri(), body, stream, contentLength);
    }

    private PooledConnection open(Route route, URI uri, long deadline, Duration timeout) throws IOException {
        Duration connectTimeout = config.connectTimeout();
        boolean byDeadline = false;
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw requestTimeout(uri, timeout);
            if (left < connectTimeout.toNanos()) {
                connectTimeout = Duration.ofNanos(left);
                byDeadline = true;
            }
        }
        Connection c;
        try {
            c = route.transport().connect(route.connectHost(), route.port(), connectTimeout, connectionConfig, config.tls());
        } catch (SocketTimeoutException e) {
            if (byDeadline) throw requestTimeout(uri, timeout);
            throw new HttpClientException.Timeout("connect to " + route.connectHost() + ":" + route.port()
                    + " timed out after " + connectTimeout.toMillis() + " ms", HttpClientException.Timeout.Kind.CONNECT);
        } catch (ConnectException e) {
            ConnectException named = new ConnectException("connect to " + route.connectHost() + ":" + route.port()
                    + " failed: " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        opened.incrementAndGet();
        try {
            if (config.listener() != null) {
                config.listener().connected(uri, c.remoteAddress());
                if (c.tls().isPresent()) config.listener().secured(uri, c.tls().get());
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return new PooledConnection(c, route);
    }

    private static HttpClientException.Timeout requestTimeout(URI uri, Duration timeout) {
        return new HttpClientException.Timeout("request to " + uri + " did not complete within " + timeout.toMillis()
                + " ms", HttpClientException.Timeout.Kind.REQUEST);
    }

    /** Closes idle connections; see {@link dev.porter.http.HttpClient#close()}. */
    @Override
    public void close() {
        pool.close();
    }
}
