package dev.porter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code porter} command: the entry point of the launcher script. */
@Command(name = "porter", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class,
        description = "Porter: a socket server toolkit and web server on the JVM (one virtual thread per client socket).",
        subcommands = {
                CommandLine.HelpCommand.class,
                ServeCommand.class,
                GetCommand.class,
                DemoCommand.class,
                EchoCommand.class,
                ChatCommand.class,
                SendCommand.class,
                ProxyCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the CLI and exits with its code (an {@link ExitCode}: 0 success, 1 failure, 2 usage error, curl's for get). */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI without exiting (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** @return the {@code porter} command line, as {@link #run} executes it */
    static CommandLine commandLine() {
        // picocli would replace an argument @FILE by the words of FILE; in "porter get -d @FILE", as in curl, it
        // names a file whose bytes are the body, and no command reads its arguments from a file.
        return new CommandLine(new Main()).setExpandAtFiles(false);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
