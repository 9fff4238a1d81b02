package dev.porter.http.websocket;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real WebSocket clients of these tests (Python, Node, Chromium) with a time limit, output to files so a
 * chatty program never blocks on a pipe; on timeout the process and everything it started are killed.
 */
final class Tools {

    /** What a finished run left. */
    record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private Tools() {
    }

    /** @return the first of {@code paths} that is executable; the test is skipped when there is none */
    static String require(String what, String... paths) {
        for (String p : paths) {
            if (p.contains("/") ? Files.isExecutable(Path.of(p)) : onPath(p) != null) return p.contains("/") ? p : onPath(p);
        }
        Assumptions.abort(what + " is not installed (.ci/run installs it)");
        return null;
    }

    static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    static Result run(Path dir, Duration limit, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ws-tool", ".out");
        Path err = Files.createTempFile("ws-tool", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (!done) throw new AssertionError(command.get(0) + " did not finish within " + limit + ":\n" + stdout + stderr);
            return new Result(p.exitValue(), stdout, stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
