package dev.porter.cli;

import dev.porter.core.TlsSetupException;
import dev.porter.http.AsyncAccessLog;
import dev.porter.http.Handler;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.StaticFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code porter serve}: serves a folder to browsers with {@link StaticFiles}. Prints
 * {@code Listening on http://ADDR:PORT} first ({@code https://} with {@code --tls}) as every server command does,
 * then {@code Serving DIR} (and with TLS the certificate's lines), then one access-log line per request; stops
 * gracefully on Ctrl-C or SIGTERM, reloads the TLS certificate on SIGHUP. Failures a user can fix (no such
 * folder, port in use, a bad key or certificate, a key that would be served) are one line on stderr and exit 1.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class, sortOptions = false,
        description = {"Serve the files of a directory over HTTP or HTTPS (a static web server).",
            "Directories show their index.html or a listing; ranges, caching validators and precompressed "
                + ".br/.gz files are supported. Dotfiles and links leading out of DIR are not served.",
            "With --tls: HTTPS with a dev certificate for localhost made once (or --cert/--key); SIGHUP reloads it."})
final class ServeCommand implements Callable<Integer> {

    /** How long requests in flight may finish after Ctrl-C. */
    static final Duration GRACE = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Directory to serve. Default: the current directory.")
    Path dirArgument;

    @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "Directory to serve (same as DIR).")
    Path dirOption;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Port to listen on (0 = any free port). Default: 8080, or 8443 with --tls.")
    Integer port;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDR",
            description = "Address to bind (0.0.0.0 or :: for all interfaces). Default: ${DEFAULT-VALUE}.")
    String bind = "127.0.0.1";

    @Option(names = "--no-listing", description = "Answer 404 for directories without an index.html instead of listing them.")
    boolean noListing;

    @Option(names = "--cache", paramLabel = "SECONDS",
            description = "Let browsers keep files for SECONDS without asking (Cache-Control: max-age). "
                    + "Default: revalidate every time (Cache-Control: no-cache).")
    Long cacheSeconds;

    @Option(names = "--dotfiles", description = "Serve and list names starting with a dot (hidden by default).")
    boolean dotfiles;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links that lead out of DIR (refused by default).")
    boolean followSymlinks;

    @Mixin
    ServeFeatureOptions features;

    @Mixin
    ServeAccessOptions access;

    @Mixin
    LogQueueOption logQueue;

    @Mixin
    Reach reach;

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
        if (access.hashPasswordFor != null) return hashPassword(access.hashPasswordFor);
        if (dirArgument != null && dirOption != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the directory once: as DIR or with -d, not both");
        }
        int port = this.port != null ? this.port : tls.enabled() ? HttpsOptions.DEFAULT_TLS_PORT : 8080;
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "port must be 0..65535: " + port);
        }
        https.check(tls);
        features.check();
        access.check(features.upload);
        logQueue.check();
        if (cacheSeconds != null && cacheSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cache must be 0 or more seconds: " + cacheSeconds);
        }
        Path dir = (dirOption != null ? dirOption : dirArgument != null ? dirArgument : Path.of(""))
                .toAbsolutePath().normalize();
        String problem = unusable(dir);
        if (problem != null && dirArgument != null && !Files.exists(dir) && dirArgument.toString().matches("[0-9]+")) {
            // "python -m http.server 8000" takes the port there; here DIR does, so say how to choose the port.
            problem = "no such directory: " + dirArgument + " (to choose the port, use -p " + dirArgument + ")";
        }
        if (problem != null) return fail(problem);

        StaticFiles.Options options = StaticFiles.Options.of(dir)
                .withListing(!noListing)
                .withHiddenDotfiles(!dotfiles)
                .withExternalSymlinks(followSymlinks)
                .withGzip(features.gzip, 1024)
                .withFeatures(features.features(dotfiles));
        if (cacheSeconds != null) options = options.withMaxAge(Duration.ofSeconds(cacheSeconds));
        // -H 'Cache-Control: …' (serve.md's example for fingerprinted assets) is what the files send: otherwise their
        // own Cache-Control (no-cache, or --cache's) replaced it on every file answer.
        String cacheControl = features.header("Cache-Control");
        if (cacheControl != null) {
            if (cacheSeconds != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give --cache or -H 'Cache-Control: …', not both");
            }
            options = options.withCacheControl(cacheControl);
        }
        StaticFiles files;
        try {
            files = new StaticFiles(options);
        } catch (IOException e) {
            return fail("cannot serve " + dir + ": " + FileErrors.reason(e));
        }
        TlsOptions.Setup setup = null;
        if (tls.enabled()) {
            String exposed = exposedKey(dir);
            if (exposed != null) return fail(exposed);
            try {
                setup = tls.setup();
            } catch (TlsSetupException e) {
                return fail(e.getMessage());
            }
        }
        // "[::1]" is how IPv6 appears in URLs; people paste it that way.
        String host = bind.length() > 2 && bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        ServeAccessOptions.Level level = access.level();
        Handler handler;
        try {
            handler = handler(files, level, null);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        AsyncAccessLog log = level == ServeAccessOptions.Level.NONE ? null
                : logQueue.start("porter serve", new ServeLog(ServeLog.colourWanted(), access.format())::line);
        if (level == ServeAccessOptions.Level.VERBOSE) handler = handler(files, level, log);
        HttpConfig.Builder builder = HttpConfig.builder().host(host).port(port).accessLog(log)
                .statusPage(statusOptions.page(balancer.drainGrace));
        // Uploads are the only request bodies serve reads, and the upload limit bounds them itself (a PUT's file; a
        // form's files plus 64 KiB for its part headers, declared or streamed: StaticFeatures.Uploads). The server's
        // own body limit (16 MiB by default) steps aside rather than being raised to that sum: it would answer a
        // body declared over it itself, naming the limit plus the allowance to a user who set the limit.
        if (features.upload) builder.maxBodySize(Long.MAX_VALUE);
        HttpConfig config = https.apply(builder, setup).build();
        config = config.toBuilder().server(balancer.apply(config.server()))
                .trustedProxies(trustForwarded ? balancer.trustedProxies() : java.util.List.of()).build();
        String where = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        HttpServer server;
        try {
            server = HttpServer.start(config, handler);
        } catch (TlsSetupException e) {
            return fail(e.getMessage(), log);
        } catch (BindException e) {
            return fail("cannot listen on " + where + ": " + reason(e), log);
        } catch (UnknownHostException e) {
            return fail("cannot listen on " + where + ": unknown address " + host, log);
        } catch (IOException e) {
            return fail("cannot listen on " + where + ": " + reason(e), log);
        } catch (UnsupportedOperationException e) {
            return fail("cannot listen on " + where + ": " + e.getMessage(), log);
        }
        HttpServer redirect;
        try {
            redirect = https.startRedirect(host, server.port(), log);
        } catch (IOException e) {
            server.close();
            String redirectWhere = host.contains(":") ? "[" + host + "]:" + https.redirectPort : host + ":" + https.redirectPort;
            return fail("cannot listen on " + redirectWhere + " (--redirect-http): " + reason(e), log);
        }
        // SIGHUP is caught before the first line: a script that reads it may send one at once.
        Signals.forServer("porter serve", setup, server::reloadTls, LogQueueOption.lines(log), System.err::println);
        System.out.println(ServerCommands.listeningLine(setup != null ? "https" : "http", Addresses.format(server.address())));
        System.out.println("Serving " + dir);
        warnIfNamesAreNotUtf8();
        if (redirect != null) {
            System.out.println("Redirecting http://" + Addresses.format(redirect.address()) + "/ to https");
        }
        if (statusOptions.on) {
            System.out.println("Status page at " + (setup != null ? "https" : "http") + "://"
                    + Addresses.format(server.address()) + "/.porter/status");
        }
        if (setup != null) {
            setup.describe("curl --cacert {ca} https://localhost:" + server.port() + "/").forEach(System.out::println);
        }
        String scheme = setup != null ? "https" : "http";
        String local = scheme + "://" + Addresses.format(server.address()) + "/";
        reach.print(System.out, scheme, server.address().getAddress(), host.contains(":"), server.port(), local,
                ServeLog.colourWanted());
        System.out.flush();
        reach.openBrowser(server.address().getAddress().isAnyLocalAddress()
                ? scheme + "://localhost:" + server.port() + "/" : local, System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Drain.run(Drain.of(server, redirect), balancer.drainGrace, statusOptions.on, GRACE, LogQueueOption.lines(log));
            logQueue.close(log);
        }, "porter-shutdown"));

        server.awaitStop();
        return ExitCode.OK.code();
    }

    /**
     * On Linux the JDK decodes file names with the locale's charset ({@code sun.jnu.encoding}): under a POSIX locale
     * (a container or a service without {@code LANG}) a name that is not ASCII can be neither listed nor opened.
     * nginx never decodes names, so the same folder works there: say why here, once, rather than leave 400s.
     */
    private static void warnIfNamesAreNotUtf8() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) return; // macOS is UTF-8, Windows UTF-16
        String names = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (Charset.isSupported(names) && Charset.forName(names).equals(StandardCharsets.UTF_8)) return;
        System.err.println("porter serve: warning: file names are read as " + names + ", not UTF-8 (the locale): "
                + "names that are not ASCII cannot be listed or served; run it with LANG=C.UTF-8");
    }

    /**
     * The handler chain, outermost first: the verbose log (sees every answer), headers and CORS (on every answer,
     * errors and 401 included; preflights answered before authentication), authentication, the files.
     *
     * @param log where the verbose log's lines go (null: the chain without it, to check the options first)
     * @throws IllegalArgumentException for an unreadable or malformed --auth-file
     */
    private Handler handler(StaticFiles files, ServeAccessOptions.Level level, AsyncAccessLog log) {
        Handler h = files;
        if (access.enabled()) h = new BasicAuth(access.users(), access.writesOnly).then(h);
        List<String[]> headers = features.headerPairs();
        if (!headers.isEmpty() || features.cors != null) h = new ResponseHeaders(headers, features.cors, features.upload).then(h);
        if (level == ServeAccessOptions.Level.VERBOSE && log != null) h = new VerboseLog(log::text).then(h);
        return h;
    }

    /** {@code --hash-password USER}: one password on stdin (without echo on a terminal), one --auth-file line out. */
    private static int hashPassword(String user) {
        if (user.isEmpty() || user.indexOf(':') >= 0) return fail("--hash-password takes a user name without ':'");
        char[] password;
        java.io.Console console = System.console();
        if (console != null && ServeLog.terminal()) {
            password = console.readPassword("Password for %s: ", user);
        } else {
            try {
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8)).readLine();
                password = line == null ? null : line.toCharArray();
            } catch (IOException e) {
                return fail("cannot read the password: " + FileErrors.reason(e));
            }
        }
        if (password == null || password.length == 0) return fail("no password on stdin");
        System.out.println(user + ":" + PasswordHash.make(password).format());
        java.util.Arrays.fill(password, '\0');
        return ExitCode.OK.code();
    }

    /** @return why {@code dir} cannot be served, or null if it can */
    private static String unusable(Path dir) {
        if (!Files.exists(dir)) return "no such directory: " + dir;
        if (!Files.isDirectory(dir)) return "not a directory: " + dir;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.iterator().hasNext();
        } catch (IOException e) {
            return "cannot read directory " + dir + ": " + FileErrors.reason(e);
        }
        return null;
    }

    /**
     * @return why TLS cannot go with serving {@code dir}: the private key (the dev certificate's directory, or the
     *         {@code --key} file) would be downloadable from it. Null if it would not: it lies outside, or behind a
     *         hidden dotfile name
     */
    private String exposedKey(Path dir) {
        if (tls.cert == null) {
            Path devDir = DevCertificate.directory();
            if (servable(dir, devDir) || servable(devDir, dir)) {
                return "the dev certificate's key (in " + devDir + ") would be served from " + dir
                        + "; serve another folder, or give --cert and --key";
            }
            return null;
        }
        Path key = tls.key != null ? tls.key : tls.cert; // a PKCS#12 --cert, or a PEM holding both, has the key inside
        if (Files.exists(key) && servable(dir, key)) {
            return "the TLS key " + key + " would be served from " + dir + "; move it out of the folder";
        }
        return null;
    }

    /**
     * @return true if {@code path} is {@code root} or inside it and not hidden by a dotfile name on the way (with
     *         dotfiles hidden, which is the default), comparing real paths where they exist
     */
    private boolean servable(Path root, Path path) {
        Path r = real(root);
        Path p = real(path);
        if (!p.startsWith(r)) return false;
        if (dotfiles) return true;
        for (Path segment : r.relativize(p)) {
            String name = segment.toString();
            if (name.startsWith(".") && !name.equals(".well-known")) return false;
        }
        return true;
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            // Not there yet (the dev certificate's directory before its first use): its nearest existing parent's real path.
            Path parent = abs.getParent();
            return parent == null || parent.equals(abs) ? abs : real(parent).resolve(abs.getFileName());
        }
    }

    private static int fail(String message) {
        System.err.println("porter serve: " + message);
        return ExitCode.FAILURE.code();
    }

    private int fail(String message, AsyncAccessLog log) {
        logQueue.close(log);
        return fail(message);
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
