package dev.porter.bench.peers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12's WebSocket on its core API (no servlets), as Jetty's documentation sets it up: a
 * {@link WebSocketUpgradeHandler} in a context, mapping {@value PeerArgs#WS_PATH} to an endpoint that echoes
 * each message as it came — text as text, binary as binary (Jetty hands over whole messages). The binary echo
 * passes the read's callback to the send, so the frame's buffer goes back to Jetty's pool once it is written and
 * the next frame is read then (the auto-demanding listener demands after the callback), which is the documented
 * way to echo without a copy.
 *
 * <p>No compression: the creator answers every upgrade with no extensions, so permessage-deflate is never
 * negotiated even when a client offers it. Idle timeouts (connector and WebSocket) are
 * {@link PeerArgs#IDLE_TIMEOUT_MILLIS}, so the idle job's connections stay open; messages up to
 * {@link PeerArgs#WS_MAX_MESSAGE}.
 */
public final class JettyWsPeer {

    private JettyWsPeer() {}

    /** The echo endpoint: one instance per connection. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            getSession().sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            getSession().sendBinary(payload, callback);
        }
    }

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code <port>}
     * @throws Exception when Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        start(PeerArgs.parseWsPort(args, "JettyWsPeer")).join();
    }

    /**
     * Starts the server.
     *
     * @param port the TCP port on {@link PeerArgs#HOST}, or 0 for any free one
     * @return the started server (its connector's local port is the one it listens on)
     * @throws Exception when Jetty cannot start
     */
    public static Server start(int port) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(PeerArgs.HOST);
        connector.setPort(port);
        connector.setIdleTimeout(PeerArgs.IDLE_TIMEOUT_MILLIS);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(Duration.ofMillis(PeerArgs.IDLE_TIMEOUT_MILLIS));
            container.setMaxTextMessageSize(PeerArgs.WS_MAX_MESSAGE);
            container.setMaxBinaryMessageSize(PeerArgs.WS_MAX_MESSAGE);
            container.addMapping(PeerArgs.WS_PATH, (request, response, callback) -> {
                response.setExtensions(List.of()); // no permessage-deflate
                return new Echo();
            });
        });
        context.setHandler(upgrades);
        server.setHandler(context);
        server.start();
        return server;
    }
}
