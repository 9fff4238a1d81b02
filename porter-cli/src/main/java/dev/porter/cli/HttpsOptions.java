package dev.porter.cli;

import dev.porter.http.AccessLog;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.HttpsRedirect;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Duration;
import java.util.Stack;

/**
 * Options of the HTTP server commands ({@code serve}, {@code demo}) that only mean something over TLS (a picocli
 * mixin, used beside {@link TlsOptions}): a plaintext listener redirecting to https, and HSTS.
 */
public final class HttpsOptions {

    /** {@code --hsts} without a value: one year, the age HSTS preload lists ask for and most guides suggest. */
    static final long DEFAULT_HSTS_SECONDS = 31_536_000;

    /** The port HTTP servers listen on over TLS when no {@code --port} is given. */
    static final int DEFAULT_TLS_PORT = 8443;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--redirect-http", paramLabel = "PORT",
            description = "Also listen for plain http on PORT (same address), answering every request with a 308 "
                    + "redirect to https (0 = any free port). Needs --tls.")
    Integer redirectPort;

    @Option(names = "--hsts", paramLabel = "SECONDS", arity = "0..1", parameterConsumer = OptionalSeconds.class,
            description = "Send Strict-Transport-Security: max-age=SECONDS over https (default age: one year). "
                    + "Off unless given: browsers then refuse plain http to this host, on every port, for that long.")
    Long hstsSeconds;

    /**
     * Takes {@code --hsts}'s SECONDS only when the next argument is a number, else the default age: with picocli's
     * own optional value, {@code serve --tls --hsts site} read the folder as the seconds ("'site' is not a long").
     */
    static final class OptionalSeconds implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
            String next = args.isEmpty() ? "" : args.peek();
            long seconds = DEFAULT_HSTS_SECONDS;
            if (!next.isEmpty() && next.length() <= 18 && next.chars().allMatch(c -> c >= '0' && c <= '9')) {
                seconds = Long.parseLong(args.pop());
            }
            option.setValue(seconds);
        }
    }

    /**
     * Checks the options against the TLS ones.
     *
     * @throws ParameterException (exit 2) for an option without TLS or a value out of range
     */
    void check(TlsOptions tls) {
        tls.check();
        if (redirectPort != null) {
            tls.require("--redirect-http");
            if (redirectPort < 0 || redirectPort > 65535) {
                throw new ParameterException(spec.commandLine(), "--redirect-http must be 0..65535 (0 picks a free port): " + redirectPort);
            }
        }
        if (hstsSeconds != null) {
            tls.require("--hsts");
            if (hstsSeconds < 0) throw new ParameterException(spec.commandLine(), "--hsts must be 0 or more seconds: " + hstsSeconds);
        }
    }

    /** Adds TLS and HSTS to {@code builder} when {@code setup} is not null. */
    HttpConfig.Builder apply(HttpConfig.Builder builder, TlsOptions.Setup setup) {
        if (setup == null) return builder;
        builder.tls(setup.config());
        if (hstsSeconds != null) builder.strictTransportSecurity(Duration.ofSeconds(hstsSeconds));
        return builder;
    }

    /**
     * Starts the plaintext redirecting listener if {@code --redirect-http} was given.
     *
     * @param host      the address the https server is bound to (the listener binds the same)
     * @param httpsPort the port https is served on, for the {@code Location}
     * @return the listener, or null when not asked for
     */
    HttpServer startRedirect(String host, int httpsPort, AccessLog log) throws IOException {
        if (redirectPort == null) return null;
        HttpConfig config = HttpConfig.builder().host(host).port(redirectPort).accessLog(log).build();
        return HttpServer.start(config, new HttpsRedirect(httpsPort));
    }
}
