package dev.porter.http.internal.proxy;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpVersion;
import dev.porter.http.ProxyConfig;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.internal.ClientPresence;
import dev.porter.http.internal.client.ClientEngine;
import dev.porter.http.internal.client.PreparedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The reverse proxy behind {@link dev.porter.http.ProxyHandler}: for each request, a backend is chosen
 * ({@link Balancer}), the request re-built ({@link Outgoing}) and sent on the client engine (pooled keep-alive
 * connections per backend), and the answer relayed ({@link Relay}).
 *
 * <p>Retries (RFC 9110 §9.2.2): at most one more attempt, on another backend, and only when it cannot repeat an
 * effect: any request whose connection failed (nothing was sent, its body untouched); an idempotent request
 * whose body can be sent again (none, or buffered) when the connection broke before any of the response reached
 * the client. Never a non-idempotent request after it was sent, and never after a timeout (a slow backend is
 * not helped by a second copy of the work). Thread-safe: one instance serves every request at once.
 */
public final class Proxy implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.ProxyHandler");
    /** RFC 9110 §9.2.2. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final ProxyConfig cfg;
    private final ClientEngine engine;
    private final Balancer balancer;
    private final HealthChecks health;
    private final List<AddressRange> trusted;
    private final BackendHello hello;
    private final Upgrades upgrades;

    public Proxy(ProxyConfig cfg) {
        this.cfg = cfg;
        ClientConfig clientConfig = ClientConfig.builder().connectTimeout(cfg.connectTimeout())
                .readTimeout(cfg.readTimeout()).maxIdlePerHost(cfg.maxIdlePerBackend()).followRedirects(false)
                .decompress(false).expectContinueThreshold(-1).userAgent(null).httpVersion(HttpVersion.HTTP_1_1)
                .tls(cfg.upstreamTls()).build();
        this.engine = new ClientEngine(clientConfig);
        this.hello = new BackendHello(cfg.sendProxy());
        List<Backend> backends = new ArrayList<>();
        for (var u : cfg.upstreams()) backends.add(new Backend(u));
        this.balancer = new Balancer(backends, cfg.balance(), cfg.health() != null, cfg.downTime().toNanos());
        this.trusted = cfg.trustedProxies().stream().map(AddressRange::parse).toList();
        this.health = cfg.health() == null ? null : new HealthChecks(cfg.health(), backends, hello.local(), cfg.upstreamTls());
        this.upgrades = new Upgrades(cfg, clientConfig, engine, balancer, hello);
    }

    /** @return WebSocket tunnels open (or being opened) now */
    public int tunnels() {
        return upgrades.active();
    }

    /** @return the backends, in configured order */
    public List<Backend> backends() {
        return balancer.backends();
    }

    /** Forwards one request and relays the answer (or answers 502/504 itself). */
    public void handle(Request req, Response res) throws IOException {
        if (req.method().equals("CONNECT")) {
            res.send(Status.NOT_IMPLEMENTED, "Not Implemented: the proxy does not open CONNECT tunnels\n");
            return;
        }
        long maxForwards = Outgoing.maxForwards(req);
        if (maxForwards == 0) {
            // RFC 9110 §7.6.2: the last hop answers itself. TRACE is not echoed (it would reflect credentials).
            if (req.method().equals("OPTIONS")) res.send(new byte[0]);
            else res.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH").send(Status.METHOD_NOT_ALLOWED, "Method Not Allowed\n");
            return;
        }
        boolean isTrusted = AddressRange.any(trusted, req.remoteAddress().getAddress());
        String cookieId = cfg.sticky() == ProxyConfig.Sticky.COOKIE ? Cookies.value(req.headers(), cfg.stickyCookie()) : null;
        String client = cfg.sticky() == ProxyConfig.Sticky.CLIENT_ADDRESS ? Forwarding.client(req, isTrusted) : null;
        String target = Outgoing.target(req, cfg.stripPrefix());
        if (Upgrades.wanted(req, res)) {
            upgrades.handle(req, res, target, isTrusted, cookieId, client);
            return;
        }
        long deadline = cfg.totalTimeout() == null ? 0 : System.nanoTime() + cfg.totalTimeout().toNanos();
        BufferedBody buffered = cfg.buffering() == null ? null : BufferedBody.read(req.body(), req.contentLength(), cfg.buffering());
        try {
            StreamedBody[] streamed = new StreamedBody[1];
            ClientRequest.Body body = buffered != null ? buffered.body() : StreamedBody.of(req, streamed);
            forward(req, res, target, body, streamed[0], isTrusted, cookieId, client, deadline,
                    maxForwards > 0 ? maxForwards - 1 : -1);
        } finally {
            if (buffered != null) buffered.close();
        }
    }

    private void forward(Request req, Response res, String target, ClientRequest.Body body, StreamedBody streamed,
                         boolean isTrusted, String cookieId, String client, long deadline, long maxForwards)
            throws IOException {
        boolean idempotent = IDEMPOTENT.contains(req.method());
        Backend tried = null;
        Failure failure = Failure.NONE_LEFT;
        for (int attempt = 0; attempt < 2; attempt++) {
            Backend b = balancer.pick(tried, cookieId, client);
            if (b == null) break;
            Duration left = null;
            if (deadline != 0) {
                long nanos = deadline - System.nanoTime();
                if (nanos <= 0) {
                    failure = Failure.TIMEOUT;
                    break;
                }
                left = Duration.ofNanos(nanos);
            }
            ClientRequest out = null;
            PreparedRequest prepared = null;
            try {
                // The usual case: the head encoded straight to bytes. A backend whose scheme no transport speaks
                // takes the general path, which reports that.
                if (b.route() != null) {
                    prepared = Outgoing.prepare(req, b, hello.preface(req), target, body, isTrusted, cfg, maxForwards)
                            .forClient(ClientPresence.of(req));
                } else {
                    out = Outgoing.build(req, b, target, body, isTrusted, cfg, left, maxForwards);
                }
            } catch (IllegalArgumentException e) {
                refuseUnforwardable(req, target, res, e);
                return;
            }
            ClientResponse answer;
            b.started();
            try {
                answer = prepared != null ? engine.send(prepared, deadline == 0 ? 0 : deadline | 1, left)
                        : engine.send(out, hello.preface(req));
            } catch (ClientPresence.Gone e) {
                // Not the backend's failure: the protocol logs 499 and answers nobody.
                b.ended();
                LOG.log(System.Logger.Level.DEBUG, "{0} {1} to {2} given up: {3}", req.method(), target, b, e.getMessage());
                throw e;
            } catch (IOException e) {
                b.ended();
                rethrowClientSide(streamed);
                b.failedOnce();
                failure = Failure.of(e);
                if (failure.beforeSending()) b.refused(e.getMessage());
                boolean again = failure.beforeSending() ? streamed == null || !streamed.touched()
                        : failure == Failure.BROKEN && idempotent && body.replayable();
                LOG.log(again ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, "{0} {1} to {2} failed{3}: {4}",
                        req.method(), target, b, again ? " (retried on another backend)" : "", e.getMessage());
                tried = b;
                if (!again) break;
                continue;
            } catch (RuntimeException e) {
                b.ended();
                throw e; // the client's body failed (an HttpException: 400, 413) or a bug
            }
            boolean[] ended = new boolean[1];
            Runnable done = () -> {
                if (!ended[0]) b.ended();
                ended[0] = true;
            };
            try (answer) {
                b.answered();
                // A backend that answered before taking the whole body (RFC 9112 §9.6): the rest is still on the
                // client's connection, which closes after this answer, so the answer says so.
                if (streamed != null && !streamed.complete()) res.closeConnection();
                relay(req, res, answer, b, cookieId, done);
            } finally {
                done.run();
            }
            return;
        }
        res.send(Status.of(failure.status), failure.line + "\n");
    }

    private void relay(Request req, Response res, ClientResponse answer, Backend b, String cookieId, Runnable done)
            throws IOException {
        String setCookie = cfg.sticky() == ProxyConfig.Sticky.COOKIE && !b.id().equals(cookieId)
                ? cfg.stickyCookie() + "=" + b.id() + "; Path=/; HttpOnly" : null;
        try {
            Relay.head(answer, res, cfg.via(), setCookie, req.method().equals("HEAD"));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "backend {0} sent a response that cannot be forwarded: {1}", b, e.getMessage());
            res.headers().clear();
            res.send(Status.BAD_GATEWAY, Failure.UNSENDABLE.line + "\n");
            return;
        }
        Relay.body(answer, res, b.base(), done);
    }

    /** A failure of the client's own body is the client's: rethrown for the server to answer (400, 408, 413). */
    private static void rethrowClientSide(StreamedBody streamed) throws IOException {
        if (streamed == null || streamed.failure() == null) return;
        Exception f = streamed.failure();
        if (f instanceof IOException io) throw io;
        if (f instanceof RuntimeException r) throw r;
        throw new UncheckedIOException(new IOException(f));
    }

    /** Stops the health checks and closes idle backend connections. */
    @Override
    public void close() {
        if (health != null) health.close();
        upgrades.close();
        engine.close();
    }

    /**
     * Answers a request whose target or fields cannot be put in a request to a backend: 400 with one line. The
     * reason names the backend's address (URI's message), so it goes to the log, not to the client.
     */
    static void refuseUnforwardable(Request req, String target, Response res, IllegalArgumentException e) throws IOException {
        LOG.log(System.Logger.Level.INFO, "{0} {1} cannot be forwarded: {2}", req.method(), target, e.getMessage());
        res.send(Status.BAD_REQUEST, "Bad Request: the request cannot be forwarded\n");
    }
}
