package dev.porter.http.internal.client;

import dev.porter.core.ClientTls;
import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClientException;
import dev.porter.http.HttpVersion;
import dev.porter.http.Status;
import dev.porter.http.internal.h2client.Http2ClientConnection;
import dev.porter.http.internal.h2client.Http2Retry;
import dev.porter.http.internal.http1.RequestFraming;
import dev.porter.http.internal.http1.ResponseFraming;
import dev.porter.http.internal.http1.ResponseHead;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client behind {@link dev.porter.http.HttpClient}: picks or opens a connection per request, runs the
 * {@link Exchange}, retries once on a fresh connection when a pooled one turns out dead (idempotent requests with a
 * replayable body only, RFC 9110 §9.2.2), repeats a request without {@code Expect} after 417, follows redirects
 * ({@link Redirects}), and wraps the body (gzip). Thread-safe: the only shared state is the pool and counters.
 *
 * <p>HTTP/2 ({@link HttpVersion}): over TLS, ALPN offers {@code h2} and the server's choice decides; for {@code http},
 * only with prior knowledge. An HTTP/2 connection is shared by every request to its route
 * ({@link Http2ClientConnection}); a request it did not process (GOAWAY, REFUSED_STREAM) is sent again on another
 * connection, whatever its method, if its body can be sent twice.
 */
public final class ClientEngine implements AutoCloseable {

    /** RFC 9110 §9.2.2: methods whose repetition has the same effect as one request. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final ClientConfig config;
    private final ConnectionConfig connectionConfig;
    private final ConnectionPool pool;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong exchanges = new AtomicLong();
    /** TLS offering what {@link ClientConfig#httpVersion()} allows, and the same without {@code h2}. */
    private final ClientTls tlsH2;
    private final ClientTls tlsH1;
    private final boolean offersH2;
    /** Times a request is sent again because a server did not process it (a GOAWAY storm ends there). */
    private static final int MAX_UNPROCESSED_RETRIES = 3;

