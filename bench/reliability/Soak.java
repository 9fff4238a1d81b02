import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpVersion;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak load for bench/soak: mixed jobs against a running {@code porter demo} for a while, counting errors
 * (which must stay 0) and comparing the server's heap after a full GC at the start and at the end.
 *
 * <p>Jobs, each on its own virtual threads: {@code plaintext} (keep-alive GET /plaintext), {@code upload}
 * (POST / with 1 B..1 MiB bodies, Content-Length or chunked, echo compared byte for byte), {@code abort}
 * (clients vanishing mid-head, mid-body or mid-response, with a FIN or a reset), and {@code static} (GET of
 * files under /static/, compared with the files on disk) when given {@code --static DIR}, and {@code h2}
 * (HTTP/2 with prior knowledge through Porter's own client, streams multiplexed on shared connections:
 * GET /plaintext and POST / echoes of 1 B..256 KiB compared byte for byte). A new job is one more {@link Job} in
 * {@link #jobs}. Runs with porter.jar on the class path (for the HTTP/2 client).
 *
 * <p>Phases: warm-up (a tenth of the time, at most 30 s), pause, heap measured, load, pause, heap measured.
 * The heap is {@code jcmd PID GC.run} then the "used" figure of {@code jcmd PID GC.heap_info} (G1).
 * Single-file program: {@code java -cp porter.jar Soak.java PORT PID SECONDS [--static DIR]}; exit 0 when there were no
 * errors and the end heap is within 10% of the start heap.
 */
public final class Soak {

    /** A kind of load: one operation per call; throws on any error. */
    interface Job {
        void once(Random random) throws Exception;
    }

    private static int port;
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final ConcurrentHashMap<String, AtomicLong> done = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private static final List<String> firstErrors = new ArrayList<>();

    /** Runs the soak: {@code PORT PID SECONDS [--static DIR]}; exits 0 on success, 1 on errors or heap growth, 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java Soak.java PORT PID SECONDS [--static DIR]");
            System.exit(2);
        }
        port = Integer.parseInt(args[0]);
        String pid = args[1];
        long seconds = Long.parseLong(args[2]);
        Path staticDir = args.length >= 5 && args[3].equals("--static") ? Path.of(args[4]) : null;
        List<Object[]> jobs = jobs(staticDir);
        long warmup = Math.max(3, Math.min(30, seconds / 10));

        run(jobs, warmup);
        Thread.sleep(1_000);
        long startHeap = heapAfterGc(pid);
        System.out.printf("soak: heap after GC at start: %d KiB%n", startHeap);
        done.clear();
        run(jobs, seconds - warmup);
        Thread.sleep(1_000);
        long endHeap = heapAfterGc(pid);
        long errorCount = errors.values().stream().mapToLong(AtomicLong::get).sum();
        double change = (endHeap - startHeap) * 100.0 / startHeap;
        System.out.printf(Locale.ROOT, "soak: %d s, operations %s, errors %d %s%n", seconds - warmup, done, errorCount,
                errorCount == 0 ? "" : errors.toString());
        synchronized (firstErrors) {
            for (String e : firstErrors) System.out.println("  error: " + e);
        }
        System.out.printf(Locale.ROOT, "soak: heap after GC: start %d KiB, end %d KiB (%+.1f%%, limit +10%%)%n",
                startHeap, endHeap, change);
        boolean ok = errorCount == 0 && endHeap <= startHeap * 1.10;
        System.out.println("soak: " + (ok ? "PASS" : "FAIL"));
        System.exit(ok ? 0 : 1);
    }

    /** @return the jobs as {name, threads, job} */
    private static List<Object[]> jobs(Path staticDir) throws IOException {
        List<Object[]> jobs = new ArrayList<>();
        jobs.add(new Object[] {"plaintext", 8, (Job) Soak::plaintext});
        jobs.add(new Object[] {"upload", 2, (Job) Soak::upload});
        jobs.add(new Object[] {"abort", 2, (Job) Soak::abort});
        jobs.add(new Object[] {"h2", 4, (Job) Soak::http2});
        if (staticDir != null) {
            List<Path> files;
            try (var list = Files.list(staticDir)) {
                files = list.filter(Files::isRegularFile).sorted().toList();
            }
            if (!files.isEmpty()) jobs.add(new Object[] {"static", 2, (Job) r -> staticFile(r, files)});
        }
        return jobs;
    }

    /** Runs every job on its threads for {@code seconds}, then waits for them to finish their operation. */
    private static void run(List<Object[]> jobs, long seconds) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        long seed = 1;
        for (Object[] j : jobs) {
            String name = (String) j[0];
            Job job = (Job) j[2];
            for (int t = 0; t < (int) j[1]; t++) {
                Random random = new Random(seed++);
                threads.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            job.once(random);
                            done.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
                        } catch (Exception e) {
                            errors.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
                            synchronized (firstErrors) {
                                if (firstErrors.size() < 10) firstErrors.add(name + ": " + e);
                            }
                        }
                    }
                }));
            }
        }
        Thread.sleep(seconds * 1_000);
        running.set(false);
        for (Thread t : threads) t.join();
    }

    // ---- jobs ------------------------------------------------------------------------------------------------

    private static final ThreadLocal<Connection> keepAlive = new ThreadLocal<>();

    private record Connection(Socket socket, InputStream in, OutputStream out) {
    }

    private static Connection open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(30_000);
        return new Connection(s, new BufferedInputStream(s.getInputStream(), 16 * 1024), s.getOutputStream());
    }

    private static void plaintext(Random random) throws IOException {
        Connection c = keepAlive.get();
        if (c == null) keepAlive.set(c = open());
        try {
            c.out.write("GET /plaintext HTTP/1.1\r\nHost: soak\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Reply r = read(c.in);
            check(r.status == 200 && Arrays.equals(r.body, HELLO), "plaintext answer " + r.status);
            if (r.close) close();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void close() throws IOException {
        Connection c = keepAlive.get();
        keepAlive.remove();
        if (c != null) c.socket.close();
    }

    private static void upload(Random random) throws IOException {
        byte[] body = new byte[1 + random.nextInt(1 << 20)];
        random.nextBytes(body);
        boolean chunked = random.nextBoolean();
        try (Socket s = open().socket()) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    writeBody(out, body, chunked);
                } catch (IOException e) {
                    // the reader sees the failure as a short or missing echo
                }
            });
            Reply r = read(in);
            joinQuietly(writer);
            check(r.status == 200, "upload answer " + r.status);
            check(Arrays.equals(r.body, body), "echo of " + body.length + " bytes differs (got " + r.body.length + ")");
        }
    }

    private static void writeBody(OutputStream out, byte[] body, boolean chunked) throws IOException {
        String head = "POST / HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (!chunked) {
            out.write(body);
            return;
        }
        for (int off = 0; off < body.length; off += 50_000) {
            int n = Math.min(50_000, body.length - off);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void abort(Random random) throws IOException {
        Socket s = open().socket();
        try {
            OutputStream out = s.getOutputStream();
            switch (random.nextInt(3)) {
                case 0 -> {
                    byte[] head = "GET /plaintext HTTP/1.1\r\nHost: soak\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    out.write(head, 0, 1 + random.nextInt(head.length - 1));
                }
                case 1 -> {
                    out.write("POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[random.nextInt(100_000)]);
                }
                default -> {
                    // A 4 MiB echo: read a little of it, then vanish while the server writes.
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try {
                            writeBody(out, new byte[4 << 20], false);
                        } catch (IOException e) {
                            // expected once this client vanishes
                        }
                    });
                    s.getInputStream().readNBytes(random.nextInt(256 * 1024));
                    s.setOption(StandardSocketOptions.SO_LINGER, 0);
                    s.close();
                    joinQuietly(writer);
                }
            }
        } catch (SocketException e) {
            // the server may have answered and closed first: the client vanishes anyway
        } finally {
            if (random.nextBoolean() && !s.isClosed()) s.setOption(StandardSocketOptions.SO_LINGER, 0);
            s.close();
        }
    }

    private static void staticFile(Random random, List<Path> files) throws IOException {
        Path file = files.get(random.nextInt(files.size()));
        byte[] expected = Files.readAllBytes(file);
        Connection c = keepAlive.get();
        if (c == null) keepAlive.set(c = open());
        try {
            c.out.write(("GET /static/" + file.getFileName() + " HTTP/1.1\r\nHost: soak\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Reply r = read(c.in);
            check(r.status == 200 && Arrays.equals(r.body, expected), "static " + file.getFileName() + " answer " + r.status);
            if (r.close) close();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** One client for the h2 job: its threads' streams share its pooled HTTP/2 connection(s). */
    private static final HttpClient H2 = HttpClient.create(ClientConfig.builder()
            .httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build());

    private static void http2(Random random) throws IOException {
        String base = "http://127.0.0.1:" + port;
        if (random.nextBoolean()) {
            try (ClientResponse r = H2.send(ClientRequest.get(base + "/plaintext"))) {
                byte[] body = r.bodyBytes();
                check(r.statusCode() == 200 && Arrays.equals(body, HELLO), "h2 plaintext answer " + r.statusCode());
            }
        } else {
            byte[] body = new byte[1 + random.nextInt(256 * 1024)];
            random.nextBytes(body);
            ClientRequest req = ClientRequest.builder("POST", base + "/").body(ClientRequest.Body.of(body)).build();
            try (ClientResponse r = H2.send(req)) {
                check(r.statusCode() == 200 && Arrays.equals(r.bodyBytes(), body), "h2 echo answer " + r.statusCode());
            }
        }
    }

    private static void check(boolean ok, String what) throws IOException {
        if (!ok) throw new IOException(what);
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Reply(int status, byte[] body, boolean close) {
    }

    private static Reply read(InputStream in) throws IOException {
        String status = line(in);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String f; !(f = line(in)).isEmpty(); ) {
            String lower = f.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(f.substring(15).strip());
            else if (lower.startsWith("transfer-encoding:")) chunked = lower.contains("chunked");
            else if (lower.startsWith("connection:")) close = lower.contains("close");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).split(";")[0].strip(), 16)) > 0; ) {
                body.write(in.readNBytes((int) size));
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        }
        return new Reply(Integer.parseInt(status.substring(9, 12)), body.toByteArray(), close);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("connection ended inside a response");
            sb.append((char) c);
        }
        return sb.toString().strip();
    }

    private static final Pattern USED = Pattern.compile("garbage-first heap[^\\n]*?used (\\d+)K");

    /** @return the server's heap in use (KiB) right after a full collection */
    private static long heapAfterGc(String pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        jcmd(jcmd, pid, "GC.run");
        String info = jcmd(jcmd, pid, "GC.heap_info");
        Matcher m = USED.matcher(info);
        if (!m.find()) throw new IOException("no G1 heap figure in: " + info);
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(String jcmd, String pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, pid, command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("jcmd " + command + " failed: " + out);
        return out;
    }
}
