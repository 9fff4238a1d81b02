package dev.porter.cli;

import dev.porter.core.testing.TestServers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code porter} command as a real child process (this test JVM's java and class path), so tests see exactly
 * what a user sees: stdout lines, stderr, exit code, and real signals (SIGTERM, SIGINT).
 */
final class PorterProcess implements AutoCloseable {

    private static final String EOF = new String("<eof>"); // compared by identity

    private final Process process;
    private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final java.util.concurrent.CountDownLatch stderrEnded = new java.util.concurrent.CountDownLatch(1);

    private PorterProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
        Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
    }

    /** Starts {@code porter ARGS...}, with SIGINT at its default action (a test runner may have ignored it). */
    static PorterProcess start(String... args) {
        return startWithLocale(Locale.INHERITED, args);
    }

    /** The locale a started process gets: the test's own, or LANG alone (or nothing) with LC_ALL and LC_CTYPE unset. */
    record Locale(boolean inherited, String lang) {
        static final Locale INHERITED = new Locale(true, null);
    }

    /** Starts {@code porter ARGS...} with {@code locale} (as a service manager that sets none would start it). */
    static PorterProcess startWithLocale(Locale locale, String... args) {
        List<String> command = new ArrayList<>();
        if (envResetsSignals()) command.addAll(List.of("env", "--default-signal=INT"));
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (!locale.inherited()) {
                pb.environment().keySet().removeAll(List.of("LANG", "LC_ALL", "LC_CTYPE"));
                if (locale.lang() != null) pb.environment().put("LANG", locale.lang());
            }
            return new PorterProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** @return true if {@code env --default-signal} (GNU coreutils 8.31+) can undo an inherited "ignore SIGINT" */
    static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no env binary: SIGINT tests are skipped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void pump(BufferedReader r, boolean isOut) {
        try (r) {
            for (String line; (line = r.readLine()) != null; ) {
                if (isOut) stdout.add(line);
                else stderr.append(line).append('\n');
            }
        } catch (IOException e) {
            // The process ended and its pipe closed under us: everything it wrote was read.
        } finally {
            if (isOut) stdout.add(EOF);
            else stderrEnded.countDown();
        }
    }

    /**
     * @return the next stdout line, or null once stdout ended
     * @throws AssertionError if none comes in time
     */
    String nextLine() {
        try {
            String line = stdout.poll(TestServers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) throw new AssertionError("no stdout line from porter in time; stderr: " + stderr);
            if (line == EOF) {
                stdout.add(EOF); // stays at the end for later calls
                return null;
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Reads the first line, {@code Listening on SCHEME://127.0.0.1:PORT} as every server command prints it (a
     * {@code porter demo} backend, a {@code porter proxy} in front of it).
     *
     * @return the port
     */
    int listeningPort(String scheme) {
        String first = nextLine();
        assertThat(first).as("first stdout line; stderr: " + stderr())
                .matches("Listening on " + scheme + "://127\\.0\\.0\\.1:\\d+/?");
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1).replace("/", ""));
    }

    /** Sends SIGTERM and waits for the exit. @return the exit code */
    int terminate() {
        // Through the handle: Process.destroy() would also close our ends of the pipes and lose the last output.
        process.toHandle().destroy();
        return awaitExit();
    }

    /** Sends SIGTERM without waiting for the exit (to watch a drain). */
    void signalTerm() {
        process.toHandle().destroy();
    }

    /** Sends SIGINT (Ctrl-C) and waits for the exit. @return the exit code */
    int interrupt() {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new AssertionError("kill -INT failed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return awaitExit();
    }

    /** Waits for the process to end on its own. @return the exit code */
    int awaitExit() {
        try {
            if (!process.waitFor(TestServers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("porter did not exit in time; stderr: " + stderr);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return the process's stdin; closing it ends the input (what {@code porter get ws://} waits for) */
    java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    /** @return everything written to stderr so far */
    String stderr() {
        return stderr.toString();
    }

    /** @return everything the process wrote to stderr, once it ended (call after the exit) */
    String stderrAtEnd() {
        try {
            if (!stderrEnded.await(TestServers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("stderr did not end in time: " + stderr);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return stderr.toString();
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(TestServers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
