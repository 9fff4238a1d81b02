package dev.porter.cli;

import dev.porter.core.OverflowPolicy;
import dev.porter.core.TlsSetupException;
import dev.porter.examples.DemoApp;
import dev.porter.http.AccessLog;
import dev.porter.http.AsyncAccessLog;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code porter demo}: the reference HTTP app (see {@link DemoApp}). Prints {@code Listening on http://HOST:PORT}
 * first ({@code https://} with {@code --tls}, then the certificate's lines).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class,
        description = {"Serve the reference HTTP app: GET /plaintext, GET /json, GET|HEAD|OPTIONS /, POST / (echo body), POST /echo (echo headers), GET /sse (an event a second, ?every=MS), /ws (WebSocket echo).",
            "With --tls: HTTPS with a dev certificate for localhost made once (or --cert/--key); SIGHUP reloads it."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-p", "--port"}, description = "Port to listen on (0 = any free port). Default: 8080, or 8443 with --tls.")
    Integer port;

    @Option(names = {"-b", "--bind"}, description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String bind = "127.0.0.1";

    @Option(names = "--static", paramLabel = "DIR", description = "Also serve the files of DIR under /static/.")
    Path staticDir;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = UnlimitedLong.UNLIMITED, converter = UnlimitedLong.class,
            description = "Largest request body accepted, in bytes (or unlimited). Default: ${DEFAULT-VALUE}.")
    long maxBody;

    @Option(names = "--access-log", description = "Print one Combined Log Format line per request.")
    boolean accessLog;

    @Mixin
    LogQueueOption logQueue;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Most connections open at once; more are closed at once. Default: ${DEFAULT-VALUE}.")
    int maxConnections = 10_000;

    @Mixin
    StatusOptions statusOptions;

    @Mixin
    TlsOptions tls;

    @Mixin
    HttpsOptions https;

    @Mixin
    BalancerOptions balancer;

    @Option(names = "--trust-forwarded",
            description = "Believe Forwarded / X-Forwarded-For / X-Forwarded-Proto from the trusted proxies (--trusted-proxy, "
                    + "default loopback): handlers and the access log then see the client and scheme they name.")
    boolean trustForwarded;

    @Override
    public Integer call() throws InterruptedException {
        https.check(tls);
        int port = this.port != null ? this.port : tls.enabled() ? HttpsOptions.DEFAULT_TLS_PORT : 8080;
        Router router = DemoApp.router();
        if (staticDir != null) {
            try {
                StaticMount.mount(router, "/static", staticDir);
            } catch (IOException e) {
                return fail("cannot serve " + staticDir + " (--static): " + FileErrors.reason(e));
            }
        }
        TlsOptions.Setup setup = null;
        try {
            if (tls.enabled()) setup = tls.setup();
        } catch (TlsSetupException e) {
            return fail(e.getMessage());
        }
        AsyncAccessLog log = accessLog ? logQueue.start("porter demo", AccessLog.Entry::combined) : null;
        HttpConfig.Builder builder = HttpConfig.builder().host(bind).port(port);
        builder.server(builder.build().server().withMaxConnections(maxConnections, OverflowPolicy.CLOSE));
        if (statusOptions.on) builder.statusPage(statusOptions.page(balancer.drainGrace));
        HttpConfig config = https.apply(builder.maxBodySize(maxBody).accessLog(log), setup).build();
        config = config.toBuilder().server(balancer.apply(config.server()))
                .trustedProxies(trustForwarded ? balancer.trustedProxies() : java.util.List.of()).build();
        HttpServer server;
        HttpServer redirect;
        try {
            server = HttpServer.start(config, router);
        } catch (TlsSetupException e) {
            logQueue.close(log);
            return fail(e.getMessage());
        } catch (java.net.UnknownHostException e) {
            logQueue.close(log);
            return fail("cannot listen on " + ServerCommands.display(bind, port) + ": unknown address " + bind);
        } catch (IOException | UnsupportedOperationException e) {
            logQueue.close(log);
            return fail("cannot listen on " + ServerCommands.display(bind, port) + ": " + e.getMessage());
        }
        try {
            redirect = https.startRedirect(bind, server.port(), log);
        } catch (IOException e) {
            server.close();
            logQueue.close(log);
            return fail("cannot listen on " + ServerCommands.display(bind, https.redirectPort) + " (--redirect-http): " + e.getMessage());
        }
        // SIGHUP is caught before the first line: a script that reads it may send one at once.
        Signals.forServer("porter demo", setup, server::reloadTls, LogQueueOption.lines(log), System.err::println);
        System.out.println(ServerCommands.listeningLine(setup != null ? "https" : "http", Addresses.format(server.address())));
        if (redirect != null) System.out.println("Redirecting http://" + Addresses.format(redirect.address()) + "/ to https");
        if (statusOptions.on) System.out.println("Status page at " + (setup != null ? "https://" : "http://") + Addresses.format(server.address()) + "/.porter/status");
        if (setup != null) {
            setup.describe("curl --cacert {ca} https://localhost:" + server.port() + "/").forEach(System.out::println);
        }
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Drain.run(Drain.of(server, redirect), balancer.drainGrace, statusOptions.on, Duration.ofSeconds(5),
                    LogQueueOption.lines(log));
            logQueue.close(log);
        }, "porter-shutdown"));
        server.awaitStop();
        return ExitCode.OK.code();
    }

    private static int fail(String message) {
        System.err.println("porter demo: " + message);
        return ExitCode.FAILURE.code();
    }
}
