package dev.porter.http.h2;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real HTTP/2 clients (curl, nghttp, h2load, chromium) for the tests of this package: found on the PATH
 * (a test is skipped with a message when its program is missing; {@code .ci/run} installs them), bounded in time
 * (on timeout the program and everything it started are killed), output to files so that a chatty program never
 * blocks on a pipe.
 */
final class Programs {

    /** What a finished program left. */
    record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr);
        }

        private static String tail(String s) {
            return s.length() <= 20_000 ? s : "…" + s.substring(s.length() - 20_000);
        }
    }

    private Programs() {
    }

    /** @return the program's path, skipping the calling test (JUnit assumption) when it is not installed */
    static String require(String... names) {
        String path = System.getenv("PATH");
        for (String name : names) {
            for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
            }
        }
        Assumptions.abort(String.join(" or ", names) + " is not installed; skipping (.ci/run installs it)");
        return null;
    }

    /** Runs {@code command} without input; fails if it does not end within {@code limit}. */
    static Result run(Duration limit, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("h2-tool", ".out");
            err = Files.createTempFile("h2-tool", ".err");
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            kill(p); // a browser may leave helpers behind even after its main process exits
            if (!done) {
                throw new AssertionError(command.get(0) + " did not finish within " + limit + "\n--- stdout\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            try {
                if (out != null) Files.deleteIfExists(out);
                if (err != null) Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** Runs {@code command}; fails unless it ends within {@code limit} with exit status 0. */
    static Result ok(Duration limit, String... command) {
        Result r = run(limit, List.of(command));
        if (r.exit() != 0) throw new AssertionError(String.join(" ", command) + "\n" + r);
        return r;
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
