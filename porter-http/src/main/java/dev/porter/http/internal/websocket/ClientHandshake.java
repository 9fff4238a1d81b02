package dev.porter.http.internal.websocket;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.ExchangeListener;
import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.internal.ByteStream;
import dev.porter.http.internal.client.ClientEngine;
import dev.porter.http.internal.client.UriHosts;
import dev.porter.http.internal.h2client.Http2ClientConnection;
import dev.porter.http.internal.http1.ClientErrors;
import dev.porter.http.internal.http1.ResponseHead;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1). When requests to the server go over HTTP/2 and the
 * server sent SETTINGS_ENABLE_CONNECT_PROTOCOL=1, the conversation is a stream of that connection instead
 * (RFC 8441, {@link ExtendedConnect}). Otherwise it opens a connection of its own (never pooled; over TLS, ALPN
 * offers only {@code http/1.1}), sends the upgrade request and checks the answer, in this order:
 * <ol>
 *   <li>interim 1xx answers other than 101 are skipped (RFC 9110 §15.2); any other status than 101 is a
 *       {@link HttpClientException.WebSocketHandshake} carrying it. A redirect is not followed: browsers do not
 *       follow one either (the WHATWG WebSocket standard fetches with redirects as errors), and following it would
 *       carry the handshake's credentials to an endpoint the caller did not name;</li>
 *   <li>the 101 must be HTTP/1.1, with {@code Upgrade: websocket} and {@code Connection: upgrade} (§4.1 items 2,
 *       3 of the client's checks);</li>
 *   <li>{@code Sec-WebSocket-Accept} must be the hash of the key sent (item 4);</li>
 *   <li>{@code Sec-WebSocket-Extensions} may only accept permessage-deflate, and only if offered, with parameters
 *       this end can keep ({@link ClientDeflate}) (item 5);</li>
 *   <li>{@code Sec-WebSocket-Protocol} may only name one of the sub-protocols offered, and none if none was
 *       (item 6).</li>
 * </ol>
 * Bytes the server sent after its 101 stay in the connection's buffer: they are the conversation's first frames.
 * The whole handshake is bounded by the request's timeout.
 */
public final class ClientHandshake {

    private static final SecureRandom KEYS = new SecureRandom();

    private ClientHandshake() {
    }

    /**
     * Opens a conversation.
     *
     * @throws HttpClientException.WebSocketHandshake if the server did not accept it
     * @throws HttpClientException.Timeout           if the handshake took longer than the request's timeout
     * @throws IOException                           for a connection that could not be made or failed
     */
    public static ClientWebSocket open(ClientEngine engine, ClientConfig config, WebSocketRequest req) throws IOException {
        URI http = httpUri(req);
        long deadline = System.nanoTime() + req.timeout().toNanos() | 1;
        Http2ClientConnection h2 = engine.http2ForWebSocket(http, deadline, req.timeout());
        if (h2 != null && h2.extendedConnect()) return ExtendedConnect.open(h2, config, req, http, deadline);
        // An HTTP/2 server that did not offer extended CONNECT: the upgrade goes over a connection of its own.
        Connection c = engine.connectForUpgrade(http, deadline, req.timeout());
        try {
            String key = newKey();
            List<String> lines = head(req, http, c, config, key);
            StringBuilder sb = new StringBuilder(512);
            for (String line : lines) sb.append(line).append("\r\n");
            byte[] bytes = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            c.input().deadline(deadline);
            ExchangeListener listener = config.listener();
            if (listener != null) listener.requestHead(lines);
            c.write(bytes, 0, bytes.length);
            c.flush();
            ResponseHead head = readFinal(c, config);
            if (listener != null) listener.responseHead(head.lines);
            Accepted a = check(head, req, key);
            c.input().deadline(0);
            ClientHandshakeRequest sent = new ClientHandshakeRequest(lines, c);
            return new ClientSession(ByteStream.of(c), req, sent, head.headers, a.subprotocol, a.deflate);
        } catch (HttpClientException e) {
            c.close();
            throw e;
        } catch (IOException e) {
            c.close();
            throw ClientErrors.translate(e, c, deadline, req.timeout(), config.readTimeout());
        } catch (RuntimeException e) {
            c.close(); // a listener failed
            throw e;
        }
    }

    /** The head's fields an HTTP/2 handshake shares with HTTP/1.1's: version, sub-protocols, extensions, extras. */
    static List<String> commonFields(WebSocketRequest req, ClientConfig config) {
        List<String> lines = new ArrayList<>(8);
        lines.add("Sec-WebSocket-Version: 13");
        if (!req.subprotocols().isEmpty()) lines.add("Sec-WebSocket-Protocol: " + String.join(", ", req.subprotocols()));
        if (req.config().deflate()) lines.add("Sec-WebSocket-Extensions: " + ClientDeflate.OFFER);
        Headers extra = req.headers();
        for (int i = 0; i < extra.size(); i++) lines.add(extra.name(i) + ": " + extra.value(i));
        if (config.userAgent() != null && !extra.contains("User-Agent")) lines.add("User-Agent: " + config.userAgent());
        return lines;
    }

    /** @return the URI with {@code ws} as {@code http} and {@code wss} as {@code https}, which the HTTP client routes */
    static URI httpUri(WebSocketRequest req) {
        URI u = req.uri();
        String scheme = req.secure() ? "https" : "http";
        return URI.create(scheme + u.toString().substring(u.getScheme().length()));
    }

    /** §4.1: a nonce of 16 random bytes, base64; a fresh one per handshake. */
    private static String newKey() {
        byte[] b = new byte[16];
        KEYS.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** The request head's lines (§4.1 items 1-12), without line ends. */
    private static List<String> head(WebSocketRequest req, URI http, Connection c, ClientConfig config, String key) {
        List<String> lines = new ArrayList<>(12);
        lines.add("GET " + target(http) + " HTTP/1.1");
        Headers extra = req.headers();
        if (!extra.contains("Host")) lines.add("Host: " + authority(http, req.secure()));
        lines.add("Upgrade: websocket");
        lines.add("Connection: Upgrade");
        lines.add("Sec-WebSocket-Key: " + key);
        lines.addAll(commonFields(req, config));
        return lines;
    }

    /** §4.1 item 2 (the Host field): the host, and the port unless it is the scheme's default. */
    static String authority(URI u, boolean secure) {
        String host = UriHosts.host(u);
        int port = UriHosts.port(u);
        return port < 0 || port == (secure ? 443 : 80) ? host : host + ":" + port;
    }

    /** §3: the resource name is the path (at least {@code /}) and the query, ASCII only. */
    static String target(URI uri) {
        URI ascii = URI.create(uri.toASCIIString());
        String path = ascii.getRawPath();
        String query = ascii.getRawQuery();
        return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    }

    private static ResponseHead readFinal(Connection c, ClientConfig config) throws IOException {
        ResponseHead head = new ResponseHead(config.maxHeaderBytes(), config.maxHeaderCount(), config.listener() != null);
        for (int interim = 0; ; interim++) {
            head.reset();
            ReadBuffer in = c.input();
            while (true) {
                int start = in.start();
                in.consume(head.parse(in.array(), start, in.end()) - start);
                if (head.done()) break;
                if (!in.fill(ReadBuffer.Wait.IN_MESSAGE, head.maxPending())) {
                    throw new HttpClientException.IncompleteResponse("server " + ClientErrors.remote(c)
                            + " closed the connection " + (head.started() ? "inside" : "without") + " a response to the "
                            + "WebSocket handshake", !head.started());
                }
            }
            int code = head.status.code();
            if (code == 101 || code >= 200) return head;
            if (interim >= 16) throw new HttpClientException.MalformedResponse("more than 16 interim (1xx) responses");
        }
    }

    /** What the 101 (or an HTTP/2 200) agreed. */
    record Accepted(String subprotocol, ClientDeflate deflate) {
    }

    private static Accepted check(ResponseHead head, WebSocketRequest req, String key) throws HttpClientException {
        Headers h = head.headers;
        int code = head.status.code();
        if (code != 101) {
            String location = h.first("Location");
            throw refused("the server answered " + code + " " + head.status.reason() + " instead of 101 Switching "
                    + "Protocols" + (location != null && code / 100 == 3 ? " (a redirect to " + location
                    + ", which a WebSocket client does not follow)" : ""), code, h);
        }
        if (head.version != 11) throw refused("the 101 is not HTTP/1.1", code, h);
        if (!Handshake.hasToken(h.all("Upgrade"), "websocket")) throw refused("the 101 has no 'Upgrade: websocket' (RFC 6455 §4.1)", code, h);
        if (!Handshake.hasToken(h.all("Connection"), "upgrade")) throw refused("the 101 has no 'Connection: upgrade' (RFC 6455 §4.1)", code, h);
        List<String> accept = h.all("Sec-WebSocket-Accept");
        if (accept.size() != 1 || !accept.get(0).trim().equals(Handshake.acceptKey(key))) {
            throw refused("Sec-WebSocket-Accept " + (accept.isEmpty() ? "is missing" : "'" + String.join(", ", accept)
                    + "' is not the hash of the key sent") + " (RFC 6455 §4.1)", code, h);
        }
        return negotiated(h, req, code);
    }

    /** §4.1 items 5 and 6 of the client's checks: the extension and sub-protocol the server chose. */
    static Accepted negotiated(Headers h, WebSocketRequest req, int code) throws HttpClientException {        ClientDeflate deflate;
        try {
            deflate = ClientDeflate.accept(h.all("Sec-WebSocket-Extensions"), req.config().deflate());
        } catch (IllegalArgumentException e) {
            throw refused(e.getMessage(), code, h);
        }
        List<String> protocols = h.all("Sec-WebSocket-Protocol");
        String subprotocol = null;
        if (!protocols.isEmpty()) {
            String p = protocols.size() == 1 ? protocols.get(0).trim() : null;
            if (p == null || !req.subprotocols().contains(p)) {
                throw refused("the server chose sub-protocol '" + String.join(", ", protocols) + "', which was not offered"
                        + (req.subprotocols().isEmpty() ? "" : " (offered: " + String.join(", ", req.subprotocols()) + ")")
                        + " (RFC 6455 §4.1)", code, h);
            }
            subprotocol = p;
        }
        return new Accepted(subprotocol, deflate);
    }

    static HttpClientException.WebSocketHandshake refused(String why, int status, Headers headers) {
        Headers copy = new Headers();
        headers.forEach(copy::add);
        return new HttpClientException.WebSocketHandshake("WebSocket handshake failed: " + why, status, copy);
    }
}
