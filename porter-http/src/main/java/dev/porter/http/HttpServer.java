package dev.porter.http;

import dev.porter.core.ConnectionInfo;
import dev.porter.core.Server;
import dev.porter.core.ServerStats;
import dev.porter.http.internal.http1.HttpProtocol;
import dev.porter.http.internal.status.StatusService;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP/1.1 server: Porter's welcome socket ({@link Server}) speaking HTTP as its {@link dev.porter.core.Protocol}.
 * Each connection is served on its own virtual thread; the handler is called once per request.
 *
 * <pre>{@code
 * Router router = new Router().get("/hello/{name}", (req, res) -> res.send("Hello, " + req.pathParam("name")));
 * try (HttpServer server = HttpServer.start(HttpConfig.builder().port(8080).build(), router)) {
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Limits and timeouts come from {@link HttpConfig}.
 */
public final class HttpServer implements AutoCloseable {

    private final Server server;
    /** The status page, or null when off. */
    private final StatusService status;

    private HttpServer(Server server, StatusService status) {
        this.server = server;
        this.status = status;
    }

    /**
     * Binds and starts serving.
     *
     * @throws java.net.BindException             if the address is in use or not local
     * @throws java.net.UnknownHostException       if the host does not resolve
     * @throws dev.porter.core.TlsSetupException   if the TLS key material cannot be read or used
     * @throws IOException                         for other socket failures
     */
    public static HttpServer start(HttpConfig config, Handler handler) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        if (config.statusPage() == null) {
            return new HttpServer(Server.start(config.server(), new HttpProtocol(config, handler, null)), null);
        }
        StatusService status = new StatusService(config.statusPage(), handler);
        Server server = Server.start(config.server(), new HttpProtocol(config, status, status.metrics()));
        status.attach(server);
        return new HttpServer(server, status);
    }

    /** @return the bound address (with the real port when 0 was configured) */
    public InetSocketAddress address() {
        return server.address();
    }

    /** @return the bound port */
    public int port() {
        return server.port();
    }

    /**
     * Reloads the TLS certificates now (as {@link Server#reloadTls()}): new connections get what the key files hold,
     * connections already open keep theirs. The files are also checked for changes every
     * {@link dev.porter.core.TlsConfig#reloadCheck()}.
     *
     * @throws dev.porter.core.TlsSetupException if the files are missing or broken; the current certificates stay
     * @throws IllegalStateException             if this server does not use TLS
     */
    public void reloadTls() throws dev.porter.core.TlsSetupException {
        server.reloadTls();
    }

    /** @return connection counters of the underlying welcome socket */
    public ServerStats stats() {
        return server.stats();
    }

    /**
     * The connections open now, as {@link Server#connections()} sees them: state, peer, age, bytes, and the request
     * line of the request being handled.
     */
    public List<ConnectionInfo> connections() {
        return server.connections();
    }

    /**
     * Begins a drain: no new connections (the port refuses them, so a load balancer's health checks fail), while
     * open ones go on being served, each response carrying {@code Connection: close}. {@link #stop} ends it.
     */
    public void stopAccepting() {
        server.stopAccepting();
    }

    /**
     * Stops gracefully: no new connections; idle keep-alive connections close at once; requests in flight finish
     * (their responses carry {@code Connection: close}) until {@code grace} has passed; the rest are closed.
     * Event streams end at their next event. With the status page on, its {@code readyz} answers 503 from the
     * start, and a {@link StatusPage#drainDelay()} is served normally before all this.
     *
     * @return connections that were still busy at the deadline
     */
    public int stop(Duration grace) {
        if (status != null) status.beginStop();
        try {
            return server.stop(grace);
        } finally {
            if (status != null) status.close();
        }
    }

    /** Blocks until another thread stops this server. */
    public void awaitStop() throws InterruptedException {
        server.awaitStop();
    }

    /** Stops at once (no drain delay). */
    @Override
    public void close() {
        if (status != null) status.close();
        server.close();
    }
}
