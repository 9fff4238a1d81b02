package dev.porter.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code porter serve ...} in a forked JVM (the real entry point, real stdout/stderr pipes, real signals), with
 * its output lines readable with a time limit. Closing kills it if it still runs.
 */
final class ServeProcess implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    final Process process;
    private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> err = new LinkedBlockingQueue<>();

    private ServeProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), out, "stdout");
        pump(process.getErrorStream(), err, "stderr");
    }

    /** Starts {@code porter ARGS} with {@code cwd} as its working directory. */
    static ServeProcess start(Path cwd, String... args) throws IOException {
        return start(cwd, java.util.Map.of(), args);
    }

    /** Starts {@code porter ARGS} in {@code cwd} with these environment variables added. */
    static ServeProcess start(Path cwd, java.util.Map<String, String> env, String... args) throws IOException {
        return start(cwd, env, List.of(), args);
    }

    /**
     * Starts {@code porter ARGS} in {@code cwd} through {@code launcher}, a program that runs the rest of its command
     * line in its own process ({@code nohup}, {@code env --default-signal=HUP}), so {@link #process}'s pid is porter's.
     */
    static ServeProcess start(Path cwd, java.util.Map<String, String> env, List<String> launcher, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(java, "-Xmx128m", "-cp", cp, Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove("NO_COLOR");
        pb.environment().putAll(env);
        return new ServeProcess(pb.start());
    }

    private static void pump(InputStream in, BlockingQueue<String> q, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) q.add(l);
            } catch (IOException e) {
                q.add("<" + name + " failed: " + e + ">"); // shows up in the assertion that reads it
            } finally {
                q.add(EOF);
            }
        }, "serve-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** @return the next stdout line, or null at end of output; fails after {@code limit} */
    String line(Duration limit) throws InterruptedException {
        return take(out, limit);
    }

    /** @return the next stderr line, or null at end of output; fails after {@code limit} */
    String errLine(Duration limit) throws InterruptedException {
        return take(err, limit);
    }

    private static String take(BlockingQueue<String> q, Duration limit) throws InterruptedException {
        String l = q.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (l == null) throw new AssertionError("no output line within " + limit);
        return l.equals(EOF) ? null : l;
    }

    /** Sends {@code signal} (for example {@code HUP}) with {@code kill}. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new AssertionError("kill -" + signal + " failed");
    }

    /** Waits for the exit. @return the exit code */
    int exit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("porter did not exit within " + limit);
        }
        return process.exitValue();
    }

    /** @return every remaining stdout line, after the process ended */
    List<String> rest(Duration limit) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String l; (l = line(limit)) != null; ) lines.add(l);
        return lines;
    }

    /** @return every remaining stderr line, after the process ended */
    List<String> errRest(Duration limit) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String l; (l = errLine(limit)) != null; ) lines.add(l);
        return lines;
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the kill was sent; the caller's interrupt is kept
        }
    }
}
