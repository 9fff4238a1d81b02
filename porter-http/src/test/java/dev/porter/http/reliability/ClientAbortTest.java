package dev.porter.http.reliability;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that vanish at random points: before sending anything, inside the request head, inside the body, or
 * while a large response is being written (after reading a little of it), closing with a FIN or a reset. Some
 * requests complete normally in between. Afterwards every connection is closed on the server, its thread ended,
 * and the process holds no more file descriptors than before: nothing leaks.
 *
 * <p>Runs {@value #DEFAULT_ABORTS} aborted requests by default; {@code -Dporter.aborts=100000} runs the long
 * version ({@code bench/aborts}).
 */
class ClientAbortTest {

    private static final int DEFAULT_ABORTS = 5_000;
    private static final int CONCURRENCY = 32;
    private static final int LARGE = 2 << 20;
    private static final int UPLOAD = 64 * 1024;

    enum Abort { BEFORE_REQUEST, MID_HEAD, MID_BODY, MID_CHUNKED_BODY, MID_RESPONSE, NONE }

    @Test
    void vanishingClientsLeaveNoConnectionThreadOrDescriptorBehind() throws Exception {
        int total = Integer.getInteger("porter.aborts", DEFAULT_ABORTS);
        byte[] block = new byte[16 * 1024];
        Router router = new Router()
                .get("/small", (req, res) -> res.send("ok"))
                .get("/large", (req, res) -> {
                    res.contentLength(LARGE);
                    try (OutputStream out = res.stream()) {
                        for (int sent = 0; sent < LARGE; sent += block.length) out.write(block);
                    }
                })
                .post("/upload", (req, res) -> {
                    long n = 0;
                    InputStream in = req.body();
                    byte[] buf = new byte[8192];
                    for (int r; (r = in.read(buf)) > 0; ) n += r;
                    res.send(Long.toString(n));
                });
        try (HttpServer server = HttpServer.start(HttpConfig.defaults(), router)) {
            int port = server.port();

            // Warm up every path (lazily opened descriptors, class loading), then take the baseline.
            run(port, 400, 1L);
            assertThat(RawHttp.await(10_000, () -> server.stats().active() == 0 && server.stats().threads() == 0))
                    .as("quiet after warm-up: %s", server.stats()).isTrue();
            long fdBaseline = RawHttp.openFileDescriptors();
            // Platform threads (printed only: the virtual-thread scheduler adds and retires carriers on its own).
            int platformThreads = Thread.getAllStackTraces().size();

            Map<Abort, Long> counts = run(port, total, 42L);

            boolean quiet = RawHttp.await(30_000, () -> {
                try {
                    return server.stats().active() == 0 && server.stats().threads() == 0
                            && RawHttp.openFileDescriptors() <= fdBaseline;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long fds = RawHttp.openFileDescriptors();
            System.out.printf("aborts: %d requests %s; fds baseline %d, after %d; server %s; platform threads %d -> %d%n",
                    total, counts, fdBaseline, fds, server.stats(), platformThreads, Thread.getAllStackTraces().size());
            assertThat(quiet).as("back to baseline: %s, fds %d (baseline %d)", server.stats(), fds, fdBaseline).isTrue();
            assertThat(server.stats().active()).isZero();
            assertThat(server.stats().threads()).isZero();
            assertThat(fds).isLessThanOrEqualTo(fdBaseline);

            // And the server is as good as new.
            try (Socket s = RawHttp.connect(port)) {
                s.getOutputStream().write(RawHttp.get("/small"));
                assertThat(RawHttp.read(RawHttp.in(s)).status()).isEqualTo(200);
            }
        }
    }

    /** Runs {@code total} requests with random abort points on {@value #CONCURRENCY} virtual threads. */
    private static Map<Abort, Long> run(int port, int total, long seed) throws Exception {
        Map<Abort, AtomicLong> counts = new EnumMap<>(Abort.class);
        for (Abort a : Abort.values()) counts.put(a, new AtomicLong());
        AtomicLong next = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?>[] workers = new Future<?>[CONCURRENCY];
            for (int w = 0; w < CONCURRENCY; w++) {
                Random random = new Random(seed * 31 + w);
                workers[w] = pool.submit(() -> {
                    while (next.getAndIncrement() < total) {
                        Abort kind = Abort.values()[random.nextInt(Abort.values().length)];
                        counts.get(kind).incrementAndGet();
                        once(port, kind, random);
                    }
                    return null;
                });
            }
            for (Future<?> f : workers) f.get();
        }
        Map<Abort, Long> result = new EnumMap<>(Abort.class);
        counts.forEach((k, v) -> result.put(k, v.get()));
        return result;
    }

    private static void once(int port, Abort kind, Random random) throws IOException {
        Socket s = RawHttp.connect(port);
        boolean reset = random.nextBoolean();
        try {
            OutputStream out = s.getOutputStream();
            switch (kind) {
                case BEFORE_REQUEST -> {
                    // connect, then vanish
                }
                case MID_HEAD -> {
                    byte[] head = ("GET /small HTTP/1.1\r\nHost: test\r\nUser-Agent: aborts\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    out.write(head, 0, 1 + random.nextInt(head.length - 1));
                }
                case MID_BODY -> {
                    out.write(("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + UPLOAD + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[random.nextInt(UPLOAD)]);
                }
                case MID_CHUNKED_BODY -> {
                    out.write("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n2000\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[random.nextInt(0x2000)]);
                }
                case MID_RESPONSE -> {
                    out.write(RawHttp.get("/large"));
                    s.getInputStream().readNBytes(random.nextInt(256 * 1024));
                }
                case NONE -> {
                    out.write(RawHttp.get("/small"));
                    assertThat(RawHttp.read(RawHttp.in(s)).status()).isEqualTo(200);
                }
            }
        } catch (java.net.SocketException e) {
            // The server may already have answered (400 for a truncated request) and closed: fine, we vanish anyway.
        } finally {
            if (reset) RawHttp.reset(s);
            else s.close();
        }
    }
}
