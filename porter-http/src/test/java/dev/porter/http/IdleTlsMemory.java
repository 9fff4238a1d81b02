package dev.porter.http;

import dev.porter.core.KeySource;
import dev.porter.core.ServerStats;
import dev.porter.core.TlsConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures what an idle connection costs a server, with TLS and without: a server process ({@code HttpServer},
 * default configuration) and a separate client process that opens N keep-alive connections, makes one request on
 * each and then holds them all without a word (the server keeps idle connections for 5 minutes here). The server
 * is warmed up first by 300 connections opened, answered and closed. Before and after, the server's live heap (the total of
 * {@code jcmd PID GC.class_histogram}, which counts live objects after a full collection), its resident set
 * ({@code VmRSS}) and its OS threads ({@code /proc/PID/task}); and, through the server's standard input, its
 * conversation threads ({@link ServerStats#threads()}: 0 once every idle connection has parked). Prints one line per
 * mode. A tool run by hand (docs/tls.md gives the command and the figures), not a test.
 *
 * <pre>{@code
 * mvn -B -ntp -q test-compile -pl porter-http -am
 * java -cp porter-core/target/classes:porter-http/target/classes:porter-http/target/test-classes \
 *     dev.porter.http.IdleTlsMemory 2000
 * }</pre>
 *
 * The certificate is made with {@code openssl} (EC P-256, self-signed, for 127.0.0.1); the client trusts exactly it.
 */
public final class IdleTlsMemory {

    private IdleTlsMemory() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "server" -> server(args);
            case "clients" -> clients(args);
            default -> measure(args.length > 0 ? Integer.parseInt(args[0]) : 2000);
        }
    }

    // ---- the orchestrator --------------------------------------------------------------------------------------

    private static void measure(int connections) throws Exception {
        Path dir = Files.createTempDirectory("porter-idle-tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("k.pem").toString(),
                "-out", cert.toString());
        run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", dir.resolve("k.pem").toString(), "-out", key.toString());
        System.out.printf("%d idle keep-alive connections, one request each; JDK %s%n", connections,
                System.getProperty("java.version"));
        for (String mode : new String[] {"plain", "tls", "plain", "tls"}) {
            System.out.println(measure(mode, connections, cert, key));
        }
    }

    private static String measure(String mode, int n, Path cert, Path key) throws Exception {
        Process server = java("server", mode, cert.toString(), key.toString()).start();
        BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintStream serverIn = new PrintStream(server.getOutputStream(), true, StandardCharsets.UTF_8);
        String first = serverOut.readLine();
        if (first == null || !first.startsWith("PORT ")) throw new IllegalStateException("server: " + first);
        int port = Integer.parseInt(first.substring(5));
        long pid = server.pid();
        // Warm-up: 300 connections opened, answered and closed, so that the classes, compiled code and pools of a
        // TLS (or plain) conversation are in place before the baseline, and do not count as the connections' cost.
        Process warm = java("clients", mode, String.valueOf(port), "300", cert.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String warmed = new BufferedReader(new InputStreamReader(warm.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (warmed == null || !warmed.startsWith("HELD ")) throw new IllegalStateException("warm-up: " + warmed);
        warm.getOutputStream().close();
        warm.waitFor(60, TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            serverIn.println("stats");
            if (serverOut.readLine().contains("active=0,")) break;
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        long heapBefore = liveHeap(pid);
        long rssBefore = rss(pid);
        int osThreadsBefore = osThreads(pid);

        Process clients = java("clients", mode, String.valueOf(port), String.valueOf(n), cert.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader clientsOut = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
        long started = System.nanoTime();
        String held = clientsOut.readLine();
        double openSeconds = (System.nanoTime() - started) / 1e9;
        if (held == null || !held.startsWith("HELD ")) throw new IllegalStateException("clients: " + held);
        // Every connection answered and quiet: wait until the server holds them all with no conversation thread.
        String stats = "";
        for (int i = 0; i < 100; i++) {
            serverIn.println("stats");
            stats = serverOut.readLine();
            if (stats.contains("active=" + n + ",") && stats.contains("threads=0]")) break;
            Thread.sleep(100);
        }
        String threadsWhileHeld = stats;
        long heapAfter = liveHeap(pid);
        long rssAfter = rss(pid);
        int osThreadsAfter = osThreads(pid);
        serverIn.println("stats");
        String statsAfter = serverOut.readLine();

        clients.getOutputStream().close(); // the clients' signal to close everything and exit
        clients.waitFor(60, TimeUnit.SECONDS);
        serverIn.println("quit");
        server.waitFor(30, TimeUnit.SECONDS);
        server.destroyForcibly();
        return String.format(Locale.ROOT, "%-5s opened in %.1f s; live heap %,d -> %,d B (%,d B/conn); RSS %,d -> %,d KiB "
                        + "(%,d B/conn); OS threads %d -> %d; server while held: %s; after the measurements: %s",
                mode, openSeconds, heapBefore, heapAfter, (heapAfter - heapBefore) / n, rssBefore, rssAfter,
                (rssAfter - rssBefore) * 1024 / n, osThreadsBefore, osThreadsAfter, threadsWhileHeld, statsAfter);
    }

    private static ProcessBuilder java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), IdleTlsMemory.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + ": " + out);
        return out;
    }

    /** @return the bytes of live objects: jcmd's class histogram (a full GC first), its "Total" line */
    private static long liveHeap(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String out = run(jcmd, String.valueOf(pid), "GC.class_histogram");
        for (String line : out.split("\n")) {
            if (line.startsWith("Total")) {
                String[] f = line.trim().split("\\s+");
                return Long.parseLong(f[2]);
            }
        }
        throw new IOException("no Total line: " + out);
    }

    /** @return VmRSS of {@code pid} in KiB */
    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IOException("no VmRSS");
    }

    private static int osThreads(long pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return (int) tasks.count();
        }
    }

    // ---- the server process ------------------------------------------------------------------------------------

    private static void server(String[] args) throws Exception {
        boolean tls = args[1].equals("tls");
        // Idle connections kept for 5 minutes (as in bench/run's idle job), so none is closed while they open.
        HttpConfig.Builder config = HttpConfig.builder().host("127.0.0.1").port(0).keepAliveTimeout(Duration.ofMinutes(5));
        if (tls) config.tls(TlsConfig.of(new KeySource.Pem(Path.of(args[2]), Path.of(args[3]))));
        HttpServer server = HttpServer.start(config.build(), (req, res) -> res.send("Hello, World!"));
        System.out.println("PORT " + server.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
            System.out.println(server.stats());
            System.out.flush();
        }
        server.stop(Duration.ofSeconds(1));
    }

    // ---- the clients process -----------------------------------------------------------------------------------

    private static void clients(String[] args) throws Exception {
        boolean tls = args[1].equals("tls");
        int port = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        SSLContext context = null;
        if (tls) {
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(Path.of(args[4]))) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
        }
        byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Socket> held = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Socket s = tls ? context.getSocketFactory().createSocket() : new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            if (s instanceof SSLSocket ssl) ssl.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            // The answer is small and fixed: read until its 13-byte body has come.
            byte[] buf = new byte[1024];
            int got = 0;
            while (got < 4 || !new String(buf, 0, got, StandardCharsets.ISO_8859_1).endsWith("Hello, World!")) {
                int r = in.read(buf, got, buf.length - got);
                if (r < 0) throw new IOException("connection " + i + " closed");
                got += r;
            }
            held.add(s);
        }
        System.out.println("HELD " + held.size());
        System.out.flush();
        System.in.read(); // until the orchestrator closes our input
        for (Socket s : held) s.close();
    }
}