    public ClientEngine(ClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        Duration rt = config.readTimeout();
        // Waiting for a response is never idle time for a client: every wait is bounded by the read timeout.
        this.connectionConfig = ConnectionConfig.defaults().withIdleTimeout(rt).withReadTimeout(rt).withWriteTimeout(rt);
        this.pool = new ConnectionPool(config.maxIdlePerHost(), config.idleTimeout());
        List<String> alpn = config.tls().applicationProtocols();
        if (alpn.isEmpty()) alpn = config.httpVersion() == HttpVersion.HTTP_1_1 ? List.of("http/1.1") : List.of("h2", "http/1.1");
        List<String> withoutH2 = alpn.stream().filter(p -> !p.equals("h2")).toList();
        if (withoutH2.isEmpty()) withoutH2 = List.of("http/1.1");
        if (config.httpVersion() == HttpVersion.HTTP_1_1) alpn = withoutH2;
        this.offersH2 = alpn.contains("h2");
        this.tlsH2 = config.tls().withApplicationProtocols(alpn);
        this.tlsH1 = config.tls().withApplicationProtocols(withoutH2);
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

    /** Sends as {@link dev.porter.http.HttpClient#send}; a first-hop connection opens with {@code preface} if set. */
    public ClientResponse send(ClientRequest request, Route.Preface preface) throws IOException {
        Objects.requireNonNull(request, "request");
        Duration timeout = request.timeout() != null ? request.timeout() : config.requestTimeout();
        long deadline = timeout == null ? 0 : (System.nanoTime() + timeout.toNanos()) | 1;
        ClientRequest current = request;
        for (int hops = 0; ; hops++) {
            ClientResponseImpl res = attempt(current, hops == 0 ? preface : null, deadline, timeout);
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

    /**
     * Sends a request whose head the caller prepared (the reverse proxy): HTTP/1.1 only, on a pooled connection or a
     * new one (opening with the route's preface), with the retry on a fresh connection of {@link #send}; no
     * redirects, no content coding, no {@code Expect}. The response's fields are kept as bytes
     * ({@link ClientResponseImpl#fieldBytes()}) in a head the connection reuses: read them before the body's end.
     *
     * @param deadline {@link System#nanoTime()} by which it must be answered, or 0; {@code timeout} names it
     */
    public ClientResponse send(PreparedRequest p, long deadline, Duration timeout) throws IOException {
        if (config.httpVersion() != HttpVersion.HTTP_1_1) throw new IllegalStateException("prepared requests are HTTP/1.1");
        boolean retryable = IDEMPOTENT.contains(p.method) && p.body.replayable();
        boolean fresh = false;
        while (true) {
            PooledConnection pc = fresh ? null : pool.acquire(p.route, !retryable);
            if (pc == null) pc = open(p.route, p.uri, deadline, timeout, false);
            Exchange.Result r;
            try {
                r = new Exchange(config, pc, p, deadline, timeout).run(false, false);
            } catch (Exchange.StaleConnection e) {
                if (!retryable) {
                    throw new HttpClientException.IncompleteResponse(e.getMessage() + "; " + p.method
                            + " is not retried (not idempotent, or its body cannot be sent twice)", true);
                }
                fresh = true; // only a reused connection goes stale, so this loops at most once
                continue;
            }
            exchanges.incrementAndGet();
            return respond(pc, p.uri, p.connection, r, false, deadline, timeout);
        }
    }

    private ClientResponseImpl attempt(ClientRequest req, Route.Preface p, long deadline, Duration timeout) throws IOException {
        Route route = Route.of(req.uri()).with(p);
        boolean retryable = IDEMPOTENT.contains(req.method()) && req.body().replayable();
        boolean acceptGzip = config.decompress() && req.header("Accept-Encoding") == null;
        long length = req.body().length();
        boolean expect = length != 0 && config.expectContinueThreshold() >= 0
                && (length < 0 || length >= config.expectContinueThreshold());
        boolean fresh = false;
        boolean staleRetried = false;
        int unprocessed = 0;
        while (true) {
            Lease lease = lease(route, req.uri(), !retryable, fresh, deadline, timeout);
            if (lease.h2 != null) {
                try {
                    return exchangeH2(lease.h2, route, req, acceptGzip, deadline, timeout);
                } catch (Http2Retry e) {
                    if (e.http11Required()) pool.requireHttp11(route);
                    // A connection that served other streams before leaving this one unprocessed is rotating (a
                    // server's requests-per-connection limit), not refusing: that retry is free, as each one follows
                    // the server's progress on other requests; a connection that served nothing counts.
                    boolean again = e.unprocessed()
                            ? req.body().replayable() && (e.afterProgress() || ++unprocessed <= MAX_UNPROCESSED_RETRIES)
                            : retryable && !staleRetried;
                    if (!again) {
                        throw new HttpClientException.IncompleteResponse(e.getMessage() + "; " + req.method() + " is not "
                                + "retried (" + (e.unprocessed() ? "its body cannot be sent twice, or it was retried "
                                + MAX_UNPROCESSED_RETRIES + " times" : "not idempotent, or its body cannot be sent twice")
                                + ")", true);
                    }
                    staleRetried |= !e.unprocessed();
                    fresh = true;
                    continue;
                }
            }
            PooledConnection pc = lease.pc;
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
            return respond(pc, req.uri(), req.header("Connection"), r, acceptGzip, deadline, timeout);
        }
    }

    /** A connection for one attempt: lent for HTTP/1.1 ({@code pc}), or shared for HTTP/2 ({@code h2}). */
    private record Lease(PooledConnection pc, Http2ClientConnection h2) {
    }

    /** @return true if requests to {@code route} may go over HTTP/2 */
    private boolean mayUseHttp2(Route route) {
        if (config.httpVersion() == HttpVersion.HTTP_1_1 || pool.http11Required(route)) return false;
        return route.scheme().equals("https") ? offersH2 : config.httpVersion() == HttpVersion.HTTP_2_PRIOR_KNOWLEDGE;
    }

    /**
     * Finds the connection for an attempt: the route's shared HTTP/2 connection, an idle HTTP/1.1 one, or a new one
     * (whose ALPN result, or prior knowledge, decides which). While it is unknown whether a route speaks HTTP/2,
     * one thread at a time opens a connection to it, so that concurrent first requests share an HTTP/2 connection.
     *
     * @param probe check a pooled HTTP/1.1 connection even if it idled briefly
     * @param fresh do not take an idle HTTP/1.1 connection
     */
    private Lease lease(Route route, URI uri, boolean probe, boolean fresh, long deadline, Duration timeout)
            throws IOException {
        boolean h2 = mayUseHttp2(route);
        if (h2) {
            Http2ClientConnection m = pool.multiplexed(route);
            if (m != null) return new Lease(null, m);
        }
        if (!h2 || pool.knownHttp11(route)) {
            PooledConnection pc = fresh ? null : pool.acquire(route, probe);
            if (pc != null) return new Lease(pc, null);
            return adopt(route, open(route, uri, deadline, timeout, h2), h2, deadline, timeout);
        }
        ReentrantLock opener = pool.openLock(route);
        boolean locked = lockOpener(opener, deadline);
        try {
            if (locked) {
                Http2ClientConnection m = pool.multiplexed(route);
                if (m != null) return new Lease(null, m);
                if (pool.knownHttp11(route) && !fresh) {
                    PooledConnection pc = pool.acquire(route, probe);
                    if (pc != null) return new Lease(pc, null);
                }
            }
            return adopt(route, open(route, uri, deadline, timeout, h2), h2, deadline, timeout);
        } finally {
            if (locked) opener.unlock();
        }
    }

    /**
     * Waits for another thread opening a connection to the same route, at most as long as opening one may take.
     *
     * @return true if the lock is held; false to open a connection without waiting longer
     */
    private boolean lockOpener(ReentrantLock opener, long deadline) throws IOException {
        long wait = config.connectTimeout().toNanos() + config.tls().handshakeTimeout().toNanos()
                + config.readTimeout().toNanos();
        if (deadline != 0) wait = Math.min(wait, deadline - System.nanoTime());
        try {
            return wait > 0 && opener.tryLock(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connection");
        }
    }

    /** A new connection speaks HTTP/2 if ALPN chose {@code h2}, or ({@code http}) with prior knowledge. */
    private Lease adopt(Route route, PooledConnection pc, boolean h2, long deadline, Duration timeout) throws IOException {
        boolean speaksH2 = h2 && (route.scheme().equals("https")
                ? pc.c.tls().map(t -> t.applicationProtocol().equals("h2")).orElse(false)
                : config.httpVersion() == HttpVersion.HTTP_2_PRIOR_KNOWLEDGE);
        if (!speaksH2) {
            if (h2) pool.learnHttp11(route);
            return new Lease(pc, null);
        }
        Http2ClientConnection h = Http2ClientConnection.start(pc.c, config, deadline, timeout);
        if (!pool.addMultiplexed(route, h)) h.retireAfterStreams();
        return new Lease(null, h);
    }

    /** One exchange on an HTTP/2 connection: the same request, its fields in HTTP/2 form (RFC 9113 §8.2-§8.3). */
    private ClientResponseImpl exchangeH2(Http2ClientConnection h2, Route route, ClientRequest req, boolean acceptGzip,
                                          long deadline, Duration timeout) throws IOException {
        List<String> lines = RequestWriter.head(req, route, config, false, acceptGzip);
        String target = RequestWriter.target(req.uri());
        String authority = route.authority();
        List<String> fields = new ArrayList<>(lines.size() * 2);
        List<String> shown = new ArrayList<>(lines.size());
        shown.add(req.method() + " " + target + " HTTP/2");
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            String name = line.substring(0, colon);
            String value = line.substring(Math.min(line.length(), colon + 2));
            switch (name.toLowerCase(Locale.ROOT)) {
                case "host" -> {
                    // §8.3.1: the target's authority goes in :authority, never in Host.
                    authority = value;
                    shown.add(line);
                    continue;
                }
                case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> {
                    continue; // §8.2.2: connection-specific fields do not exist in HTTP/2
                }
                case "te" -> {
                    if (!value.equalsIgnoreCase("trailers")) continue;
                }
                default -> {
                }
            }
            fields.add(name);
            fields.add(value);
            shown.add(line);
        }
        var listener = config.listener();
        if (listener != null) listener.requestHead(shown);
        Http2ClientConnection.Response r = h2.exchange(req.method(), route.scheme(), authority, target, fields,
                req.body(), deadline, timeout, listener == null ? null : listener::responseHead);
        exchanges.incrementAndGet();
        InputStream stream = r.body();
        long contentLength = r.contentLength();
        int layers = acceptGzip && contentLength != 0 && r.status() != 206 ? ContentCodings.gzipLayers(r.headers(), r.body()) : 0;
        if (layers > 0) {
            stream = ContentCodings.decode(r.body(), layers);
            contentLength = -1;
        }
        return new ClientResponseImpl(Status.of(r.status()), "HTTP/2", r.headers(), req.uri(), r.body(), stream,
                contentLength);
    }

    /** @param connection the request's {@code Connection} field, or null */
    private ClientResponseImpl respond(PooledConnection pc, URI uri, String connection, Exchange.Result r,
                                       boolean acceptGzip, long deadline, Duration timeout) throws IOException {
        ResponseHead head = r.head();
        ResponseFraming f = r.framing();
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
        // A 206 holds a byte range of the encoded body, which cannot be decoded on its own.
        int layers = acceptGzip && f.kind() != ResponseFraming.Kind.NONE && head.status.code() != 206
                ? ContentCodings.gzipLayers(head.headers, body) : 0;
        if (layers > 0) {
            stream = ContentCodings.decode(body, layers);
            contentLength = -1;
        }
        return new ClientResponseImpl(head.status, head.version == 10 ? "HTTP/1.0" : "HTTP/1.1", head.headers,
                head.fields, uri, body, stream, contentLength);
    }

    /** Opens a connection of its own for a protocol switch: never pooled; over TLS, ALPN offers only http/1.1. */
    public Connection connectForUpgrade(URI uri, long deadline, Duration timeout) throws IOException {
        return connectForUpgrade(uri, null, deadline, timeout);
    }

    /** As {@link #connectForUpgrade(URI, long, Duration)}, the connection opening with {@code preface} (or none). */
    public Connection connectForUpgrade(URI uri, Route.Preface preface, long deadline, Duration timeout) throws IOException {
        Route route = preface == null ? Route.of(uri) : Route.of(uri).with(preface);
        return open(route, uri, deadline, timeout, false).c;
    }

    /** For a WebSocket (RFC 8441): the route's HTTP/2 connection (shared or new), or null if it speaks HTTP/1.1. */
    public Http2ClientConnection http2ForWebSocket(URI uri, long deadline, Duration timeout) throws IOException {
        Route route = Route.of(uri);
        if (!mayUseHttp2(route) || pool.knownHttp11(route)) return null;
        Lease l = lease(route, uri, false, true, deadline, timeout);
        if (l.h2 == null) l.pc.c.close(); // HTTP/1.1 after all: the upgrade opens a connection of its own
        return l.h2;
    }

    private PooledConnection open(Route route, URI uri, long deadline, Duration timeout, boolean h2) throws IOException {
        PooledConnection pc = Connector.open(config, connectionConfig, h2 ? tlsH2 : tlsH1, route, uri, deadline, timeout);
        opened.incrementAndGet();
        return pc;
    }

    /** Closes idle connections; see {@link dev.porter.http.HttpClient#close()}. */
    @Override
    public void close() {
        pool.close();
    }
}
