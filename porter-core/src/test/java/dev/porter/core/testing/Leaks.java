package dev.porter.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Leak checks for tests: Porter's platform threads (all named {@code porter-*}: the welcome socket's accept
 * thread, the idle poller, the write watchdog) and open sockets of this process.
 *
 * <p>Both checks wait (bounded) rather than look once, because threads and sockets end asynchronously: the write
 * watchdog, for instance, exits within a quarter second of the last connection closing.
 */
public final class Leaks {

    /** Prefix of every platform thread Porter starts. */
    public static final String THREAD_PREFIX = "porter-";

    private Leaks() {
    }

    /** @return live platform threads whose name starts with {@code porter-} */
    public static List<Thread> porterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isVirtual() && t.getName().startsWith(THREAD_PREFIX))
                .toList();
    }

    /**
     * Waits until no {@code porter-*} platform thread is alive.
     *
     * @throws AssertionError naming each survivor with its stack if some remain after {@link TestServers#TIMEOUT}
     */
    public static void awaitNoPorterThreads() {
        try {
            Await.until("no porter-* platform thread is left", () -> porterThreads().isEmpty());
        } catch (AssertionError e) {
            String survivors = porterThreads().stream()
                    .map(t -> t.getName() + " " + t.getState() + "\n    at "
                            + Arrays.stream(t.getStackTrace()).map(String::valueOf).collect(Collectors.joining("\n    at ")))
                    .collect(Collectors.joining("\n"));
            throw new AssertionError("leaked threads:\n" + survivors, e);
        }
    }

    /**
     * Counts this process's open sockets (TCP, UDP and Unix) through {@code /proc/self/fd}.
     *
     * @return the count, or -1 where {@code /proc} is not available (not Linux): callers then skip the check
     */
    public static int openSockets() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) return -1;
        try (Stream<Path> list = Files.list(fds)) {
            return (int) list.filter(Leaks::isSocket).count();
        } catch (IOException e) {
            return -1; // /proc unreadable (a sandbox): the check is skipped, not failed
        }
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException e) {
            return false; // the descriptor closed while listing: not an open socket
        }
    }

    /**
     * Waits until at most {@code limit} sockets are open (see {@link #openSockets()}); does nothing off Linux.
     *
     * @throws AssertionError if more stay open after {@link TestServers#TIMEOUT}
     */
    public static void awaitOpenSocketsAtMost(int limit) {
        if (openSockets() < 0) return;
        Await.until("at most " + limit + " sockets are open (now " + openSockets() + ")", () -> openSockets() <= limit);
    }
}
