package dev.porter.cli;

import dev.porter.core.ServerConfig;
import dev.porter.examples.EchoProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code porter echo}: a server that sends every line straight back. */
@Command(name = "echo", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class,
        description = {"Runs an echo server: every line a client sends comes straight back.",
                "Prints 'Listening on tcp://HOST:PORT' first; stops gracefully on Ctrl-C (SIGINT) or SIGTERM.",
                "Try it with: porter send 127.0.0.1:PORT hello   (or nc 127.0.0.1 PORT)"})
public final class EchoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Mixin
    TlsOptions tls;

    private int port;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7007",
            description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    void port(int p) {
        port = ServerOptions.checkPort(spec, p);
    }

    @Override
    public Integer call() {
        ServerConfig config = ServerConfig.of(server.bind, port);
        return ServerCommands.serveUntilSignalled(config, new EchoProtocol(), server.grace, tls,
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
