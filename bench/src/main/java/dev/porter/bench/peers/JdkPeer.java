package dev.porter.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The JDK's own {@code com.sun.net.httpserver} with one virtual thread per exchange, and the JDK's
 * {@link SimpleFileServer} file handler under {@code /static/}.
 *
 * <p>Three JDK defaults are changed through the server's system properties, set before its classes load: it
 * closes idle keep-alive connections beyond 200 ({@code sun.net.httpserver.maxIdleConnections}) and after
 * 30 s ({@code sun.net.httpserver.idleInterval}, seconds), which would spoil the idle job; and it leaves Nagle's
 * algorithm on ({@code sun.net.httpserver.nodelay}), which makes pipelined responses wait for delayed ACKs.
 */
public final class JdkPeer {

    private JdkPeer() {}

    /**
     * Starts the server; it runs until the process is killed.
     *
     * @param args {@code <port> <staticDir>}
     * @throws IOException when the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        PeerArgs peer = PeerArgs.parse(args, "JdkPeer");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.idleInterval", Long.toString(PeerArgs.IDLE_TIMEOUT_MILLIS / 1000));
        HttpServer server = HttpServer.create(new InetSocketAddress(PeerArgs.HOST, peer.port()), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/plaintext", JdkPeer::plaintext);
        server.createContext("/static/", SimpleFileServer.createFileHandler(peer.staticDir()));
        server.start();
    }

    private static void plaintext(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes(); // drain, so the connection can be reused
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, PeerArgs.PLAINTEXT.length);
            OutputStream body = exchange.getResponseBody();
            body.write(PeerArgs.PLAINTEXT);
        }
    }
}
