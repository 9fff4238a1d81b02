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
 * An HTTPS server in a process of its own: for {@link HttpsLargeUploadTest} (a child JVM with a small
 * {@code -Xmx}) and {@code scripts/testssl}. TLS with the PEM certificate and key given as arguments, on
 * 127.0.0.1 and the port given as the third argument (default 0: a free one); prints {@code PORT n}. Streams every
 * body, never holding one: {@code GET /} answers a line of text, {@code POST /sha256} the body's SHA-256 and
 * length, {@code POST /echo} sends the body back as it arrives, {@code GET /__heap} the heap committed and in use,
 * in bytes.
 *
 * <pre>{@code java -cp porter-core/target/classes:porter-http/target/classes:porter-http/target/test-classes \
 *     dev.porter.http.TlsChildServer cert.pem key.pem [PORT]}</pre>
 */
public final class TlsChildServer {

    private TlsChildServer() {
    }

    public static void main(String[] args) throws Exception {
        Router router = new Router()
                .get("/", (req, res) -> res.send("Porter over " + req.tls().map(t -> t.protocol()).orElse("?") + "\n"))
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
        HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1")
                .port(args.length > 2 ? Integer.parseInt(args[2]) : 0).tls(tls)
                .maxBodySize(Long.MAX_VALUE).build(), router);
        System.out.println("PORT " + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(1))));
        server.awaitStop();
    }
}
