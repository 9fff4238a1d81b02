package dev.porter.http.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.testing.TestHttp;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The servers the HTTP/2 frame-level tests talk to, and their routes:
 * <ul>
 *   <li>{@code GET /hello}: {@code hello}</li>
 *   <li>{@code GET /size/{n}}: {@code n} bytes, sent at once; {@code GET /stream/{n}}: streamed in 1000-byte writes</li>
 *   <li>{@code POST /echo}: the body back; {@code POST /ignore}: {@code ignored}, the body left unread;
 *       {@code POST /answer-then-read}: the body back, streamed after the response head was sent;
 *       {@code POST /count}: the number of body bytes, read to the end and dropped</li>
 *   <li>{@code GET|POST /headers}: the request's fields, one {@code name: value} line each</li>
 *   <li>{@code GET /respond-headers}: a response with fields HTTP/1.1 handlers set that HTTP/2 must not send</li>
 *   <li>{@code GET /gate}: waits until the {@link Gate} opens, then {@code released}</li>
 * </ul>
 */
final class H2Server {

    private H2Server() {
    }

    /** Handlers waiting on a test: counts who entered, releases them all at once. */
    static final class Gate {
        private final Semaphore entered = new Semaphore(0);
        private final AtomicInteger count = new AtomicInteger();
        private final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        /** Waits until {@code n} handlers are inside. */
        void awaitEntered(int n) throws InterruptedException {
            if (!entered.tryAcquire(n, 10, TimeUnit.SECONDS)) {
                throw new AssertionError("only " + entered.availablePermits() + " of " + n + " more handlers entered");
            }
        }

        void open() {
            open.countDown();
        }

        /** @return how many handlers entered in all */
        int entered() {
            return count.get();
        }

        private void pass() throws InterruptedException {
            count.incrementAndGet();
            entered.release();
            if (!open.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
        }
    }

    static Router routes(Gate gate) {
        return new Router()
                .get("/hello", (req, res) -> res.send("hello"))
                .get("/size/{n}", (req, res) -> {
                    byte[] b = new byte[Integer.parseInt(req.pathParam("n"))];
                    Arrays.fill(b, (byte) 'x');
                    res.send(b);
                })
                .get("/stream/{n}", (req, res) -> {
                    int n = Integer.parseInt(req.pathParam("n"));
                    byte[] chunk = new byte[1000];
                    Arrays.fill(chunk, (byte) 'y');
                    try (OutputStream out = res.stream()) {
                        for (int left = n; left > 0; left -= chunk.length) out.write(chunk, 0, Math.min(left, chunk.length));
                    }
                })
                .post("/echo", (req, res) -> res.send(req.bodyBytes(1 << 20)))
                .post("/ignore", (req, res) -> res.send("ignored"))
                .post("/count", (req, res) -> {
                    long n = 0;
                    byte[] buf = new byte[16_384];
                    try (var in = req.body()) {
                        for (int k; (k = in.read(buf)) > 0; ) n += k;
                    }
                    res.send(Long.toString(n));
                })
                .post("/answer-then-read", (req, res) -> {
                    try (OutputStream out = res.stream()) {
                        out.flush(); // the final head is out before the body is read
                        req.body().transferTo(out);
                    }
                })
                .get("/headers", H2Server::headers)
                .post("/headers", H2Server::headers)
                .get("/respond-headers", (req, res) -> {
                    res.header("X-Mixed-Case", "yes").header("Connection", "close").header("Keep-Alive", "timeout=5")
                            .header("Transfer-Encoding", "chunked").header("Upgrade", "h2c");
                    res.send("ok");
                })
                .get("/respond-split", (req, res) -> {
                    res.headers().add("X-Value", "a\r\nSet-Cookie: evil=1"); // skips header()'s check
                    res.send("unsafe");
                })
                .get("/gate", (req, res) -> {
                    try {
                        gate.pass();
                        res.send("released");
                        gate.finished.incrementAndGet();
                    } catch (Exception e) {
                        gate.failed.incrementAndGet();
                        throw e;
                    }
                })
                .get("/answer-then-gate", (req, res) -> {
                    // The whole answer is out (END_STREAM) before the handler's thread waits at the gate.
                    res.send("answered");
                    gate.pass();
                    gate.finished.incrementAndGet();
                })
                .post("/gate", (req, res) -> {
                    gate.pass();
                    res.send("released");
                    gate.finished.incrementAndGet();
                });
    }

    private static void headers(dev.porter.http.Request req, dev.porter.http.Response res) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        req.headers().forEach((name, value) -> sb.append(name).append(": ").append(value).append('\n'));
        res.send(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return {@code c} with another SETTINGS_MAX_FRAME_SIZE */
    static Http2Config withMaxFrameSize(Http2Config c, int size) {
        return new Http2Config(c.enabled(), c.maxConcurrentStreams(), c.streamWindow(), c.connectionWindow(), size,
                c.resetBudget(), c.controlFrameBudget(), c.budgetWindow(), c.maxContinuationFrames(), c.extendedConnect());
    }

    /** @return {@code c} with another limit of CONTINUATION frames per field block */
    static Http2Config withMaxContinuationFrames(Http2Config c, int n) {
        return new Http2Config(c.enabled(), c.maxConcurrentStreams(), c.streamWindow(), c.connectionWindow(),
                c.maxFrameSize(), c.resetBudget(), c.controlFrameBudget(), c.budgetWindow(), n, c.extendedConnect());
    }

    /** A server with the default configuration. */
    static HttpServer start() {
        return start(HttpConfig.builder(), new Gate());
    }

    /** A server with these HTTP/2 limits. */
    static HttpServer start(Http2Config h2, Gate gate) {
        return start(HttpConfig.builder().http2(h2), gate);
    }

    static HttpServer start(HttpConfig.Builder config, Gate gate) {
        return TestHttp.start(config, routes(gate));
    }
}
