package dev.porter.http.internal.websocket;

import dev.porter.http.Handler;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketHandler;
import dev.porter.http.WebSocketOptions;
import dev.porter.http.internal.ProtocolSwitch;

import java.util.List;

/**
 * The {@link Handler} behind {@code Router.websocket}: checks the handshake ({@link Handshake}), answers a refusal
 * itself, and for a valid one sets the 101 response and asks the HTTP/1.1 server to hand the connection over
 * ({@link ProtocolSwitch}); the conversation then runs in {@link WebSocketSession} on the connection's thread. Over
 * HTTP/2 the request is an extended CONNECT (RFC 8441), accepted with 200, and the session runs on the stream.
 */
public final class WebSocketRoute implements Handler {

    private final WebSocketOptions options;
    private final WebSocketHandler handler;

    public WebSocketRoute(WebSocketOptions options, WebSocketHandler handler) {
        this.options = options;
        this.handler = handler;
    }

    @Override
    public void handle(Request req, Response res) throws Exception {
        ProtocolSwitch sw = res instanceof ProtocolSwitch p ? p : null;
        WebSocketConfig config = sw != null ? sw.config().websocket() : null;
        boolean h2 = sw != null && sw.extendedConnect();
        Handshake.Result result = Handshake.check(req, options, config != null && config.deflate(), h2);
        switch (result) {
            case Handshake.Rejected r -> {
                List<String> h = r.headers();
                for (int i = 0; i + 1 < h.size(); i += 2) res.setHeader(h.get(i), h.get(i + 1));
                res.send(r.status(), r.message() + "\n");
            }
            case Handshake.Accepted a -> {
                if (sw == null) {
                    // A wrapped response cannot switch: the client must come over HTTP/1.1.
                    res.setHeader("Upgrade", "websocket");
                    res.send(Handshake.UPGRADE_REQUIRED, "WebSocket needs HTTP/1.1 here.\n");
                    return;
                }
                if (h2) {
                    res.status(Status.OK); // RFC 8441 §5: the CONNECT's 200; no Upgrade, no Sec-WebSocket-Accept
                } else {
                    res.status(Status.SWITCHING_PROTOCOLS);
                    res.setHeader("Upgrade", "websocket");
                    res.setHeader("Connection", "Upgrade");
                    res.setHeader("Sec-WebSocket-Accept", a.accept());
                }
                if (a.subprotocol() != null) res.setHeader("Sec-WebSocket-Protocol", a.subprotocol());
                if (a.deflate() != null) res.setHeader("Sec-WebSocket-Extensions", a.deflate().response());
                UpgradeRequest snapshot = new UpgradeRequest(req);
                sw.switchProtocols(c -> new WebSocketSession(c, config, snapshot, a).run(handler));
            }
        }
    }
}
