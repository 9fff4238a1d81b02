package dev.porter.http;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client program (curl, wget, chromium) found on the PATH, with a time limit; on timeout the process
 * and every process it started are killed. Output goes to files, so a chatty program can never block on a pipe.
 */
final class ExternalTool {

    /** What a finished run left. */
    record Result(int exit, String stdout, String stderr) {
    }

    private ExternalTool() {
    }

    /** @return the program's path on the PATH, or null when it is not installed */
    static Path find(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Runs {@code command} in {@code dir}; fails if it does not end within {@code limit}. */
    static Result run(List<String> command, Path dir, Duration limit) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new AssertionError(command.get(0) + " did not finish within " + limit + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            kill(p); // a browser may leave helpers behind even after its main process exits
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
