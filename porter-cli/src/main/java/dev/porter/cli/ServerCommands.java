package dev.porter.cli;

import dev.porter.core.Protocol;
import dev.porter.core.Server;
import dev.porter.core.ServerConfig;
import dev.porter.core.TlsSetupException;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * What every server command does: start the server, print {@code Listening on tcp://HOST:PORT} as the first line
 * on stdout (the real port when 0 was asked; {@code tls://} over TLS, followed by the certificate's line), wait
 * until SIGINT or SIGTERM, then stop gracefully. A failure to start (a port in use, a
 * TLS key or certificate that is missing, unreadable, expired or not matching) is one line on stderr and exit
 * code 1, never a stack trace. Over TLS, SIGHUP reloads the certificate.
 */
final class ServerCommands {

    private ServerCommands() {
    }

    /**
     * The first line of every server command ({@code serve}, {@code demo}, {@code echo}, {@code chat}), one scheme
     * for all so that one parser reads them: {@code Listening on SCHEME://HOST:PORT}, nothing after the port.
     * Scripts take the port after the last colon ({@code ${line##*:}} in bench/reliability/common.sh); the scheme
     * says what is spoken (http, https, tcp, tls). docs/serve.md, "Output, stopping, failures", says why.
     *
     * @param scheme      {@code http}, {@code https}, {@code tcp} or {@code tls}
     * @param hostAndPort {@code HOST:PORT} with an IPv6 literal in brackets
     */
    static String listeningLine(String scheme, String hostAndPort) {
        return "Listening on " + scheme + "://" + hostAndPort;
    }

    /**
     * Runs {@code protocol} until the process is told to stop, over TLS when {@code tls} asks for it.
     *
     * @param tls the command's TLS options, or null for none
     * @return the exit code: {@link ExitCode#OK} after a stop, {@link ExitCode#FAILURE} if the server could not start
     */
    static int serveUntilSignalled(ServerConfig config, Protocol protocol, Duration grace, TlsOptions tls,
                                   PrintWriter out, PrintWriter err) {
        return serveUntilSignalled(config, protocol, grace, Duration.ZERO, tls, out, err, java.util.List.of());
    }

    /** As below, with nothing more to print. */
    static int serveUntilSignalled(ServerConfig config, Protocol protocol, Duration grace, Duration drainGrace,
                                   TlsOptions tls, PrintWriter out, PrintWriter err) {
        return serveUntilSignalled(config, protocol, grace, drainGrace, tls, out, err, java.util.List.of());
    }

    /**
     * As above, draining first on SIGTERM/SIGINT when {@code drainGrace} is not zero: the port closes, open
     * connections are served for {@code drainGrace}, then the graceful stop (see {@link Drain}); and with
     * {@code moreLines} printed after the first line (and the certificate's): what else the command serves.
     */
    static int serveUntilSignalled(ServerConfig config, Protocol protocol, Duration grace, Duration drainGrace,
                                   TlsOptions tls, PrintWriter out, PrintWriter err, java.util.List<String> moreLines) {
        if (tls != null) tls.check();
        TlsOptions.Setup setup = null;
        Server server;
        try {
            if (tls != null && tls.enabled()) {
                setup = tls.setup();
                config = config.withTls(setup.config());
            }
            server = Server.start(config, protocol);
        } catch (TlsSetupException e) {
            err.println("porter: " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (BindException e) {
            err.println("porter: cannot listen on " + display(config.host(), config.port()) + ": " + bindReason(e));
            return ExitCode.FAILURE.code();
        } catch (UnknownHostException e) {
            err.println("porter: cannot listen on " + display(config.host(), config.port()) + ": unknown host");
            return ExitCode.FAILURE.code();
        } catch (IOException | UnsupportedOperationException e) {
            err.println("porter: cannot listen on " + display(config.host(), config.port()) + ": " + e.getMessage());
            return ExitCode.FAILURE.code();
        }
        // SIGHUP is caught before the first line: a script that reads it may send one at once.
        Signals.forServer("porter", setup, server::reloadTls, line -> print(out, line), line -> print(err, line));
        out.println(listeningLine(setup != null ? "tls" : "tcp", display(config.host(), server.address())));
        if (setup != null) {
            for (String line : setup.describe("openssl s_client -quiet -CAfile {ca} -connect localhost:" + server.port())) {
                out.println(line);
            }
        }
        moreLines.forEach(out::println);
        out.flush();

        // SIGINT and SIGTERM run shutdown hooks: stop accepting, let conversations finish within the grace period.
        Thread hook = new Thread(() -> {
            Drain.run(Drain.of(server), drainGrace, grace, line -> print(out, line));
            out.println("Stopped");
            out.flush();
        }, "shutdown-" + server.port());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook is the one stopping the server, and must stay registered.
            }
        }
        return ExitCode.OK.code();
    }

    private static void print(PrintWriter w, String line) {
        w.println(line);
        w.flush();
    }

    /** @return {@code host:port} as a user writes it, with brackets around an IPv6 literal */
    static String display(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * @return the bound address for the Listening line: the address as the user typed it when it was a literal
     *         (so {@code ::1} stays {@code [::1]}), else the resolved one; always the real port
     */
    static String display(String asked, InetSocketAddress bound) {
        // An IPv6 literal as the user typed it (a zone kept), else the canonical short form (::1, not the JDK's full one).
        String host = bound.getAddress() instanceof Inet6Address && asked.indexOf(':') >= 0 ? asked : Addresses.host(bound.getAddress());
        return display(host, bound.getPort());
    }

    private static String bindReason(SocketException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("in use")) return "address already in use (is another server running on that port?)";
        if (m.contains("assign requested address")) return "not an address of this machine";
        if (m.contains("ermission denied")) return "permission denied (ports below 1024 need privileges)";
        return m.isEmpty() ? "cannot bind" : m;
    }
}
