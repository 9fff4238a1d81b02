package dev.porter.cli;

import dev.porter.core.OverflowPolicy;
import dev.porter.examples.DemoApp;
import dev.porter.http.AccessLog;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code porter demo}: the reference HTTP app (see {@link DemoApp}). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Serve the reference HTTP app: GET /plaintext, GET /json, GET|HEAD|OPTIONS /, POST / (echo body), POST /echo (echo headers).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-p", "--port"}, description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port = 8080;

    @Option(names = {"-b", "--bind"}, description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String bind = "127.0.0.1";

    @Option(names = "--static", paramLabel = "DIR", description = "Also serve the files of DIR under /static/.")
    Path staticDir;

    @Option(names = "--max-body", paramLabel = "BYTES", description = "Largest request body accepted. Default: ${DEFAULT-VALUE}.")
    long maxBody = Long.MAX_VALUE;

    @Option(names = "--access-log", description = "Print one Combined Log Format line per request.")
    boolean accessLog;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Most connections open at once; more are closed at once. Default: ${DEFAULT-VALUE}.")
    int maxConnections = 10_000;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Router router = DemoApp.router();
        if (staticDir != null) StaticMount.mount(router, "/static", staticDir);
        HttpConfig.Builder builder = HttpConfig.builder().host(bind).port(port);
        builder.server(builder.build().server().withMaxConnections(maxConnections, OverflowPolicy.CLOSE));
        HttpConfig config = builder.maxBodySize(maxBody)
                .accessLog(accessLog ? AccessLog.combined(System.out::println) : null).build();
        HttpServer server;
        try {
            server = HttpServer.start(config, router);
        } catch (java.net.BindException e) {
            System.err.println("porter demo: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
            return ExitCode.FAILURE.code();
        }
        System.out.println("Listening on " + Addresses.format(server.address()));
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(5)), "porter-shutdown"));
        server.awaitStop();
        return ExitCode.OK.code();
    }
}
