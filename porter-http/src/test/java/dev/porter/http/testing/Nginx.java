package dev.porter.http.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx (Debian's package) for client tests, started on a free loopback port with a generated configuration
 * in a temporary directory (pid, logs and temp paths all inside it) and stopped on {@link #close()}. Tests that
 * need it are skipped when no nginx binary is installed.
 *
 * <p>The server block serves files from {@link #root()}, plus whatever {@code locations} the test passes. Useful
 * variables: {@code $connection} (the connection's serial number: equal across requests means keep-alive reuse),
 * {@code $request_method}, {@code $http_NAME} (request headers).
 *
 * <p>{@link #startTls} serves the block over TLS with HTTP/2 offered, as {@link #startTlsHttp2} does, and plain HTTP
 * too on {@link #plainPort()} (for redirects between the two); over TLS also {@code $ssl_protocol},
 * {@code $ssl_cipher}, {@code $ssl_server_name} and {@code $ssl_alpn_protocol}.
 */
public final class Nginx implements AutoCloseable {

    private static final String[] BINARIES = {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"};

    private final Path dir;
    private final Process process;
    private final int port;
    private final String scheme;
    /** For {@link #startTls}: the plain HTTP port beside the TLS one; otherwise -1. */
    private final int plainPort;

    private Nginx(Path dir, Process process, int port, String scheme, int plainPort) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.scheme = scheme;
        this.plainPort = plainPort;
    }

    /** @return the nginx binary, or null if none is installed */
    public static Path binary() {
        for (String b : BINARIES) {
            Path p = Path.of(b);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * Starts nginx, skipping the calling test (JUnit assumption) when nginx is not installed.
     *
     * @param locations extra configuration inside the {@code server} block
     */
    public static Nginx start(String locations) throws IOException, InterruptedException {
        return start(locations, "", "", false);
    }

    /**
     * Starts nginx whose listener requires a PROXY protocol header ({@code listen ... proxy_protocol}; then
     * {@code $proxy_protocol_addr} and {@code $proxy_protocol_port} name the client), skipping the calling test when
     * nginx is not installed.
     */
    public static Nginx startProxyProtocol(String locations) throws IOException, InterruptedException {
        return start(locations, " proxy_protocol", "", false);
    }

    /**
     * Starts nginx serving HTTPS behind a required PROXY protocol header ({@code listen ... ssl proxy_protocol}: the
     * header comes first, then the TLS handshake), skipping the calling test when nginx is not installed.
     */
    public static Nginx startTlsProxyProtocol(String locations, Path certificate, Path key)
            throws IOException, InterruptedException {
        return start(locations, " ssl proxy_protocol", tls(certificate, key), false);
    }

    /**
     * Starts nginx serving HTTPS that requires a client certificate signed by {@code clientCa}
     * ({@code ssl_verify_client on}; {@code $ssl_client_s_dn} names the client), skipping the calling test when
     * nginx is not installed.
     */
    public static Nginx startTlsClientAuth(String locations, Path certificate, Path key, Path clientCa)
            throws IOException, InterruptedException {
        return start(locations, " ssl", tls(certificate, key) + """
                        ssl_client_certificate %s;
                        ssl_verify_client on;
                """.formatted(clientCa.toAbsolutePath()), false);
    }

    /**
     * Starts nginx serving HTTPS with HTTP/2 ({@code listen ... ssl http2}, the form nginx 1.22 knows; ALPN offers
     * h2 and http/1.1), skipping the calling test when nginx is not installed.
     *
     * @param certificate the server's certificate chain (PEM)
     * @param key         its private key (PEM)
     */
    public static Nginx startTlsHttp2(String locations, Path certificate, Path key) throws IOException, InterruptedException {
        return start(locations, " ssl http2", tls(certificate, key), false);
    }

    /**
     * As {@link #startTlsHttp2}, plus plain HTTP on {@link #plainPort()}.
     *
     * @param locations extra configuration inside the {@code server} block, where {@code {tls_port}} and
     *                  {@code {plain_port}} stand for the two ports (chosen at start)
     */
    public static Nginx startTls(String locations, Path certificate, Path key) throws IOException, InterruptedException {
        return start(locations, " ssl http2", tls(certificate, key), true);
    }

    /** The server block's TLS lines: this certificate and key, TLS 1.2 and 1.3. */
    private static String tls(Path certificate, Path key) {
        return """
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                        ssl_protocols TLSv1.2 TLSv1.3;
                """.formatted(certificate.toAbsolutePath(), key.toAbsolutePath());
    }

    private static Nginx start(String locations, String listenOptions, String serverDirectives, boolean plainToo)
            throws IOException, InterruptedException {
        Path binary = binary();
        Assumptions.assumeTrue(binary != null, "nginx is not installed");
        Path dir = Files.createTempDirectory("porter-nginx");
        // The workers may run as another user (nobody, when the tests run as root): let them read and write here.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.setPosixFilePermissions(dir.resolve("www"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            int plainPort = plainToo ? freePort() : -1;
            String block = serverDirectives + (plainToo ? "        listen 127.0.0.1:" + plainPort + ";\n" : "")
                    + locations.replace("{tls_port}", String.valueOf(port)).replace("{plain_port}", String.valueOf(plainPort));
            Files.writeString(dir.resolve("nginx.conf"), config(dir, port, listenOptions, block), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                    "-g", "daemon off; master_process on;")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            if (awaitListening(p, port) && (plainPort < 0 || awaitListening(p, plainPort))) {
                return new Nginx(dir, p, port, listenOptions.contains("ssl") ? "https" : "http", plainPort);
            }
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            last = new IOException("nginx did not start on port " + port + ": " + Files.readString(dir.resolve("stdout.log"))
                    + readIfExists(dir.resolve("error.log")));
        }
        throw last;
    }

    private static String config(Path dir, int port, String listenOptions, String locations) {
        String d = dir.toString();
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    default_type application/octet-stream;
                    types { text/plain txt; text/html html; }
                    sendfile on;
                    keepalive_requests 100000;
                    keepalive_timeout 60s;
                    server {
                        listen 127.0.0.1:%2$d%4$s;
                        root %1$s/www;
                %3$s
                    }
                }
                """.formatted(d, port, locations, listenOptions);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean awaitListening(Process p, int port) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            if (!p.isAlive()) return false;
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private static String readIfExists(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** @return the port nginx listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** @return for {@link #startTls} the plain HTTP port beside {@link #port()}; otherwise -1 */
    public int plainPort() {
        return plainPort;
    }

    /** @return {@code http://127.0.0.1:PORT} + path ({@code https://} for {@link #startTlsHttp2} and {@link #startTls}) */
    public String url(String path) {
        return scheme + "://127.0.0.1:" + port + path;
    }

    /** @return the document root (files placed here are served) */
    public Path root() {
        return dir.resolve("www");
    }

    /** @return the access log's content so far */
    public String accessLog() throws IOException {
        return readIfExists(dir.resolve("access.log"));
    }

    /** Stops nginx (fast shutdown) and deletes its directory. */
    @Override
    public void close() throws IOException {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt(); // keep the interrupt for the caller; the files go anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
