package dev.porter.http.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium loading one page with {@code --dump-dom}, as the interoperability tests of every module run it:
 * a fresh profile each time, no sandbox (CI runs as root), no GPU and none of the browser's own background traffic,
 * so that all it does is what the page asks. For a page that must stay open, or screenshots, see {@link Cdp}.
 */
public final class Chromium {

    private Chromium() {
    }

    /** @return the browser's path on the PATH; the calling test is skipped (JUnit assumption) when it has none */
    public static String require() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            String path = System.getenv("PATH");
            for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
            }
        }
        Assumptions.abort("chromium is not installed; skipping (.ci/run installs it)");
        return null;
    }

    /**
     * Loads {@code url} and returns once the page has loaded (its DOM is then on stdout). Output goes to files, so
     * a chatty browser never blocks on a pipe; the browser and every helper it started are killed when it ends.
     *
     * @param chromium from {@link #require()}
     * @param dir      where the throwaway profile is made
     * @param flags    more of Chromium's flags (certificates, virtual time)
     * @throws AssertionError if the browser does not end within {@code limit}
     */
    public static Processes.Result dumpDom(String chromium, Path dir, Duration limit, String url, String... flags)
            throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(List.of(flags));
        command.add("--dump-dom");
        command.add(url);
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            p.descendants().forEach(ProcessHandle::destroyForcibly); // helpers may outlive the main process
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (!done) throw new AssertionError("chromium did not finish within " + limit + ":\n" + stdout + stderr);
            return new Processes.Result(p.exitValue(), stdout, stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
