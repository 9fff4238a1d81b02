package dev.porter.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A static-file server for a forked JVM (run with a small {@code -Xmx} by {@link StaticFilesLargeFileTest}): serves
 * the directory given as the argument on a free loopback port, prints {@code PORT n}, and answers
 * {@code GET /__heap} with the heap the JVM has committed (it only grows when live data needs it; java.management
 * is not readable from this module, so no pool peaks) and the heap in use, in bytes.
 */
public final class StaticChildServer {

    private StaticChildServer() {
    }

    public static void main(String[] args) throws Exception {
        Router router = new Router()
                .get("/__heap", (req, res) -> {
                    Runtime rt = Runtime.getRuntime();
                    res.send(rt.totalMemory() + " " + (rt.totalMemory() - rt.freeMemory()));
                })
                .mount("/", StaticFiles.of(Path.of(args[0])));
        HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), router);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(1))));
        server.awaitStop();
    }
}
