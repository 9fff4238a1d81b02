package dev.porter.cli;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.StaticFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code porter serve}: serves a folder to browsers with {@link StaticFiles}. Prints
 * {@code Serving DIR at http://ADDR:PORT/} first, then one access-log line per request; stops gracefully on
 * Ctrl-C or SIGTERM. Failures a user can fix (no such folder, port in use) are one line on stderr and exit 1.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve the files of a directory over HTTP (a static web server).",
            "Directories show their index.html or a listing; ranges, caching validators and precompressed "
                + ".br/.gz files are supported. Dotfiles and links leading out of DIR are not served."})
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

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port = 8080;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDR",
            description = "Address to bind (0.0.0.0 or :: for all interfaces). Default: ${DEFAULT-VALUE}.")
    String bind = "127.0.0.1";

    @Option(names = "--no-listing", description = "Answer 404 for directories without an index.html instead of listing them.")
    boolean noListing;

    @Option(names = "--cache", paramLabel = "SECONDS",
            description = "Let browsers keep files for SECONDS without asking (Cache-Control: max-age). "
                    + "Default: revalidate every time (Cache-Control: no-cache).")
    Long cacheSeconds;

    @Option(names = "--gzip", description = "Compress text files (HTML, CSS, JS, JSON, SVG, ...) of 1 KiB or more on the fly.")
    boolean gzip;

    @Option(names = "--dotfiles", description = "Serve and list names starting with a dot (hidden by default).")
    boolean dotfiles;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links that lead out of DIR (refused by default).")
    boolean followSymlinks;

    @Option(names = {"-q", "--quiet"}, description = "Do not print a line per request.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        if (dirArgument != null && dirOption != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the directory once: as DIR or with -d, not both");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "port must be 0..65535: " + port);
        }
        if (cacheSeconds != null && cacheSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cache must be 0 or more seconds: " + cacheSeconds);
        }
        Path dir = (dirOption != null ? dirOption : dirArgument != null ? dirArgument : Path.of(""))
                .toAbsolutePath().normalize();
        String problem = unusable(dir);
        if (problem != null) return fail(problem);

        StaticFiles.Options options = StaticFiles.Options.of(dir)
                .withListing(!noListing)
                .withHiddenDotfiles(!dotfiles)
                .withExternalSymlinks(followSymlinks)
                .withGzip(gzip, 1024);
        if (cacheSeconds != null) options = options.withMaxAge(Duration.ofSeconds(cacheSeconds));
        StaticFiles files;
        try {
            files = new StaticFiles(options);
        } catch (IOException e) {
            return fail("cannot serve " + dir + ": " + reason(e));
        }
        // "[::1]" is how IPv6 appears in URLs; people paste it that way.
        String host = bind.length() > 2 && bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
        HttpConfig config = HttpConfig.builder().host(host).port(port)
                .accessLog(quiet ? null : new ServeLog(System.out, ServeLog.colourWanted()))
                .build();
        String where = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        HttpServer server;
        try {
            server = HttpServer.start(config, files);
        } catch (BindException e) {
            return fail("cannot listen on " + where + ": " + reason(e));
        } catch (UnresolvedAddressException e) {
            return fail("cannot listen on " + where + ": unknown address " + host);
        } catch (IOException e) {
            return fail("cannot listen on " + where + ": " + reason(e));
        }
        System.out.println("Serving " + dir + " at http://" + Addresses.format(server.address()) + "/");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(GRACE), "porter-shutdown"));
        server.awaitStop();
        return ExitCode.OK.code();
    }

    /** @return why {@code dir} cannot be served, or null if it can */
    private static String unusable(Path dir) {
        if (!Files.exists(dir)) return "no such directory: " + dir;
        if (!Files.isDirectory(dir)) return "not a directory: " + dir;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.iterator().hasNext();
        } catch (AccessDeniedException e) {
            return "cannot read directory " + dir + ": permission denied";
        } catch (IOException e) {
            return "cannot read directory " + dir + ": " + reason(e);
        }
        return null;
    }

    private static int fail(String message) {
        System.err.println("porter serve: " + message);
        return ExitCode.FAILURE.code();
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
