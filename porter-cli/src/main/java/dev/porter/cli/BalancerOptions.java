package dev.porter.cli;

import dev.porter.core.AddressRange;
import dev.porter.core.ProxyProtocolConfig;
import dev.porter.core.ServerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Options for running behind a load balancer, shared by every server command (a picocli mixin): the PROXY
 * protocol, the proxies trusted to name clients, SO_REUSEPORT, and the drain on SIGTERM.
 */
public final class BalancerOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--proxy-protocol",
            description = "Require a PROXY protocol header (v1 or v2, as HAProxy's send-proxy[-v2] sends) first on every "
                    + "connection, from a trusted proxy only; the client it names is the one logged and seen by handlers.")
    boolean proxyProtocol;

    private final List<AddressRange> trusted = new ArrayList<>();

    @Option(names = "--trusted-proxy", paramLabel = "ADDR[/BITS]",
            description = "A proxy trusted to name clients (repeatable), e.g. 10.0.0.5 or 10.0.0.0/8. "
                    + "Default: loopback (127.0.0.0/8, ::1).")
    void trustedProxy(String value) {
        trusted.add(range(spec, "--trusted-proxy", value));
    }

    /** @throws ParameterException (exit 2) naming {@code option} if {@code value} is no address or CIDR block */
    static AddressRange range(CommandSpec spec, String option, String value) {
        try {
            return AddressRange.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    @Option(names = "--reuse-port",
            description = "Set SO_REUSEPORT: several porter processes may listen on the same port, and the kernel spreads "
                    + "new connections among them (Linux).")
    boolean reusePort;

    /** How long to keep serving after SIGTERM with the port closed, before the graceful stop; zero: none. */
    Duration drainGrace = Duration.ZERO;

    /** The help of {@code --drain-grace}, here and on {@code porter proxy} (which cannot mix in this whole class). */
    static final String DRAIN_GRACE_HELP = "On SIGTERM, first stop accepting (a load balancer's health checks then fail) and "
            + "keep serving open connections for DURATION (e.g. 10s, 500ms, 1m), then stop gracefully; with --status, keep "
            + "accepting while /.porter/readyz answers 503 instead. Default: 0 (stop at once).";

    @Option(names = "--drain-grace", paramLabel = "DURATION", description = DRAIN_GRACE_HELP)
    void drainGrace(String value) {
        drainGrace = duration(spec, "--drain-grace", value);
    }

    /** @return the proxies trusted to name clients: those given, else loopback */
    List<AddressRange> trustedProxies() {
        return trusted.isEmpty() ? AddressRange.LOOPBACK : List.copyOf(trusted);
    }

    /** @return {@code config} with the PROXY protocol and SO_REUSEPORT as asked */
    ServerConfig apply(ServerConfig config) {
        if (proxyProtocol) config = config.withProxyProtocol(ProxyProtocolConfig.defaults().withTrustedProxies(trustedProxies()));
        return config.withReusePort(reusePort);
    }

    /**
     * Reads a duration: {@code 10} or {@code 10s} (seconds), {@code 500ms}, {@code 2m}.
     *
     * @throws ParameterException (a usage error) for anything else or a negative value
     */
    static Duration duration(CommandSpec spec, String option, String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        int unitAt = 0;
        while (unitAt < v.length() && Character.isDigit(v.charAt(unitAt))) unitAt++;
        String unit = v.substring(unitAt);
        if (unitAt == 0 || unitAt > 9) {
            throw new ParameterException(spec.commandLine(), option + " needs a duration such as 10s, 500ms or 1m: " + value);
        }
        long n = Long.parseLong(v.substring(0, unitAt));
        return switch (unit) {
            case "", "s" -> Duration.ofSeconds(n);
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> throw new ParameterException(spec.commandLine(), option + " needs a duration such as 10s, 500ms or 1m: " + value);
        };
    }
}
