package dev.porter.bench.peers;

import io.helidon.common.Size;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.staticcontent.FileSystemHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import java.time.Duration;

/**
 * Helidon 4 SE webserver (one virtual thread per connection), written as Helidon's TechEmpower entry does:
 * headers created once with {@link HeaderValues#createCached}, the body sent as a byte array; the static
 * content service of {@code helidon-webserver-static-content} under {@code /static}, with its in-memory cache
 * enabled (file content kept in memory instead of read from disk per request). TCP_NODELAY on, and idle
 * connections kept for {@link PeerArgs#IDLE_TIMEOUT_MILLIS}.
 */
public final class HelidonPeer {

    private static final Header CONTENT_TYPE = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain");
    private static final Header CONTENT_LENGTH =
        HeaderValues.createCached(HeaderNames.CONTENT_LENGTH, PeerArgs.PLAINTEXT.length);

    private HelidonPeer() {}

    /**
     * Starts the server; it runs until the process is killed.
     *
     * @param args {@code <port> <staticDir>}
     */
    public static void main(String[] args) {
        PeerArgs peer = PeerArgs.parse(args, "HelidonPeer");
        Duration idle = Duration.ofMillis(PeerArgs.IDLE_TIMEOUT_MILLIS);
        WebServer.builder()
            .host(PeerArgs.HOST)
            .port(peer.port())
            .backlog(1024)
            .idleConnectionTimeout(idle)
            // Helidon leaves Nagle's algorithm on by default; every other server here turns it off, and with it on
            // pipelined responses wait ~40 ms for the client's delayed ACK.
            .connectionOptions(options -> options.readTimeout(idle).tcpNoDelay(true))
            .routing(routing -> routing
                .get("/plaintext", (req, res) -> {
                    res.header(CONTENT_TYPE);
                    res.header(CONTENT_LENGTH);
                    res.send(PeerArgs.PLAINTEXT);
                })
                .register("/static", StaticContentFeature.createService(FileSystemHandlerConfig.builder()
                    .location(peer.staticDir())
                    .memoryCache(cache -> cache.enabled(true).capacity(Size.parse("64 MB")))
                    .build())))
            .build()
            .start();
    }
}
