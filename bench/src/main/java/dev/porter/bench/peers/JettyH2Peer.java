package dev.porter.bench.peers;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 over HTTP/2, configured as Jetty's documentation does it ("HTTP/2 clear-text" and "HTTP/2 over TLS"),
 * with the same handlers as {@link JettyPeer} (the non-blocking plaintext handler, the stock
 * {@link ResourceHandler} under {@code /static}):
 * <ul>
 *   <li>cleartext: one connector with the HTTP/1.1 factory and {@link HTTP2CServerConnectionFactory}, so the port
 *       serves HTTP/1.1 and h2c (prior knowledge, which h2load and curl use, or upgrade), as Porter's does;</li>
 *   <li>TLS ({@code <cert.pem> <key.pem>}): {@link SslConnectionFactory} → {@link ALPNServerConnectionFactory}
 *       (the JDK's ALPN, {@code jetty-alpn-java-server}) → {@link HTTP2ServerConnectionFactory} ({@code h2}) or
 *       HTTP/1.1, the TLS ciphers ordered by {@link HTTP2Cipher#COMPARATOR}.</li>
 * </ul>
 * Jetty's HTTP/2 defaults otherwise (128 concurrent streams per connection, its flow-control windows).
 */
public final class JettyH2Peer {

    private JettyH2Peer() {}

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code <port> <staticDir> [<cert.pem> <key.pem>]}
     * @throws Exception when Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parseWithTls(args, "JettyH2Peer");
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (peer.tls()) {
            http.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(peer.keyStore());
            tls.setKeyStorePassword(new String(PeerArgs.KEY_STORE_PASSWORD));
            tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(http11.getProtocol());
            connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
        } else {
            connector = new ServerConnector(server, http11, new HTTP2CServerConnectionFactory(http));
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

        server.setHandler(new Handler.Sequence(new JettyPeer.Plaintext(), staticContext));
        server.start();
        server.join();
    }
}
