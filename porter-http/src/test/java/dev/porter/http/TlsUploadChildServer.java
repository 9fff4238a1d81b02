package dev.porter.http;

import dev.porter.core.KeySource;
import dev.porter.core.TlsConfig;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * An HTTPS server for a forked JVM (run with a small {@code -Xmx} by {@link HttpsLargeUploadTest}): TLS with the
 * PEM certificate and key given as arguments, on a free loopback port; prints {@code PORT n}. Streams every body,
 * never holding one: {@code POST /sha256} answers the body's SHA-256 and length, {@code POST /echo} sends the body
 * back as it arrives, {@code GET /__heap} the heap committed and in use, in bytes.
 */
public final class TlsUploadChildServer {

    private TlsUploadChildServer() {
    }

    public static void main(String[] args) throws Exception {
        Router router = new Router()
                .post("/sha256", (req, res) -> {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    long total = 0;
                    byte[] b = new byte[64 * 1024];
                    try (InputStream in = req.body()) {
                        for (int n; (n = in.read(b)) > 0; total += n) md.update(b, 0, n);
                    }
                    res.send(HexFormat.of().formatHex(md.digest()) + " " + total);
                })
                .post("/echo", (req, res) -> {
                    byte[] b = new byte[64 * 1024];
                    try (InputStream in = req.body(); OutputStream out = res.stream()) {
                        for (int n; (n = in.read(b)) > 0; ) out.write(b, 0, n);
                    }
                })
                .get("/__heap", (req, res) -> {
                    Runtime rt = Runtime.getRuntime();
                    res.send(rt.totalMemory() + " " + (rt.totalMemory() - rt.freeMemory()));
                });
        TlsConfig tls = TlsConfig.of(new KeySource.Pem(Path.of(args[0]), Path.of(args[1])));
        HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).tls(tls)
                .maxBodySize(Long.MAX_VALUE).build(), router);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(1))));
        server.awaitStop();
    }
}
