package dev.porter.http.internal.websocket;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.ExchangeListener;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.internal.h2client.Http2ClientConnection;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client's opening handshake over HTTP/2 (RFC 8441 §4, §5): an extended CONNECT on a stream of the route's
 * shared connection, with {@code :protocol websocket}, {@code :scheme} http or https (for ws and wss),
 * {@code :path} and {@code :authority} from the URI; no {@code Upgrade}, {@code Connection} or
 * {@code Sec-WebSocket-Key} (§5). Any answer but 200 is a {@link dev.porter.http.HttpClientException.WebSocketHandshake}
 * with its status; a 200 is checked as a 101 is for its extension and sub-protocol (RFC 6455 §4.1 items 5, 6),
 * and the stream then carries the conversation. The listener sees the head as {@code CONNECT /path HTTP/2} and the
 * fields, {@code :protocol} among them.
 */
final class ExtendedConnect {

    private ExtendedConnect() {
    }

    static ClientWebSocket open(Http2ClientConnection h2, ClientConfig config, WebSocketRequest req, URI http,
                                long deadline) throws IOException {
        String target = ClientHandshake.target(http);
        String authority = ClientHandshake.authority(http, req.secure());
        List<String> lines = new ArrayList<>(10);
        lines.add("CONNECT " + target + " HTTP/2");
        lines.add(":protocol: websocket");
        List<String> fields = new ArrayList<>(16);
        for (String line : ClientHandshake.commonFields(req, config)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "host" -> {
                    authority = value; // RFC 9113 §8.3.1: the authority goes in :authority
                    lines.add(line);
                    continue;
                }
                case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> {
                    continue; // RFC 8441 §5, RFC 9113 §8.2.2: not in an HTTP/2 request
                }
                default -> {
                }
            }
            fields.add(name);
            fields.add(value);
            lines.add(line);
        }
        ExchangeListener listener = config.listener();
        if (listener != null) listener.requestHead(lines);
        Http2ClientConnection.Tunnel t = h2.tunnel("websocket", http.getScheme(), authority, target, fields, deadline,
                req.timeout());
        if (listener != null) listener.responseHead(t.lines());
        if (t.stream() == null) {
            throw ClientHandshake.refused("the server answered " + t.status() + " to the extended CONNECT (RFC 8441) "
                    + "instead of 200", t.status(), t.headers());
        }
        try {
            ClientHandshake.Accepted a = ClientHandshake.negotiated(t.headers(), req, t.status());
            List<String> sentLines = new ArrayList<>(lines);
            sentLines.remove(1); // :protocol is no field of the request's Headers
            ClientHandshakeRequest sent = new ClientHandshakeRequest(sentLines, h2.connection(), "HTTP/2");
            return new ClientSession(t.stream(), req, sent, t.headers(), a.subprotocol(), a.deflate());
        } catch (IOException | RuntimeException e) {
            t.stream().close();
            throw e;
        }
    }
}
