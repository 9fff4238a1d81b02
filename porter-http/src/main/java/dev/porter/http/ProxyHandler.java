package dev.porter.http;

import dev.porter.http.internal.proxy.Backend;
import dev.porter.http.internal.proxy.Proxy;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * A reverse proxy: forwards each request to a backend of one upstream group and relays the answer, streaming
 * bodies both ways. Mount it under a path with {@link Router#mountAll}, or serve it alone:
 *
 * <pre>{@code
 * ProxyHandler api = ProxyHandler.of(ProxyConfig.builder("http://127.0.0.1:9001", "http://127.0.0.1:9002")
 *         .balance(ProxyConfig.Balance.LEAST_CONNECTIONS)
 *         .health(ProxyConfig.HealthCheck.of("/healthz"))
 *         .build());
 * Router router = new Router().mount("/static/", files).mountAll("/api/", api);
 * }</pre>
 *
 * <p>What it does with each request, in order (see {@link ProxyConfig} for each knob and its default):
 * <ul>
 *   <li>chooses a backend that is up (round robin or least connections; sticky by client address or cookie);</li>
 *   <li>sends the method and target as received (less {@link ProxyConfig#stripPrefix()}), the end-to-end fields
 *       (hop-by-hop ones dropped: {@code Connection} and every field it names, Keep-Alive, Proxy-Connection, TE,
 *       Trailer, Transfer-Encoding, Upgrade; RFC 9110 §7.6.1), {@code Via} appended (§7.6.3), and
 *       {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded} (RFC 7239), kept and appended to only when
 *       the peer is a {@linkplain ProxyConfig#trustedProxies() trusted proxy}, replaced otherwise;</li>
 *   <li>re-frames the body: only what Porter's strict parser accepted is forwarded, with framing the proxy
 *       writes itself, so a message can never mean two different things to Porter and the backend;</li>
 *   <li>streams the request body to the backend as it arrives, or {@linkplain ProxyConfig#buffering() buffers}
 *       it first (413 over the limit); streams the answer back, hop-by-hop fields dropped the same way;</li>
 *   <li>on failure: one more attempt on another backend when that cannot repeat an effect (the connection was
 *       refused, so nothing was sent; or an idempotent request, RFC 9110 §9.2.2, whose body can be sent again
 *       and whose answer had not begun), else 502 for a failed backend and 504 for one that timed out, each with
 *       a one-line plain-text body. A refused connection marks the backend down (passive check) until its next
 *       good active check, or for {@link ProxyConfig#downTime()} without active checks.</li>
 * </ul>
 *
 * <p>WebSocket (RFC 6455) is tunnelled: an HTTP/1.1 GET with {@code Upgrade: websocket} and
 * {@code Connection: upgrade} goes to the backend on a connection of its own with those two fields kept; a 101
 * from it is answered 101 with its {@code Sec-WebSocket-*} fields, then bytes are relayed both ways until either
 * side ends (half-closes passed on), for at most {@link ProxyConfig#maxTunnels()} tunnels at once (503 over it),
 * each closed after {@link ProxyConfig#tunnelIdleTimeout()} without a byte either way. Any other answer is relayed
 * as a normal response. Other upgrade tokens ({@code h2c}…) are not tunnelled: the {@code Upgrade} field is dropped
 * and the backend answers the plain request.
 *
 * <p>With {@link ProxyConfig#sendProxy()}, every new backend connection opens with a PROXY protocol header naming
 * the client, and is reused only for requests from that same client address and port.
 *
 * <p>Not forwarded: {@code CONNECT} (501), interim 1xx responses and trailers. A TRACE or OPTIONS with
 * {@code Max-Forwards: 0} is answered here (RFC 9110 §7.6.2).
 *
 * <p>Thread-safe: one handler serves all requests at once. {@link #close()} stops its health checks and closes
 * idle backend connections.
 */
public final class ProxyHandler implements Handler, AutoCloseable {

    /**
     * What the proxy knows of one backend now.
     *
     * @param uri       the backend as configured
     * @param up        false while health checks (or a refused connection) keep it out
     * @param active    exchanges in flight
     * @param forwarded exchanges sent to it so far
     * @param failed    exchanges that failed on it so far
     */
    public record BackendState(URI uri, boolean up, int active, long forwarded, long failed) {
    }

    private final Proxy proxy;

    private ProxyHandler(ProxyConfig config) {
        this.proxy = new Proxy(config);
    }

    /**
     * @param upstreams backends {@code http://HOST:PORT}, balanced round robin, every other value the default
     * @throws IllegalArgumentException if there is none or one is not {@code scheme://host:port}
     */
    public static ProxyHandler to(String... upstreams) {
        return of(ProxyConfig.builder(upstreams).build());
    }

    /** @return a proxy for {@code config}; its health checks (if any) start now */
    public static ProxyHandler of(ProxyConfig config) {
        return new ProxyHandler(config);
    }

    @Override
    public void handle(Request request, Response response) throws IOException {
        proxy.handle(request, response);
    }

    /** @return each backend's state, in configured order */
    public List<BackendState> backends() {
        return proxy.backends().stream()
                .map(b -> new BackendState(b.uri(), b.up(), b.active(), b.forwarded(), b.failed())).toList();
    }

    /** @return WebSocket tunnels open now (and upgrades being forwarded) */
    public int tunnels() {
        return proxy.tunnels();
    }

    /** Stops the health checks, closes idle backend connections and every open tunnel; requests in flight finish. */
    @Override
    public void close() {
        proxy.close();
    }
}
