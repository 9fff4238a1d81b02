package dev.porter.cli;

import dev.porter.core.ServerConfig;
import dev.porter.examples.ChatRoom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code porter chat}: a chat room server. */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class,
        description = {"Runs a chat room: each line a client sends goes to every other client as '<nick> line'.",
                "Join and leave notices; commands /nick NAME, /who, /quit. A client that reads too slowly is dropped.",
                "Members silent for an hour are disconnected.",
                "Prints 'Listening on tcp://HOST:PORT' first; stops gracefully on Ctrl-C (SIGINT) or SIGTERM.",
                "Try it with two terminals: nc 127.0.0.1 PORT"})
public final class ChatCommand implements Callable<Integer> {

    /** Chat members mostly listen: a silence this long is an abandoned connection, not a quiet one. */
    static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Mixin
    TlsOptions tls;

    private int port;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7070",
            description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    void port(int p) {
        port = ServerOptions.checkPort(spec, p);
    }

    @Override
    public Integer call() {
        ServerConfig config = ServerConfig.of(server.bind, port).withIdleTimeout(IDLE_TIMEOUT);
        return ServerCommands.serveUntilSignalled(config, new ChatRoom(), server.grace, tls,
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
