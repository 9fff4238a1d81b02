package dev.porter.http.proxy;

import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python backend in a child process: {@code python3 -m http.server} serving a directory, or the hashing
 * backend {@code sha256_backend.py} (test resources). Skips the calling test when python3 is missing.
 */
final class PythonBackend implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("port (\\d+)|^(\\d+)$");

    private final Process process;
    private final int port;

    private PythonBackend(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** {@code python3 -m http.server} on a free port serving {@code dir}. */
    static PythonBackend httpServer(Path dir) throws IOException {
        return start(List.of("-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir.toString()));
    }

    /** The hashing backend, answering GET with {@code name}. */
    static PythonBackend sha256(String name) throws IOException {
        Path script = Files.createTempFile("sha256_backend", ".py");
        try (InputStream in = PythonBackend.class.getResourceAsStream("sha256_backend.py")) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
        return start(List.of(script.toString(), name));
    }

    private static PythonBackend start(List<String> args) throws IOException {
        Assumptions.assumeTrue(Processes.onPath("python3"), "python3 is not installed");
        List<String> command = new ArrayList<>(List.of("python3", "-u"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : PORT.matcher(line.strip());
        if (m == null || !m.find()) {
            p.destroyForcibly();
            throw new IOException("python backend did not start: " + line);
        }
        int port = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        // Keep reading its output, so a chatty server never blocks on a full pipe.
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        return new PythonBackend(p, port);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
