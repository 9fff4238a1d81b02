package dev.porter.cli;

import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAProxy (Debian's) in front of two {@code porter demo} processes with the shipped {@code deploy/haproxy.cfg}:
 * PROXY protocol v2 to the backends and HTTP health checks of the status page's readyz. The real client reaches
 * Porter's access log, and a rolling restart of both backends under load, drained on SIGTERM (readyz 503 while
 * still serving), fails no request.
 */
class HaproxyTest {

    static final String[] NODE_ARGS = {"--proxy-protocol", "--trusted-proxy", "127.0.0.1", "--status", "--drain-grace", "3s"};

    @Test
    void sendProxyV2NamesTheRealClientAndHealthChecksPass(@TempDir Path dir) throws Exception {
        Path haproxy = Backends.require("haproxy");
        int front = TestServers.freePort();
        int p1 = TestServers.freePort();
        int p2 = TestServers.freePort();
        try (Backends.Node a = Backends.Node.start(p1, NODE_ARGS);
             Backends.Node b = Backends.Node.start(p2, NODE_ARGS);
             Backends.Balancer lb = start(haproxy, dir, front, p1, p2)) {
            lb.awaitServing(front);
            for (Backends.Node node : List.of(a, b)) {
                // The checks: readyz with a LOCAL header, so the socket's own address (HAProxy's) is logged.
                node.awaitLine(l -> l.startsWith("127.0.0.1 - - [") && l.contains("\"GET /.porter/readyz HTTP/1.1\" 200"));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(Backends.get(front, "/plaintext", "X-Forwarded-For: 6.6.6.6\r\n")).startsWith("HTTP/1.1 200");
            }
            for (Backends.Node node : List.of(a, b)) {
                String line = node.awaitLine(l -> l.contains("\"GET /plaintext HTTP/1.1\" 200") && !l.startsWith("127.0.0.1 "));
                assertThat(line).as("the client HAProxy named, not HAProxy and not the forged field")
                        .startsWith(Backends.CLIENT + " - - [");
            }
            String direct;
            try {
                direct = Backends.get(p1, "/plaintext", "");
            } catch (java.io.UncheckedIOException e) {
                direct = ""; // reset: closed with the request unread
            }
            assertThat(direct).as("a direct client is no trusted proxy: closed unanswered").isEmpty();
        }
    }

    @Test
    void rollingRestartOfBothBackendsUnderLoadFailsNoRequest(@TempDir Path dir) throws Exception {
        Path haproxy = Backends.require("haproxy");
        int front = TestServers.freePort();
        int[] ports = {TestServers.freePort(), TestServers.freePort()};
        Backends.Node[] nodes = {Backends.Node.start(ports[0], NODE_ARGS), Backends.Node.start(ports[1], NODE_ARGS)};
        Load load = null;
        try (Backends.Balancer lb = start(haproxy, dir, front, ports[0], ports[1])) {
            lb.awaitServing(front);
            load = Load.start(front, 4);
            for (int i = 0; i < 2; i++) {
                nodes[i].awaitLine(l -> l.contains("GET /plaintext")); // serving its share before the restart
                int exit = nodes[i].process().terminate();
                assertThat(exit).as("a clean stop after the drain; stderr: %s", nodes[i].process().stderr()).isIn(0, 143);
                nodes[i].awaitLine(l -> l.startsWith("Draining: readyz answers 503"));
                nodes[i] = Backends.Node.start(ports[i], NODE_ARGS);
                // HAProxy sends load to it again only once its checks rise: then it logs a load request.
                nodes[i].awaitLine(l -> l.contains("GET /plaintext"));
            }
            load.stop();
            System.out.println("rolling restart behind HAProxy: " + load.ok.get() + " requests answered, "
                    + load.failures.size() + " failed");
            assertThat(load.failures).as("failed requests during the rolling restart").isEmpty();
            assertThat(load.ok.get()).as("requests answered 200").isGreaterThan(100);
        } finally {
            if (load != null) load.stop();
            for (Backends.Node n : nodes) n.close();
        }
    }

    static Backends.Balancer start(Path haproxy, Path dir, int front, int p1, int p2) throws IOException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, Backends.deployFile("haproxy.cfg", front, p1, p2));
        return Backends.Balancer.start(dir, haproxy.toString(), "-db", "-f", cfg.toString());
    }

    /** A bounded load: a few client threads sending GET /plaintext through the balancer until stopped (60 s at most). */
    static final class Load {
        final AtomicLong ok = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        static Load start(int port, int threads) {
            Load load = new Load();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/plaintext"))
                    .timeout(Duration.ofSeconds(10)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; i < threads; i++) {
                load.threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                    while (load.running.get() && System.nanoTime() < deadline) {
                        try {
                            HttpResponse<String> r = load.client.send(request, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && r.body().equals("Hello, World!")) load.ok.incrementAndGet();
                            else load.failures.add(r.statusCode() + " " + r.body());
                        } catch (IOException e) {
                            load.failures.add(e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            return load;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) t.join(TestServers.TIMEOUT.toMillis());
            client.close();
        }
    }
}
