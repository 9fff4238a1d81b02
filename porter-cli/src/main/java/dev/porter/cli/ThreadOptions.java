package dev.porter.cli;

import dev.porter.core.ServerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which threads a server command's conversations run on (a picocli mixin); see {@link ServerConfig#platformThreads()}. */
public final class ThreadOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    int platformThreads;

    @Option(names = "--platform-threads", paramLabel = "N", defaultValue = "0",
            description = "Serve up to N connections at once on pooled platform threads, the others on virtual threads "
                    + "(0: all virtual). Default: ${DEFAULT-VALUE}.")
    void platformThreads(int n) {
        if (n < 0) throw new ParameterException(spec.commandLine(), "--platform-threads must be 0 or more: " + n);
        platformThreads = n;
    }

    /** @return {@code config} with the platform threads asked for */
    ServerConfig apply(ServerConfig config) {
        return config.withPlatformThreads(platformThreads);
    }
}
