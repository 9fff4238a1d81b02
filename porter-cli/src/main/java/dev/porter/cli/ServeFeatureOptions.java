package dev.porter.cli;

import dev.porter.http.StaticFeatures;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Stack;

/**
 * What {@code porter serve} does beyond serving files (a picocli mixin): uploads, zip downloads, single-page-app
 * and pretty-URL fallbacks, CORS, extra response headers, compression. Each is off unless given, but gzip (on; see
 * docs/serve.md for why gzip and not brotli or zstd) and the root's 404.html (used when present).
 */
final class ServeFeatureOptions {

    /** Default of {@code --upload-limit}. */
    static final String DEFAULT_UPLOAD_LIMIT = "1G";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--upload", description = "Accept uploads: PUT of a file, and an upload form on listing pages "
            + "(cross-site forms are refused).")
    boolean upload;

    @Option(names = "--overwrite", description = "Let uploads replace existing files (refused with 409 otherwise).")
    boolean overwrite;

    @Option(names = "--mkdir", description = "Let uploads create folders (a PUT's missing folders, and a new-folder form).")
    boolean mkdir;

    @Option(names = "--upload-limit", paramLabel = "SIZE", converter = ByteSize.class,
            defaultValue = DEFAULT_UPLOAD_LIMIT,
            description = "Largest upload (413 beyond it), like 500M or 2G, or unlimited. Default: ${DEFAULT-VALUE}.")
    long uploadLimit;

    @Option(names = "--archives", description = "Let folders be downloaded as a .zip (?download=zip, linked from listings).")
    boolean archives;

    @Option(names = "--spa", description = "Single-page app: missing paths asked for as HTML get /index.html.")
    boolean spa;

    @Option(names = "--pretty-urls", description = "Serve /about from about.html when /about does not exist.")
    boolean prettyUrls;

    @Option(names = "--cors", paramLabel = "ORIGIN", arity = "0..1", parameterConsumer = OptionalOrigin.class,
            description = "Let pages of other sites read the files: any site (*, the default) or only ORIGIN "
                    + "(like https://app.example), which may also send credentials and upload.")
    String cors;

    /**
     * Takes the next argument as {@code --cors}'s ORIGIN unless it is an option or an existing folder, else {@code *}:
     * with picocli's own optional value, {@code serve --cors site} read the folder as the origin (a usage error).
     */
    static final class OptionalOrigin implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
            String next = args.isEmpty() ? "" : args.peek();
            option.setValue(!next.isEmpty() && !next.startsWith("-") && !isFolder(next) ? args.pop() : "*");
        }

        private static boolean isFolder(String name) {
            try {
                return Files.isDirectory(Path.of(name));
            } catch (InvalidPathException e) {
                return false;
            }
        }
    }

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "Add this header to every response (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--gzip", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Compress text files (HTML, CSS, JS, JSON, SVG, ...) of 1 KiB or more on the fly for clients "
                    + "that accept gzip. On by default; --no-gzip turns it off.")
    boolean gzip;

    /** @throws ParameterException (exit 2) for upload options without --upload, a bad header or origin */
    void check() {
        if (!upload) {
            for (String[] o : new String[][] {{"--overwrite", "" + overwrite}, {"--mkdir", "" + mkdir}}) {
                if (o[1].equals("true")) throw new ParameterException(spec.commandLine(), o[0] + " needs --upload");
            }
        }
        headerPairs();
        if (cors != null && !cors.equals("*") && !origin(cors)) {
            throw new ParameterException(spec.commandLine(),
                    "--cors takes * or an origin like https://app.example (scheme, host, optional port; no path): " + cors);
        }
        if (cors != null && !cors.equals("*") && !originPortInRange(cors)) {
            // No browser sends such an origin: --cors would silently match nothing.
            throw new ParameterException(spec.commandLine(),
                    "--cors: the origin's port must be a number from 1 to 65535: " + cors);
        }
    }

    /**
     * Fields that frame the message or manage the connection (RFC 9112 §6, RFC 9110 §7.6.1): the server writes
     * them for each answer, so one from {@code -H} would contradict it (a second Content-Length, a chunked
     * announcement before a plain body) and break every response.
     */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding",
            "connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer");

    /** @return the {@code -H} values as name and value pairs */
    List<String[]> headerPairs() {
        List<String[]> pairs = new ArrayList<>();
        for (String h : headers) {
            String[] pair;
            try {
                pair = ResponseHeaders.parse(h);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "-H: " + e.getMessage());
            }
            if (FRAMING.contains(pair[0].toLowerCase(Locale.ROOT))) {
                throw new ParameterException(spec.commandLine(),
                        "-H cannot set " + pair[0] + ": the server writes it for each response itself");
            }
            pairs.add(pair);
        }
        return pairs;
    }

    /** @return the value of the last {@code -H} field named {@code name} (any case), or null */
    String header(String name) {
        String value = null;
        for (String[] pair : headerPairs()) {
            if (pair[0].equalsIgnoreCase(name)) value = pair[1];
        }
        return value;
    }

    /** @return true for {@code scheme://host[:port]} with no path, as an Origin header spells it (RFC 6454 §6.2) */
    static boolean origin(String s) {
        int sep = s.indexOf("://");
        if (sep <= 0 || sep + 3 >= s.length()) return false;
        for (int i = 0; i < sep; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) return false;
        }
        for (int i = sep + 3; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c <= ' ' || c == 0x7F) return false;
        }
        return true;
    }

    /** @return true if the origin {@code s} (checked by {@link #origin}) has no port, or one from 1 to 65535 */
    static boolean originPortInRange(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < s.indexOf("://") + 3 || colon < s.lastIndexOf(']')) return true; // none, or in an IPv6 literal
        int digits = s.length() - colon - 1;
        if (digits == 0) return true; // "host:": the scheme's default port
        if (digits > 5) return false;
        int port = 0;
        for (int i = colon + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535;
    }

    /** @return the features these options ask for */
    StaticFeatures features(boolean dotfilesServed) {
        StaticFeatures f = StaticFeatures.NONE.withArchives(archives).withSpa(spa).withPrettyUrls(prettyUrls)
                .withNotFoundPage(true);
        if (upload) {
            // Only a named origin may write from its pages: "*" lets every site read, never write.
            String trusted = cors == null || cors.equals("*") ? null : cors;
            f = f.withUploads(new StaticFeatures.Uploads(uploadLimit, overwrite, mkdir, trusted));
        }
        return f;
    }
}
