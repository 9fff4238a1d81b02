package dev.porter.cli;

import dev.porter.core.testing.TestServers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pieces of the load-balancer tests: {@code porter demo} nodes as child processes on fixed loopback ports, the
 * shipped configurations in {@code deploy/}, a balancer process (HAProxy, nginx), and one raw HTTP request from a
 * chosen loopback source address (127.0.0.2, so the client differs from the balancer, which connects from
 * 127.0.0.1).
 */
final class Backends {

    /** The address the test's client connects from: not the balancer's, and not a trusted proxy. */
    static final String CLIENT = "127.0.0.2";

    private Backends() {
    }

    /** A {@code porter demo} child process on {@code port}. */
    record Node(PorterProcess process, int port) implements AutoCloseable {

        /** Starts {@code porter demo -p PORT --access-log ARGS} and waits for its Listening line. */
        static Node start(int port, String... args) {
            List<String> all = new ArrayList<>(List.of("demo", "-p", Integer.toString(port), "--access-log"));
            all.addAll(List.of(args));
            PorterProcess p = PorterProcess.start(all.toArray(String[]::new));
            String first = p.nextLine();
            assertThat(first).as("first line; stderr: %s", p.stderr()).startsWith("Listening on").endsWith(":" + port);
            return new Node(p, port);
        }

        /** Reads output lines until one matches; fails if the output ends or a line is late. */
        String awaitLine(Predicate<String> wanted) {
            for (String line; (line = process.nextLine()) != null; ) {
                if (wanted.test(line)) return line;
            }
            throw new AssertionError("porter on " + port + " ended without the expected line; stderr: " + process.stderr());
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** @return the shipped file {@code deploy/NAME} with the example ports replaced by these */
    static String deployFile(String name, int front, int first, int second) throws IOException {
        Path file = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy").resolve(name);
        assertThat(file).as("the shipped configuration").exists();
        return Files.readString(file).replace("127.0.0.1:8080", "127.0.0.1:" + front)
                .replace("127.0.0.1:8081", "127.0.0.1:" + first).replace("127.0.0.1:8082", "127.0.0.1:" + second);
    }

    /** @return the program's path, or skips the test when it is not installed (.ci/run installs it) */
    static Path require(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/local/sbin"}) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        assumeTrue(false, program + " is not installed; skipping (.ci/run installs it)");
        return null;
    }

    /** A balancer child process, output in a file, stopped (SIGTERM, then killed) on close. */
    record Balancer(Process process, Path log) implements AutoCloseable {

        static Balancer start(Path dir, String... command) throws IOException {
            Path log = dir.resolve("balancer.log");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Balancer(p, log);
        }

        /** Waits until {@code port} answers a request through the balancer with 200. */
        void awaitServing(int port) throws IOException {
            long deadline = System.nanoTime() + TestServers.TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("the balancer runs; its log: %s", Files.readString(log)).isTrue();
                try {
                    if (get(port, "/plaintext", "").startsWith("HTTP/1.1 200")) return;
                } catch (UncheckedIOException e) {
                    // not listening yet
                }
                sleep(Duration.ofMillis(50));
            }
            throw new AssertionError("the balancer did not serve in time; its log: " + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** @return the whole response to one GET on a fresh connection from {@link #CLIENT} (Connection: close) */
    static String get(int port, String path, String extraFields) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(CLIENT, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout((int) TestServers.TIMEOUT.toMillis());
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraFields
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
