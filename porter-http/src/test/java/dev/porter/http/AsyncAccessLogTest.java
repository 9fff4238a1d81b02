package dev.porter.http;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.Leaks;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TestRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AsyncAccessLog}: requests never wait for the log's output; its lines are all written, in order per
 * connection, while the output keeps up; what does not fit the queue while it is stuck is dropped and counted; a
 * close writes what is queued and leaves no thread.
 */
class AsyncAccessLogTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    /** An output whose writes wait until {@link #open()}: a pipe nobody reads. Records what it was given. */
    private static final class Gate extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch opened = new CountDownLatch(1);
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int writes;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writing.countDown();
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                written.write(b, off, len);
                writes++;
            }
        }

        void open() {
            opened.countDown();
        }

        synchronized List<String> lines() {
            String s = written.toString(StandardCharsets.UTF_8);
            return s.isEmpty() ? List.of() : List.of(s.split("\n"));
        }
    }

    private static AccessLog.Entry entry(int n) {
        return new AccessLog.Entry(new InetSocketAddress("127.0.0.1", 5000), Instant.parse("2026-12-05T10:00:00Z"),
                "GET", "/n/" + n, "HTTP/1.1", 200, 1, null, null, 1000);
    }

    @Test
    void requestsAreAnsweredWhileTheOutputIsStuck() {
        Gate gate = new Gate();
        AsyncAccessLog log = AsyncAccessLog.start(gate, AccessLog.Entry::combined, 64, w -> { });
        HttpServer server = TestHttp.start(HttpConfig.builder().accessLog(log), TestRoutes.router());
        open.add(() -> {
            gate.open();
            log.close();
        });
        open.add(server);
        try (HttpWire wire = HttpWire.connect(server)) {
            // Far more lines than the queue holds, the output never taking one: each is answered all the same.
            for (int i = 0; i < 1000; i++) {
                assertThat(wire.send("GET /plaintext?n=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                        .isEqualTo(200);
            }
        }
        assertThat(log.dropped()).isPositive();
    }

    @Test
    void everyLineIsWrittenInOrderOnEachConnectionUnderLoad() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncAccessLog log = AsyncAccessLog.start(out, AccessLog.Entry::combined, AsyncAccessLog.DEFAULT_CAPACITY);
        HttpServer server = TestHttp.start(HttpConfig.builder().accessLog(log), TestRoutes.router());
        int connections = 8;
        int requests = 300;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int id = c;
                done.add(clients.submit(() -> {
                    try (HttpWire wire = HttpWire.connect(server)) {
                        for (int n = 0; n < requests; n++) {
                            wire.send("GET /plaintext?c=" + id + "&n=" + n + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) Await.result("the requests of a connection", f);
        }
        server.stop(Duration.ofSeconds(5));
        assertThat(log.close(Duration.ofSeconds(20))).isTrue();
        Map<Integer, List<Integer>> byConnection = new HashMap<>();
        Pattern p = Pattern.compile("\"GET /plaintext\\?c=(\\d+)&n=(\\d+) HTTP/1\\.1\" 200 13 ");
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher m = p.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            byConnection.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
        }
        List<Integer> all = new ArrayList<>();
        for (int n = 0; n < requests; n++) all.add(n);
        assertThat(byConnection).hasSize(connections);
        byConnection.values().forEach(ns -> assertThat(ns).isEqualTo(all));
        assertThat(log.dropped()).isZero();
    }

    @Test
    void whatDoesNotFitWhileTheOutputIsStuckIsDroppedAndCountedOnceItMovesAgain() throws Exception {
        Gate gate = new Gate();
        List<String> warnings = new CopyOnWriteArrayList<>();
        AsyncAccessLog log = AsyncAccessLog.start(gate, AccessLog.Entry::combined, 8, warnings::add);
        open.add(log);
        log.log(entry(0));
        Await.latch("the writer is stuck writing the first line", gate.writing);
        for (int n = 1; n <= 100; n++) log.log(entry(n)); // 8 fit in the queue, 92 do not
        assertThat(log.dropped()).isEqualTo(92);
        assertThat(warnings).as("nothing said while the output is stuck").isEmpty();
        gate.open();
        Await.until("the drop is reported", () -> !warnings.isEmpty());
        assertThat(warnings).containsExactly(
                "92 access log lines dropped: the output did not take them as fast as they came, and the queue was full (8 lines or 4096 characters)");
        assertThat(log.close(Duration.ofSeconds(20))).isTrue();
        assertThat(gate.lines()).hasSize(9).allMatch(l -> l.matches(".*\"GET /n/[0-8] HTTP/1\\.1\" 200 1 .*"));
    }

    @Test
    void longLinesCountForTheirLengthSoAStuckQueueHoldsAtMostCapacityTimes512Characters() {
        Gate gate = new Gate();
        AsyncAccessLog log = AsyncAccessLog.start(gate, AccessLog.Entry::combined, 8, w -> { });
        open.add(() -> {
            gate.open();
            log.close();
        });
        log.log(entry(0));
        Await.latch("the writer is stuck", gate.writing);
        String target = "/" + "t".repeat(1500);
        AccessLog.Entry longOne = new AccessLog.Entry(new InetSocketAddress("127.0.0.1", 5000), Instant.now(), "GET",
                target, "HTTP/1.1", 200, 1, null, null, 1000);
        for (int i = 0; i < 8; i++) log.log(longOne);
        // 8 lines fit the queue, but 8 x 512 = 4096 characters hold two lines of about 1600.
        assertThat(log.dropped()).isEqualTo(6);
    }

    @Test
    void aLineLongerThanTheWholeBudgetIsStillTakenIntoAnEmptyQueue() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncAccessLog log = AsyncAccessLog.start(out, AccessLog.Entry::combined, 1, w -> { });
        log.text("x".repeat(2000) + "\n");
        assertThat(log.close(Duration.ofSeconds(20))).isTrue();
        assertThat(log.dropped()).isZero();
        assertThat(out.size()).isEqualTo(2001);
    }

    @Test
    void closeWritesWhatIsQueuedInOneBatchAndEndsTheThread() {
        Gate gate = new Gate();
        AsyncAccessLog log = AsyncAccessLog.start(gate, AccessLog.Entry::combined, 100, w -> { });
        log.log(entry(0));
        Await.latch("the writer is in its first write", gate.writing);
        for (int n = 1; n <= 50; n++) log.log(entry(n));
        log.text("a server's own line\n");
        Thread opener = Thread.ofVirtual().start(gate::open);
        assertThat(log.close(Duration.ofSeconds(20))).isTrue();
        Await.join("the opener", opener);
        List<String> lines = gate.lines();
        assertThat(lines).hasSize(52);
        for (int n = 0; n <= 50; n++) assertThat(lines.get(n)).contains("\"GET /n/" + n + " HTTP/1.1\"");
        assertThat(lines.get(51)).isEqualTo("a server's own line");
        assertThat(gate.writes).as("the first line, then the 51 queued behind it at once").isEqualTo(2);
        log.log(entry(99));
        assertThat(log.dropped()).as("after the close an entry is dropped").isEqualTo(1);
    }

    @Test
    void aCloseDoesNotWaitLongerThanItsLimitForAStuckOutput() {
        Gate gate = new Gate();
        AsyncAccessLog log = AsyncAccessLog.start(gate, AccessLog.Entry::combined, 10, w -> { });
        log.log(entry(0));
        Await.latch("the writer is stuck", gate.writing);
        log.log(entry(1));
        assertThat(log.close(Duration.ofMillis(100))).as("still stuck").isFalse();
        assertThat(log.pending()).as("the line in the stuck write and the one queued").isEqualTo(2);
        gate.open(); // the writer ends once its output moves again
        assertThat(log.close(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void noThreadIsLeftOnceTheServerIsStoppedAndTheLogClosed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AsyncAccessLog log = AsyncAccessLog.start(out, AccessLog.Entry::combined, 16);
             HttpServer server = TestHttp.start(HttpConfig.builder().accessLog(log), TestRoutes.router())) {
            try (HttpWire wire = HttpWire.connect(server)) {
                wire.send("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            }
            assertThat(Leaks.porterThreads()).extracting(Thread::getName).contains("porter-access-log");
        }
        // Only this log's writer is looked for: other tests' servers may run in this JVM meanwhile.
        Await.until("the writer thread ended", () -> Leaks.porterThreads().stream()
                .noneMatch(t -> t.getName().equals("porter-access-log")));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"GET /plaintext HTTP/1.1\" 200 13");
    }

    @Test
    void anOutputThatFailsDropsItsBatchWithOneWarningAndTheNextBatchIsTried() {
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        OutputStream failingOnce = new OutputStream() {
            boolean failed;

            @Override
            public void write(int b) {
                good.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (!failed) {
                    failed = true;
                    throw new java.io.IOException("Broken pipe");
                }
                good.write(b, off, len);
            }
        };
        List<String> warnings = new CopyOnWriteArrayList<>();
        AsyncAccessLog log = AsyncAccessLog.start(failingOnce, AccessLog.Entry::combined, 8, warnings::add);
        log.log(entry(1));
        Await.until("the failure is said", () -> !warnings.isEmpty());
        log.log(entry(2));
        assertThat(log.close(Duration.ofSeconds(20))).isTrue();
        assertThat(warnings).containsExactly("access log not written: Broken pipe");
        assertThat(log.dropped()).isEqualTo(1);
        assertThat(good.toString(StandardCharsets.UTF_8)).contains("GET /n/2 ").doesNotContain("GET /n/1 ");
    }

    @Test
    void aQueueOfNoLineIsRefused() {
        assertThatThrownBy(() -> AsyncAccessLog.start(new ByteArrayOutputStream(), AccessLog.Entry::combined, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be at least 1: 0");
    }
}
