package dev.porter.http.wsclient;

import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script run as a server for the client tests, with Node's {@code ws} package installed by npm into
 * {@code target/node} once (kept between runs; the server tests of dev.porter.http.websocket use the same
 * folder). Its stdout lines are kept for the test to wait on; it is stopped by its process, never by name.
 * Skipped (an aborted assumption) when node or npm is missing, or npm cannot install {@code ws}.
 */
final class NodeServer implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> unclaimed = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    private NodeServer(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> pump(true));
        Thread.ofVirtual().start(() -> pump(false));
    }

    /** Writes {@code script} into the node folder as {@code name} and runs it. */
    static NodeServer start(String name, String script) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Processes.onPath("node") && Processes.onPath("npm"), "node and npm are not installed (.ci/run installs them)");
        Path dir = Path.of("target", "node").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules/ws"))) {
            Files.createDirectories(dir);
            Processes.Result r = Processes.run(Duration.ofMinutes(3), "npm", "install", "--no-audit", "--no-fund",
                    "--prefix", dir.toString(), "ws@8");
            Assumptions.assumeTrue(r.exit() == 0, "npm could not install ws: " + r);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, script);
        return new NodeServer(new ProcessBuilder("node", file.toString()).directory(dir.toFile()).start());
    }

    private void pump(boolean out) {
        var stream = out ? process.getInputStream() : process.getErrorStream();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (out) lines.add(line);
                else stderr.append(line).append('\n');
            }
        } catch (IOException e) {
            // The process ended: everything it wrote was read.
        }
    }

    /** @return the first stdout line (the script's "listening PORT…") */
    String firstLine() throws InterruptedException {
        return awaitLine("");
    }

    /** @return the first stdout line not yet claimed that starts with {@code prefix}, waiting for it */
    synchronized String awaitLine(String prefix) throws InterruptedException {
        for (int i = 0; i < unclaimed.size(); i++) {
            if (unclaimed.get(i).startsWith(prefix)) return unclaimed.remove(i);
        }
        long until = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("node printed no line starting with '" + prefix + "'; unclaimed: " + unclaimed
                        + "; stderr: " + stderr);
            }
            if (line.startsWith(prefix)) return line;
            unclaimed.add(line);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
