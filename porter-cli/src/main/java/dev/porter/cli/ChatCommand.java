package dev.porter.cli;

import dev.porter.core.ServerConfig;
import dev.porter.examples.ChatRoom;
import dev.porter.examples.ChatWeb;
import dev.porter.http.HttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code porter chat}: a chat room server. */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class,
        description = {"Runs a chat room: each line a client sends goes to every other client as '<nick> line'.",
                "Join and leave notices; commands /nick NAME, /who, /quit. A client that reads too slowly is dropped.",
                "Members silent for an hour are disconnected.",
                "Prints 'Listening on tcp://HOST:PORT' first; stops gracefully on Ctrl-C (SIGINT) or SIGTERM.",
                "Try it with two terminals: nc 127.0.0.1 PORT",
                "With --web PORT, also serves a chat page on that HTTP port (second line: 'Web chat at http://HOST:PORT/'): "
                        + "people in a browser join the same room over WebSocket."})
public final class ChatCommand implements Callable<Integer> {

    /** Chat members mostly listen: a silence this long is an abandoned connection, not a quiet one. */
    static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Mixin
    TlsOptions tls;

    @Mixin
    BalancerOptions balancer;

    private int port;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7070",
            description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    void port(int p) {
        port = ServerOptions.checkPort(spec, p);
    }

    private Integer webPort;

    @Option(names = "--web", paramLabel = "PORT",
            description = "also serve the chat page on this HTTP port, the same room over WebSocket; 0 picks a free one")
    void webPort(int p) {
        webPort = ServerOptions.checkPort(spec, p);
    }

    @Override
    public Integer call() {
        ServerConfig config = ServerConfig.of(server.bind, port).withIdleTimeout(IDLE_TIMEOUT);
        ChatRoom room = new ChatRoom();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        config = balancer.apply(config);
        if (webPort == null) {
            return ServerCommands.serveUntilSignalled(config, room, server.grace, balancer.drainGrace, tls, out, err);
        }
        HttpServer web;
        try {
            web = HttpServer.start(ChatWeb.config().host(server.bind).port(webPort).build(), ChatWeb.router(room));
        } catch (IOException e) {
            err.println("porter: cannot listen on " + ServerCommands.display(server.bind, webPort) + " (--web): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            err.flush();
            return ExitCode.FAILURE.code();
        }
        // Its own hook: a signal stops both servers, each letting its conversations finish within the grace period.
        Thread hook = new Thread(() -> web.stop(server.grace), "porter-chat-web-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return ServerCommands.serveUntilSignalled(config, room, server.grace, balancer.drainGrace, tls, out, err,
                    List.of("Web chat at http://" + ServerCommands.display(server.bind, web.address()) + "/"));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                web.stop(server.grace);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook stops the web server.
            }
        }
    }
}
