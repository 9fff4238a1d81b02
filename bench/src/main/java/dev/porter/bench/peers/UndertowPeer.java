package dev.porter.bench.peers;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.cache.DirectBufferCache;
import io.undertow.server.handlers.resource.CachingResourceManager;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/**
 * Undertow 2.3, written as Undertow's TechEmpower entry does: the plaintext handler runs on the XNIO I/O
 * thread (no dispatch) and sends a shared buffer; request-start timing is off. Files come from the stock
 * {@link ResourceHandler} over a {@link CachingResourceManager}: files up to 64 KiB from memory, larger ones
 * through the {@link PathResourceManager} with {@code transferTo} ({@code sendfile}).
 */
public final class UndertowPeer {

    private static final ByteBuffer BODY = ByteBuffer.allocateDirect(PeerArgs.PLAINTEXT.length)
        .put(PeerArgs.PLAINTEXT).flip();

    private UndertowPeer() {}

    /** Plaintext on the I/O thread. */
    static final class Plaintext implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send(BODY.duplicate());
        }
    }

    /**
     * Starts the server; it runs until the process is killed.
     *
     * @param args {@code <port> <staticDir>}
     */
    public static void main(String[] args) {
        PeerArgs peer = PeerArgs.parse(args, "UndertowPeer");
        // Undertow's documented caching setup: small files (up to 64 KiB) from direct-buffer slices in memory,
        // larger ones with transferTo from the file.
        HttpHandler files = new ResourceHandler(new CachingResourceManager(100, 64 * 1024,
            new DirectBufferCache(1024, 64, 16 * 1024 * 1024), new PathResourceManager(peer.staticDir(), 1024), -1));
        Undertow.builder()
            .addHttpListener(peer.port(), PeerArgs.HOST)
            .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
            .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
            .setSocketOption(org.xnio.Options.BACKLOG, 1024)
            .setHandler(Handlers.path()
                .addExactPath("/plaintext", new Plaintext())
                .addPrefixPath("/static", files))
            .build()
            .start();
    }
}
