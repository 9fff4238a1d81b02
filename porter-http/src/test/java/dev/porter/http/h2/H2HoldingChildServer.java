package dev.porter.http.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A server for a forked JVM with a small {@code -Xmx} ({@link Http2RequestBodyMemoryTest}): on a free loopback port,
 * printing {@code PORT n} first. {@code POST /hold} never reads its body and never answers (the stream stays open,
 * its DATA buffered); {@code GET /__heap} answers the heap committed and the heap in use, in bytes. An argument, if
 * given, is the HTTP/2 connection window in bytes (the default otherwise).
 */
public final class H2HoldingChildServer {

    private H2HoldingChildServer() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Router router = new Router()
                .post("/hold", (req, res) -> never.await())
                .get("/__heap", (req, res) -> {
                    Runtime rt = Runtime.getRuntime();
                    res.send(rt.totalMemory() + " " + (rt.totalMemory() - rt.freeMemory()));
                });
        Http2Config h2 = Http2Config.defaults();
        if (args.length > 0) h2 = h2.withWindows(h2.streamWindow(), Integer.parseInt(args[0]));
        HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).http2(h2).build(), router);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ZERO)));
        server.awaitStop();
    }
}
