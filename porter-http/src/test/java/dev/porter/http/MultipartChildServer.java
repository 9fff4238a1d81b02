package dev.porter.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@link MultipartEcho} routes for a forked JVM with a small {@code -Xmx} ({@link MultipartLargeUploadTest}):
 * no body limit, files of {@code /form} written to the directory given as the argument. Prints {@code PORT n};
 * {@code GET /__heap} answers with the heap committed and in use, in bytes.
 */
public final class MultipartChildServer {

    private MultipartChildServer() {
    }

    public static void main(String[] args) throws Exception {
        Router router = MultipartEcho.router(Multipart.Limits.DEFAULTS, Path.of(args[0]))
                .get("/__heap", (req, res) -> {
                    Runtime rt = Runtime.getRuntime();
                    res.send(rt.totalMemory() + " " + (rt.totalMemory() - rt.freeMemory()));
                });
        HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).maxBodySize(Long.MAX_VALUE).build(),
                router);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(1))));
        server.awaitStop();
    }
}
