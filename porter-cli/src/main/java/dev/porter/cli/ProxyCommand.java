package dev.porter.cli;

import dev.porter.core.Client;
import dev.porter.core.ClientTls;
import dev.porter.core.KeySource;
import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;
import dev.porter.http.AccessLog;
import dev.porter.http.AsyncAccessLog;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code porter proxy}: a reverse proxy in front of one group of backends ({@link ProxyHandler}). Prints
 * {@code Listening on http://HOST:PORT} first ({@code https://} with {@code --tls}, then the certificate's lines),
 * then {@code Proxying to URL, URL (BALANCE)} (and {@code Status page at URL} with {@code --status}); stops gracefully
 * on SIGINT or SIGTERM, draining first with {@code --drain-grace} as the other server commands do ({@link Drain}).
 * With {@code --status} the proxy answers {@code /.porter/…} itself and never forwards it. A port in use or a bad TLS
 * key is one line on stderr and exit 1; a bad option value is a usage error (exit 2).
 *
 * <p>One group only, no route file: a route file would be a configuration format to design, version and
 * validate, and the cases it serves (several groups under several prefixes, beside static files) are a few lines
 * of Java with {@link dev.porter.http.Router#mountAll} and one {@link ProxyHandler} per group.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class, sortOptions = false,
        description = {"Reverse proxy: forward every request to one group of backends (--to, repeated), balanced, "
                + "health-checked, retried once on another backend when that repeats no effect.",
            "Bodies stream both ways; 502 when a backend fails, 504 when it times out."})
final class ProxyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--to", paramLabel = "URL", required = true,
            description = "A backend, http://HOST:PORT (repeat for a group).")
    List<String> upstreams;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Port to listen on (0 = any free port). Default: 8080, or 8443 with --tls.")
    Integer port;

    @Mixin
    ServerOptions server;

    @Option(names = "--balance", paramLabel = "round-robin|least-conn", defaultValue = "round-robin",
            description = "How a backend is chosen. Default: ${DEFAULT-VALUE}.")
    String balance;

    @Option(names = "--sticky", paramLabel = "ip|cookie",
            description = "Keep a client on one backend: by a hash of its address, or by a cookie the proxy sets.")
    String sticky;

    @Option(names = "--health-path", paramLabel = "PATH",
            description = "Check each backend with GET PATH (2xx/3xx is healthy); off unless given.")
    String healthPath;

    @Option(names = "--health-interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between checks. Default: ${DEFAULT-VALUE}.")
    double healthInterval;

    @Option(names = "--rise", paramLabel = "N", defaultValue = "2", description = "Good checks in a row that bring a backend up. Default: ${DEFAULT-VALUE}.")
    int rise;

    @Option(names = "--fall", paramLabel = "N", defaultValue = "3", description = "Failed checks in a row that take it down. Default: ${DEFAULT-VALUE}.")
    int fall;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Longest wait for a connection to a backend. Default: ${DEFAULT-VALUE}.")
    double connectTimeout;

    @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest a backend may stay silent. Default: ${DEFAULT-VALUE}.")
    double readTimeout;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Longest a whole exchange with the backends may take, body included. Default: none.")
    Double totalTimeout;

    @Option(names = "--buffer-requests", paramLabel = "SIZE",
            description = "Read each request body (up to SIZE, e.g. 10m; more is 413) before contacting a backend: "
                    + "the first MiB in memory, the rest in a temp file.")
    String bufferRequests;

    // The same name as on serve, demo, echo and chat (BalancerOptions): a proxy trusted to name clients.
    @Option(names = "--trusted-proxy", paramLabel = "ADDR[/BITS]",
            description = "A proxy in front whose X-Forwarded-* and Forwarded fields are kept and appended to "
                    + "(repeatable); from other peers they are replaced. Default: none.")
    List<String> trusted = List.of();

    @Option(names = "--send-proxy", paramLabel = "v1|v2",
            description = "Open each backend connection with a PROXY protocol header (v1 text, v2 binary) naming the "
                    + "client; backend connections are then reused only for the same client. Default: none.")
    String sendProxy;

    @Option(names = "--upstream-cacert", paramLabel = "FILE",
            description = "Trust https:// backends whose certificate this PEM authority signed (or this self-signed "
                    + "certificate), instead of the JDK's trusted authorities; the backend's name is still checked.")
    Path upstreamCaCert;

    @Option(names = "--upstream-cert", paramLabel = "FILE",
            description = "Present this client certificate chain (PEM, leaf first) to https:// backends that ask for "
                    + "one (mutual TLS); with --upstream-key.")
    Path upstreamCert;

    @Option(names = "--upstream-key", paramLabel = "FILE", description = "The private key of --upstream-cert (PEM).")
    Path upstreamKey;

    @Option(names = "--max-tunnels", paramLabel = "N", defaultValue = "1024",
            description = "WebSocket tunnels open at once; more upgrades are answered 503. Default: ${DEFAULT-VALUE}.")
    int maxTunnels;

    @Option(names = "--tunnel-idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Close a WebSocket tunnel with no byte either way for this long. Default: ${DEFAULT-VALUE}.")
    double tunnelIdle;

    @Option(names = "--access-log", description = "Print one Combined Log Format line per request.")
    boolean accessLog;

    @Mixin
    StatusOptions statusOptions;

    /** As BalancerOptions' (whose --trusted-proxy means another thing here, so it is not mixed in whole). */
    private Duration drainGrace = Duration.ZERO;

    @Option(names = "--drain-grace", paramLabel = "DURATION", description = BalancerOptions.DRAIN_GRACE_HELP)
    void drainGrace(String value) {
        drainGrace = BalancerOptions.duration(spec, "--drain-grace", value);
    }

    @Mixin
    LogQueueOption logQueue;

    @Mixin
    TlsOptions tls;

    @Override
    public Integer call() throws InterruptedException {
        tls.check();
        int port = ServerOptions.checkPort(spec, this.port != null ? this.port : tls.enabled() ? HttpsOptions.DEFAULT_TLS_PORT : 8080);
        ProxyConfig config = config();
        TlsOptions.Setup setup = null;
        try {
            // The upstream key and trust files, read now: one line if bad. Only when named: the JDK's own trust
            // store costs ~130 ms to load, which a proxy with http:// backends never needs.
            if (upstreamCaCert != null || upstreamCert != null) Client.check(config.upstreamTls());
            if (tls.enabled()) setup = tls.setup();
        } catch (TlsSetupException e) {
            return fail(e.getMessage());
        }
        AsyncAccessLog log = accessLog ? logQueue.start("porter proxy", AccessLog.Entry::combined) : null;
        HttpConfig.Builder http = HttpConfig.builder().host(server.bind).port(port).maxBodySize(Long.MAX_VALUE).accessLog(log);
        if (setup != null) http.tls(setup.config());
        // The page's paths are answered by the server in front of the handler: never forwarded (docs/proxy.md).
        if (statusOptions.on) http.statusPage(statusOptions.page(drainGrace));
        ProxyHandler handler = ProxyHandler.of(config);
        HttpServer s;
        try {
            s = HttpServer.start(http.build(), handler);
        } catch (TlsSetupException e) {
            handler.close();
            logQueue.close(log);
            return fail(e.getMessage());
        } catch (UnknownHostException e) {
            handler.close();
            logQueue.close(log);
            return fail("cannot listen on " + ServerCommands.display(server.bind, port) + ": unknown address " + server.bind);
        } catch (IOException e) {
            handler.close();
            logQueue.close(log);
            return fail("cannot listen on " + ServerCommands.display(server.bind, port) + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        // Before the first line: a script that reads it may signal at once.
        Signals.forServer("porter proxy", setup, s::reloadTls, LogQueueOption.lines(log), System.err::println);
        System.out.println("Listening on " + (setup != null ? "https://" : "http://") + Addresses.format(s.address()));
        System.out.println("Proxying to " + String.join(", ", upstreams) + " (" + balance
                + (sticky != null ? ", sticky by " + sticky : "") + (healthPath != null ? ", checking " + healthPath : "")
                + (sendProxy != null ? ", PROXY " + sendProxy.toLowerCase(Locale.ROOT) : "") + ")");
        if (statusOptions.on) System.out.println("Status page at " + (setup != null ? "https://" : "http://") + Addresses.format(s.address()) + "/.porter/status");
        if (setup != null) setup.describe("curl --cacert {ca} https://localhost:" + s.port() + "/").forEach(System.out::println);
        System.out.flush();
        Duration grace = server.grace;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Drain.run(Drain.of(s, null), drainGrace, statusOptions.on, grace, LogQueueOption.lines(log));
            handler.close();
            logQueue.close(log);
        }, "porter-shutdown"));
        s.awaitStop();
        return ExitCode.OK.code();
    }

    /** @throws ParameterException (exit 2) for a value out of range */
    private ProxyConfig config() {
        ProxyConfig.Builder b = ProxyConfig.builder();
        try {
            for (String u : upstreams) b.upstream(u);
            b.balance(switch (balance.toLowerCase(Locale.ROOT)) {
                case "round-robin" -> ProxyConfig.Balance.ROUND_ROBIN;
                case "least-conn" -> ProxyConfig.Balance.LEAST_CONNECTIONS;
                default -> throw usage("--balance must be round-robin or least-conn: " + balance);
            });
            if (sticky != null) {
                b.sticky(switch (sticky.toLowerCase(Locale.ROOT)) {
                    case "ip" -> ProxyConfig.Sticky.CLIENT_ADDRESS;
                    case "cookie" -> ProxyConfig.Sticky.COOKIE;
                    default -> throw usage("--sticky must be ip or cookie: " + sticky);
                });
            }
            if (healthPath != null) {
                Duration interval = seconds(healthInterval, "--health-interval");
                Duration checkTimeout = interval.compareTo(Duration.ofSeconds(1)) < 0 ? interval : Duration.ofSeconds(1);
                b.health(new ProxyConfig.HealthCheck(healthPath, interval, checkTimeout, rise, fall));
            }
            b.connectTimeout(seconds(connectTimeout, "--connect-timeout")).readTimeout(seconds(readTimeout, "--read-timeout"));
            if (totalTimeout != null) b.totalTimeout(seconds(totalTimeout, "--timeout"));
            if (bufferRequests != null) b.buffering(ProxyConfig.Buffering.upTo(size(bufferRequests)));
            for (String t : trusted) b.trustedProxy(t);
            if (sendProxy != null) {
                b.sendProxy(switch (sendProxy.toLowerCase(Locale.ROOT)) {
                    case "v1", "1" -> ProxyConfig.SendProxy.V1;
                    case "v2", "2" -> ProxyConfig.SendProxy.V2;
                    default -> throw usage("--send-proxy must be v1 or v2: " + sendProxy);
                });
            }
            ClientTls upstream = ClientTls.defaults();
            if (upstreamCaCert != null) {
                checkCaFile(upstreamCaCert); // said now, not as a 502 for every request once traffic comes
                upstream = upstream.withTrust(new TrustSource.CaFile(upstreamCaCert));
            }
            if ((upstreamCert == null) != (upstreamKey == null)) throw usage("--upstream-cert and --upstream-key go together");
            if (upstreamCert != null) upstream = upstream.withClientCertificate(new KeySource.Pem(upstreamCert, upstreamKey));
            b.upstreamTls(upstream);
            b.maxTunnels(maxTunnels).tunnelIdleTimeout(seconds(tunnelIdle, "--tunnel-idle-timeout"));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private Duration seconds(double s, String option) {
        if (!(s > 0) || s > 1e9) throw usage(option + " must be a positive number of seconds: " + s);
        return Duration.ofNanos((long) (s * 1e9));
    }

    /** @return bytes for {@code 1048576}, {@code 512k}, {@code 10m} or {@code 1g} (powers of 1024) */
    private long size(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0 || n > Long.MAX_VALUE / unit) throw new NumberFormatException();
            return n * unit;
        } catch (NumberFormatException e) {
            throw usage("--buffer-requests must be a size such as 65536, 512k, 10m or 1g: " + text);
        }
    }

    /** The file must hold at least one PEM certificate (read by the JDK's X.509 factory, as the client will). */
    private void checkCaFile(Path file) {
        try (var in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw usage("--upstream-cacert: no certificate in " + file);
            }
        } catch (IOException e) {
            throw usage("--upstream-cacert: cannot read " + file);
        } catch (CertificateException e) {
            throw usage("--upstream-cacert: no certificate in " + file + " (" + e.getMessage() + ")");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static int fail(String message) {
        System.err.println("porter proxy: " + message);
        return ExitCode.FAILURE.code();
    }
}
