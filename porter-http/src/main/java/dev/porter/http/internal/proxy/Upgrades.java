package dev.porter.http.internal.proxy;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.ProxyConfig;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.internal.ByteStream;
import dev.porter.http.internal.ProtocolSwitch;
import dev.porter.http.internal.client.ClientEngine;
import dev.porter.http.internal.client.PreparedRequest;
import dev.porter.http.internal.client.UpgradeAnswers;
import dev.porter.http.internal.http1.RequestFraming;
import dev.porter.http.internal.http1.ResponseHead;
import dev.porter.http.internal.websocket.Handshake;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * WebSocket upgrades through the proxy (RFC 6455 §4, RFC 9110 §7.8). {@code Connection} and {@code Upgrade} are
 * hop-by-hop (§7.6.1), so the proxy drops them from every other request; for an upgrade it sends them again on its
 * own connection to the backend, opened for this exchange alone. A 101 with {@code Upgrade: websocket} from the
 * backend is answered with a 101 to the client carrying the backend's {@code Sec-WebSocket-*} fields, and the two
 * connections are then joined by a {@link Tunnel} through the HTTP/1.1 server's {@link ProtocolSwitch}. Any other
 * answer is relayed as a normal response and the backend connection closed.
 *
 * <p>Over HTTP/2 a WebSocket comes as an extended CONNECT (RFC 8441 §4, {@code :protocol websocket}), which the
 * HTTP/2 server presents as a GET whose response is a {@link ProtocolSwitch} with {@link
 * ProtocolSwitch#extendedConnect()} true. The backend is still asked with an HTTP/1.1 upgrade (RFC 6455 §4.1): the
 * proxy makes the {@code Sec-WebSocket-Key} the HTTP/2 client does not send (RFC 8441 §5 drops it), checks the
 * backend's {@code Sec-WebSocket-Accept} against it, and answers the client's CONNECT with 200 and the negotiated
 * {@code Sec-WebSocket-Protocol}/{@code -Extensions} (§5); the {@link Tunnel} then joins the HTTP/2 stream to the
 * backend socket. A backend refusal is relayed as is; a 2xx other than the 101 would tell the client its tunnel is
 * open when it is not, so it becomes a 502.
 *
 * <p>Only {@code websocket} is tunnelled. Another token (an {@code h2c} upgrade above all) is forwarded as a plain
 * request with {@code Upgrade} dropped: a backend switching to a protocol the proxy cannot see into would let a
 * client talk to it past every rule the proxy applies per request ("h2c smuggling").
 */
final class Upgrades {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.ProxyHandler");
    private static final SecureRandom KEYS = new SecureRandom();

    private final ProxyConfig cfg;
    private final ClientConfig clientConfig;
    private final ClientEngine engine;
    private final Balancer balancer;
    private final Tunnels tunnels;
    private final BackendHello hello;

    Upgrades(ProxyConfig cfg, ClientConfig clientConfig, ClientEngine engine, Balancer balancer, BackendHello hello) {
        this.cfg = cfg;
        this.clientConfig = clientConfig;
        this.engine = engine;
        this.balancer = balancer;
        this.hello = hello;
        this.tunnels = new Tunnels(cfg.maxTunnels(), cfg.tunnelIdleTimeout());
    }

    /**
     * @return true for a request this class handles: a bodiless HTTP/1.1 GET asking for {@code Upgrade: websocket}
     *         with {@code Connection: upgrade}, on a response that can switch protocols; or an HTTP/2 extended
     *         CONNECT for a WebSocket (the HTTP/2 server lets only {@code :protocol websocket} reach a handler)
     */
    static boolean wanted(Request req, Response res) {
        if (res instanceof ProtocolSwitch sw && sw.extendedConnect()) return req.method().equals("GET");
        if (!(res instanceof ProtocolSwitch) || !req.method().equals("GET")
                || !req.version().equals("HTTP/1.1")
                || req.contentLength() != 0 || !req.headers().contains("Upgrade")) {
            return false; // (most requests stop at the last test: no list of fields built for them)
        }
        return listHas(req.headers().all("Upgrade"), "websocket") && listHas(req.headers().all("Connection"), "upgrade");
    }

    private static boolean listHas(List<String> fields, String token) {
        for (String f : fields) if (RequestFraming.hasToken(f, token)) return true;
        return false;
    }

    /** @return tunnels open (or being opened) now */
    int active() {
        return tunnels.active();
    }

    /** Forwards the upgrade request and either opens the tunnel or relays the answer (or answers 502/503/504). */
    void handle(Request req, Response res, String target, boolean trusted, String cookieId, String client)
            throws IOException {
        if (!tunnels.reserve()) {
            res.setHeader("Retry-After", "1");
            res.send(Status.SERVICE_UNAVAILABLE, "Service Unavailable: too many tunnels open (the proxy's maxTunnels)\n");
            return;
        }
        boolean kept = false;
        boolean h2 = ((ProtocolSwitch) res).extendedConnect();
        try {
            kept = forward(req, res, target, trusted, cookieId, client, h2);
        } finally {
            if (!kept) tunnels.release();
        }
    }

    /** @return true if a tunnel now holds the reserved slot */
    private boolean forward(Request req, Response res, String target, boolean trusted, String cookieId, String client,
                            boolean h2) throws IOException {
        Backend tried = null;
        Failure failure = Failure.NONE_LEFT;
        for (int attempt = 0; attempt < 2; attempt++) {
            Backend b = balancer.pick(tried, cookieId, client);
            if (b == null) break;
            URI uri = b.uri();
            ClientRequest out;
            String sent;
            try {
                // The target as received, as for any request (what Porter's server accepted: | and { included).
                sent = PreparedRequest.target(uri, target);
                out = Outgoing.fieldsOnly(req, b, trusted, cfg);
            } catch (IllegalArgumentException e) {
                Proxy.refuseUnforwardable(req, target, res, e);
                return false;
            }
            // RFC 8441 §5: an HTTP/2 client sends no key; the backend's HTTP/1.1 handshake needs one (RFC 6455 §4.1).
            String key = h2 ? newKey() : null;
            b.started();
            Connection c;
            try {
                // The PROXY header, if any, opens the connection: before its TLS handshake for an https backend.
                c = engine.connectForUpgrade(uri, hello.preface(req), 0, cfg.readTimeout());
            } catch (IOException e) {
                b.ended();
                b.failedOnce();
                failure = Failure.of(e);
                if (failure.beforeSending()) b.refused(e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "upgrade {0} to {1} failed: {2}", target, b, e.getMessage());
                tried = b;
                if (failure.beforeSending()) continue; // nothing was sent: another backend may take it
                break;
            }
            boolean tunnelled = false;
            try {
                ResponseHead head;
                try {
                    sendHead(c, out, sent, key);
                    head = readHead(c);
                } catch (IOException e) {
                    b.failedOnce();
                    failure = Failure.of(e);
                    LOG.log(System.Logger.Level.WARNING, "upgrade {0} to {1} failed: {2}", target, b, e.getMessage());
                    break; // sent: never again elsewhere
                }
                b.answered();
                tunnelled = answer(res, c, head, b, uri, target, cookieId, key);
                return tunnelled;
            } finally {
                if (!tunnelled) {
                    c.close();
                    b.ended();
                }
            }
        }
        res.send(Status.of(failure.status), failure.line + "\n");
        return false;
    }

    /** @param key the key the proxy sent for an HTTP/2 client (null for an HTTP/1.1 one, whose own key went on) */
    private boolean answer(Response res, Connection c, ResponseHead head, Backend b, URI uri, String target,
                           String cookieId, String key) throws IOException {
        String setCookie = cfg.sticky() == ProxyConfig.Sticky.COOKIE && !b.id().equals(cookieId)
                ? cfg.stickyCookie() + "=" + b.id() + "; Path=/; HttpOnly" : null;
        if (key != null && head.status.code() != 101 && head.status.code() / 100 == 2) {
            // RFC 8441 §5: a 2xx to the CONNECT means the tunnel is open; this backend did not open one.
            LOG.log(System.Logger.Level.WARNING, "backend {0} answered the upgrade of {1} with {2}", b, target, head.status.code());
            res.send(Status.BAD_GATEWAY, "Bad Gateway: the upstream server answered the WebSocket handshake with "
                    + head.status.code() + " instead of 101\n");
            return false;
        }
        if (head.status.code() != 101) {
            // A refusal (400, 403, 426…) or a plain answer: relayed like any response, its body framed as usual.
            ClientResponse answer;
            try {
                answer = UpgradeAnswers.wrap(c, head, "GET", uri, clientConfig);
            } catch (HttpClientException e) {
                res.send(Status.BAD_GATEWAY, Failure.BROKEN.line + "\n");
                return false;
            }
            try (answer) {
                Relay.head(answer, res, cfg.via(), setCookie, false);
                Relay.body(answer, res, b.base(), () -> { });
            } catch (IllegalArgumentException e) {
                res.headers().clear();
                res.send(Status.BAD_GATEWAY, Failure.UNSENDABLE.line + "\n");
            }
            return false;
        }
        if (!listHas(head.headers.all("Upgrade"), "websocket")) {
            LOG.log(System.Logger.Level.WARNING, "backend {0} switched {1} to another protocol than websocket", b, target);
            res.send(Status.BAD_GATEWAY, "Bad Gateway: the upstream server switched to another protocol than the one asked for\n");
            return false;
        }
        Headers in = head.headers;
        if (key != null && !Handshake.acceptKey(key).equals(in.first("Sec-WebSocket-Accept"))) {
            // RFC 6455 §4.1 item 4: the proxy is this handshake's client, so it checks what a client checks.
            LOG.log(System.Logger.Level.WARNING, "backend {0} sent a wrong Sec-WebSocket-Accept for {1}", b, target);
            res.send(Status.BAD_GATEWAY, "Bad Gateway: the upstream server's WebSocket handshake is invalid\n");
            return false;
        }
        // RFC 8441 §5: the CONNECT is accepted with 200, without Upgrade or Sec-WebSocket-Accept.
        res.status(key != null ? Status.OK : Status.SWITCHING_PROTOCOLS);
        var listed = HopByHop.listed(in);
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            if (HopByHop.drop(name, listed) || name.equalsIgnoreCase("Via")) continue;
            if (key != null && name.equalsIgnoreCase("Sec-WebSocket-Accept")) continue;
            res.header(name, in.value(i));
        }
        if (key == null) {
            res.setHeader("Upgrade", "websocket");
            res.setHeader("Connection", "Upgrade");
        }
        res.header("Via", Forwarding.via(in, head.version == 10 ? "HTTP/1.0" : "HTTP/1.1", cfg.via()));
        if (setCookie != null) res.header("Set-Cookie", setCookie);
        Tunnel[] self = new Tunnel[1];
        Tunnel t = new Tunnel(ByteStream.of(c), b + target, () -> {
            b.ended();
            tunnels.ended(self[0]);
        });
        self[0] = t;
        tunnels.opened(t);
        ((ProtocolSwitch) res).switchProtocols(t::run);
        return true;
    }

    /** The request head, as {@link Outgoing} built it, with the two upgrade fields put back. */
    private static void sendHead(Connection c, ClientRequest out, String target, String key) throws IOException {
        StringBuilder sb = new StringBuilder(512).append("GET ").append(target).append(" HTTP/1.1\r\n");
        Headers h = out.headers();
        if (!h.contains("Host")) sb.append("Host: ").append(out.uri().getRawAuthority()).append("\r\n");
        for (int i = 0; i < h.size(); i++) {
            if (key != null && h.name(i).equalsIgnoreCase("Sec-WebSocket-Key")) continue; // only the proxy's own
            sb.append(h.name(i)).append(": ").append(h.value(i)).append("\r\n");
        }
        if (key != null) sb.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        sb.append("Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        c.write(bytes, 0, bytes.length);
        c.flush();
    }

    /** RFC 6455 §4.1: a nonce of 16 random bytes, base64; a fresh one per handshake. */
    private static String newKey() {
        byte[] b = new byte[16];
        KEYS.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** @return the final head (interim answers other than 101 skipped, RFC 9110 §15.2), within the read timeout */
    private ResponseHead readHead(Connection c) throws IOException {
        ResponseHead head = new ResponseHead(clientConfig.maxHeaderBytes(), clientConfig.maxHeaderCount(), false);
        ReadBuffer in = c.input();
        for (int interim = 0; interim < 16; interim++) {
            head.reset();
            while (true) {
                int start = in.start();
                in.consume(head.parse(in.array(), start, in.end()) - start);
                if (head.done()) break;
                if (!in.fill(ReadBuffer.Wait.IN_MESSAGE, head.maxPending())) {
                    throw new HttpClientException.IncompleteResponse("the backend closed the connection "
                            + (head.started() ? "inside" : "without") + " a response to the upgrade", !head.started());
                }
            }
            int code = head.status.code();
            if (code == 101 || code >= 200) return head;
        }
        throw new HttpClientException.MalformedResponse("more than 16 interim (1xx) responses");
    }

    /** Closes every tunnel. */
    void close() {
        tunnels.close();
    }
}
