package dev.porter.cli;

import dev.porter.http.AccessLog;
import dev.porter.http.AsyncAccessLog;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The access log of a server command ({@code serve}, {@code demo}, {@code proxy}) on stdout, and its
 * {@code --log-queue} (a picocli mixin). The lines go through an {@link AsyncAccessLog}: a stdout nobody reads (a
 * stuck log shipper, a terminal paused with Ctrl-S, a full pipe) never stops the server; past the queue's lines
 * they are dropped and counted.
 *
 * <p>Why the count goes to stderr and not into the log: the log stays what its format says (Common, Combined or
 * JSON lines, which GoAccess, jq and shippers parse), and stderr is where the command's warnings go, one line each
 * ({@code porter serve: 12 access log lines dropped: …}), as Jetty warns through its logger and Caddy on stderr.
 */
final class LogQueueOption {

    /** How long the stop waits for the queued lines to be written: a stuck stdout cannot hold the exit longer. */
    static final Duration FLUSH_AT_STOP = Duration.ofSeconds(5);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--log-queue", paramLabel = "LINES",
            description = "Access-log lines held while stdout is not read (a stuck log shipper, a paused terminal), "
                    + "512 characters a line on average; past that they are dropped and counted on stderr, never "
                    + "waited for. Default: ${DEFAULT-VALUE}.")
    int lines = AsyncAccessLog.DEFAULT_CAPACITY;

    /** The command whose log was started, for the last warning. */
    private String command = "porter";

    /** @throws ParameterException (exit 2) for a queue of no line */
    void check() {
        if (lines < 1) throw new ParameterException(spec.commandLine(), "--log-queue must be 1 or more lines: " + lines);
    }

    /** @return the access log of {@code command} (its name, for the warnings), writing {@code format}'s lines on stdout */
    AsyncAccessLog start(String command, Function<AccessLog.Entry, String> format) {
        check();
        this.command = command;
        return AsyncAccessLog.start(System.out, format, lines, w -> System.err.println(command + ": " + w));
    }

    /**
     * @return where the command's own stdout lines go once it serves (SIGHUP's, the drain's): through the log's queue
     *         when there is one, so they keep their place among its lines and never wait for a stuck stdout
     */
    static Consumer<String> lines(AsyncAccessLog log) {
        return log == null ? System.out::println : line -> log.text(line + "\n");
    }

    /**
     * At the end of the stop: writes the queued lines, waiting at most {@link #FLUSH_AT_STOP}. If stdout did not
     * take them, one line on stderr says how many were lost (the writer, stuck, could not say it).
     */
    void close(AsyncAccessLog log) {
        if (log == null || log.close(FLUSH_AT_STOP)) return;
        long lost = log.dropped() + log.pending();
        // stderr may be the same stuck pipe (2>&1).
        Signals.sayBriefly(() -> System.err.println(command + ": " + lost
                + " access log lines not written: stdout did not take them (is anything reading it?)"));
    }
}
