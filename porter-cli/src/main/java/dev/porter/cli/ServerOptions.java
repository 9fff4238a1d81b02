package dev.porter.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/**
 * Options every server command shares (a picocli mixin): the address to bind and the grace period of a stop.
 * The port is each command's own option, since each has its own default.
 */
public final class ServerOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Address to bind; {@code 0.0.0.0} or {@code ::} for every interface. Brackets around IPv6 are allowed. */
    String bind = "127.0.0.1";

    /** How long conversations in flight may take to finish after SIGINT/SIGTERM. */
    Duration grace = Duration.ofSeconds(5);

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address to listen on: 127.0.0.1 (default), ::1, 0.0.0.0 or :: for every interface")
    void bind(String address) {
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
        if (a.isEmpty()) throw new ParameterException(spec.commandLine(), "--bind needs an address, e.g. 127.0.0.1");
        bind = a;
    }

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "5",
            description = "on SIGINT/SIGTERM, seconds to let conversations in flight finish (default: ${DEFAULT-VALUE})")
    void grace(int seconds) {
        if (seconds < 0) throw new ParameterException(spec.commandLine(), "--grace must be 0 or more seconds: " + seconds);
        grace = Duration.ofSeconds(seconds);
    }

    /**
     * Checks a port given on the command line.
     *
     * @throws ParameterException (a usage error, exit code 2) unless 0..65535
     */
    static int checkPort(CommandSpec spec, int port) {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535 (0 picks a free port): " + port);
        }
        return port;
    }
}
