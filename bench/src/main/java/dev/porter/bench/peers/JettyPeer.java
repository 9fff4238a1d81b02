package dev.porter.bench.peers;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 on its core API (no servlets): a non-blocking plaintext handler, which Jetty may run on the
 * selector thread without a dispatch, and the stock {@link ResourceHandler} (which caches file content and
 * headers) under {@code /static}. Default thread pool, as Jetty's documentation recommends.
 *
 * <p>With a certificate and key, the connector is Jetty's documented HTTPS one: an {@link SslConnectionFactory}
 * in front of the HTTP/1.1 one, a {@link SslContextFactory.Server} over the JDK's TLS (the key store built in
 * memory from the PEM files), and a {@link SecureRequestCustomizer}.
 */
public final class JettyPeer {

    private JettyPeer() {}

    /** Plaintext: headers pre-encoded once, body a shared read-only buffer. */
    static final class Plaintext extends Handler.Abstract.NonBlocking {
        private static final PreEncodedHttpField CONTENT_TYPE =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");
        private static final PreEncodedHttpField CONTENT_LENGTH =
            new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(PeerArgs.PLAINTEXT.length));
        private static final ByteBuffer BODY = ByteBuffer.wrap(PeerArgs.PLAINTEXT).asReadOnlyBuffer();

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!"/plaintext".equals(Request.getPathInContext(request))) return false;
            response.setStatus(200);
            response.getHeaders().add(CONTENT_TYPE);
            response.getHeaders().add(CONTENT_LENGTH);
            response.write(true, BODY.slice(), callback);
            return true;
        }
    }

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code <port> <staticDir> [<cert.pem> <key.pem>]}
     * @throws Exception when Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parseWithTls(args, "JettyPeer");
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector;
        if (peer.tls()) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(peer.keyStore());
            tls.setKeyStorePassword(new String(PeerArgs.KEY_STORE_PASSWORD));
            http.addCustomizer(new SecureRequestCustomizer());
            connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(PeerArgs.HOST);
        connector.setPort(peer.port());
        connector.setIdleTimeout(PeerArgs.IDLE_TIMEOUT_MILLIS);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);

        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(peer.staticDir()));
        files.setDirAllowed(false);
        ContextHandler staticContext = new ContextHandler(files, "/static");

        server.setHandler(new Handler.Sequence(new Plaintext(), staticContext));
        server.start();
        server.join();
    }
}
