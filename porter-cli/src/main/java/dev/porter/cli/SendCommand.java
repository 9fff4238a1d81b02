package dev.porter.cli;

import dev.porter.core.Client;
import dev.porter.core.ClientTls;
import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.core.FramingException;
import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code porter send HOST:PORT TEXT}: a one-shot client that sends a line and prints the reply line. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class,
        description = {"Connects to HOST:PORT, sends TEXT as one line, prints the first line of the reply, and exits.",
                "Words after HOST:PORT are joined with single spaces. Exit code 1 if the connection or the reply fails."})
public final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "where to connect, e.g. 127.0.0.1:7007 or [::1]:7007")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "the line to send")
    List<String> words;

    private Duration timeout = Duration.ofSeconds(10);

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "longest wait to connect, and then for the reply (default: ${DEFAULT-VALUE})")
    void timeout(int seconds) {
        if (seconds < 1) throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second: " + seconds);
        timeout = Duration.ofSeconds(seconds);
    }

    @Option(names = "--tls", description = "speak TLS, as to 'porter echo --tls' (the JDK's trust store and the host name checked)")
    boolean tls;

    @Option(names = {"-k", "--insecure"}, description = "TLS: accept any certificate for any name (implies --tls)")
    boolean insecure;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "TLS: trust the authorities of this PEM file instead of the JDK's (implies --tls), e.g. a dev certificate")
    Path caCert;

    /** @return the TLS to connect with, or null for plaintext */
    private ClientTls clientTls() {
        if (insecure) return ClientTls.defaults().withTrust(new TrustSource.TrustAll());
        if (caCert != null) return ClientTls.defaults().withTrust(new TrustSource.CaFile(caCert));
        return tls ? ClientTls.defaults() : null;
    }

    /** A parsed {@code HOST:PORT}. */
    record Target(String host, int port) {
        @Override
        public String toString() {
            return ServerCommands.display(host, port);
        }
    }

    /**
     * Parses {@code host:port}, {@code [ipv6]:port}; the port must be 1..65535.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    static Target parseTarget(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("expected HOST:PORT, e.g. 127.0.0.1:7007: '" + s + "'");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("write an IPv6 address in brackets, e.g. [::1]:7007: '" + s + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number: '" + s + "'");
        }
        if (host.isEmpty() || port < 1 || port > 65535) throw new IllegalArgumentException("expected HOST:PORT with a port of 1..65535: '" + s + "'");
        return new Target(host, port);
    }

    @Override
    public Integer call() {
        Target to;
        try {
            to = parseTarget(target);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for HOST:PORT: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text = String.join(" ", words);
        // The idle timeout bounds the wait for the reply's first byte; the read timeout the rest of its line.
        ConnectionConfig limits = ConnectionConfig.defaults().withIdleTimeout(timeout).withReadTimeout(timeout);
        ClientTls clientTls = clientTls();
        if (clientTls != null) {
            try {
                Client.check(clientTls);
            } catch (TlsSetupException e) {
                return fail(err, e.getMessage());
            }
        }
        Connection c;
        try {
            c = Client.connect(to.host(), to.port(), timeout, limits, clientTls);
        } catch (ConnectException e) {
            return fail(err, "cannot connect to " + to + ": connection refused (is a server listening there?)");
        } catch (SocketTimeoutException e) {
            return fail(err, "cannot connect to " + to + ": no answer within " + timeout.toSeconds() + " s");
        } catch (UnknownHostException e) {
            return fail(err, "cannot connect to " + to + ": unknown host");
        } catch (SSLException e) {
            String certificate = GetErrors.certificateProblem(e); // one line, as porter get words it
            return fail(err, "TLS with " + to + " failed: " + (certificate != null ? certificate : e.getMessage()));
        } catch (IOException e) {
            return fail(err, "cannot connect to " + to + ": " + e.getMessage());
        }
        try (c) {
            c.writeLine(text);
            c.flush();
            String reply = c.readLine();
            if (reply == null) return fail(err, to + " closed the connection without replying");
            out.println(reply);
            out.flush();
            return ExitCode.OK.code();
        } catch (SocketTimeoutException e) {
            return fail(err, "no reply from " + to + " within " + timeout.toSeconds() + " s");
        } catch (FramingException e) {
            return fail(err, "the reply from " + to + " is not a line: " + e.getMessage());
        } catch (IOException e) {
            return fail(err, "lost the connection to " + to + ": " + e.getMessage());
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("porter: " + message);
        err.flush();
        return ExitCode.FAILURE.code();
    }
}
