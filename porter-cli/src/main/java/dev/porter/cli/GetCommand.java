package dev.porter.cli;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code porter get URL}: fetches a URL with Porter's {@link HttpClient}, in the manner of curl. Exit codes follow
 * curl's where curl has one (see the footer and docs/client.md), so scripts can tell failures apart.
 */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = PorterVersion.class, sortOptions = false,
        description = {"Fetch a URL over HTTP/1.1 or HTTP/2 with Porter's client, http or https. The body goes to stdout (binary-safe) or to a file.",
            "ws:// and wss:// open a WebSocket conversation instead: each stdin line is sent as a message, each message "
                + "received is printed on a line (binary as hex); when stdin ends, what still arrives is printed, then it closes with 1000.",
            "https checks the server's certificate against the JDK's trusted authorities (or --cacert) and its name "
                + "against the URL's host, and speaks HTTP/2 when the server chooses h2 by ALPN (--http1.1 to offer only HTTP/1.1). "
                + "http speaks HTTP/1.1 unless --http2 (h2c with prior knowledge)."},
        footer = {"", "Exit codes (curl's numbers):",
            "   0  success",
            "   1  unsupported scheme (only http, https, ws and wss)",
            "   2  usage error (bad option or header)",
            "   3  malformed URL (no host, a port out of range, ...)",
            "   6  could not resolve the host",
            "   7  could not connect",
            "   8  malformed response (the message says which rule it broke)",
            "  18  the response body was cut short",
            "  22  HTTP status >= 400 with --fail or -C; ws: refused, or an error close",
            "  23  could not write the output",
            "  26  could not read the file of -d @FILE",
            "  28  timeout (connect, read, or --max-time)",
            "  33  could not resume: the server's range does not match the file",
            "  35  TLS handshake failed (no version or cipher in common, or not a TLS server)",
            "  47  too many redirects",
            "  52  the server closed the connection without answering",
            "  56  other network failure (for example a connection reset)",
            "  60  the server's certificate is not trusted (unknown CA, other name, expired)",
            "  77  the --cacert file cannot be read"})
final class GetCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "The URL (http[s]://host[:port]/path; http:// is assumed if missing).")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE (with a progress bar on a terminal).")
    Path output;

    @Option(names = {"-I", "--head"}, description = "Send HEAD and print the response head.")
    boolean head;

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD", description = "Use METHOD instead of GET (POST with -d).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Add a request header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "DATA", description = "Send DATA as the body (POST unless -X); @FILE sends a file, @- standard input. Repeated values are joined with '&'.")
    List<String> data;

    @Option(names = {"-L", "--location"}, description = "Follow redirects.")
    boolean follow;

    @Option(names = "--max-redirs", paramLabel = "N", description = "Most redirects to follow with -L. Default: ${DEFAULT-VALUE}.")
    int maxRedirects = 50;

    @Option(names = {"-C", "--continue"}, preprocessor = CurlResume.class,
            description = "Resume a partial download into the -o FILE with a Range request (curl's '-C -' too).")
    boolean resume;

    /**
     * Takes curl's spelling, {@code -C -} (curl needs an offset after {@code -C}; "-" asks it to find the offset
     * from the file, which is what {@code -C} does here): the "-" is consumed, so a command copied from curl works.
     */
    static final class CurlResume implements picocli.CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(java.util.Stack<String> args, picocli.CommandLine.Model.CommandSpec spec,
                                  picocli.CommandLine.Model.ArgSpec option, java.util.Map<String, Object> info) {
            if (!args.isEmpty() && args.peek().equals("-")) args.pop();
            option.setValue(true);
            return true;
        }
    }

    // Declared here, between -C and -v, so that --help lists its options where they always were.
    @Mixin
    GetProtocolOptions protocol;

    @Mixin
    GetWebSocketOptions websocket;

    @Option(names = {"-v", "--verbose"}, description = "Show the connection, its TLS handshake, and the request ('> ') and response ('< ') heads on stderr.")
    boolean verbose;

    @Option(names = {"-f", "--fail"}, description = "Exit with 22, writing no body, when the status is 400 or more.")
    boolean fail;

    @Option(names = {"-s", "--silent"}, description = "No progress bar or notes on stderr (errors are still shown).")
    boolean silent;

    @Option(names = "--compressed", description = "Ask for gzip and decode it.")
    boolean compressed;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "Longest wait for a connection. Default: ${DEFAULT-VALUE}.")
    double connectTimeout = 10;

    @Option(names = {"-m", "--max-time"}, paramLabel = "SECONDS", description = "Longest time for the whole transfer.")
    Double maxTime;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    /** Writes to the process's stdout and stderr; the progress bar appears when there is a terminal. */
    GetCommand() {
        this(System.in, System.out, System.err, isTerminal());
    }

    /** For tests: explicit streams, and whether to behave as on a terminal. */
    GetCommand(PrintStream out, PrintStream err, boolean terminal) {
        this(InputStream.nullInputStream(), out, err, terminal);
    }

    /** For tests: explicit streams (stdin too, for ws:// URLs), and whether to behave as on a terminal. */
    GetCommand(InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ExitCode result;
        try {
            result = fetch();
        } catch (GetFailure f) {
            result = report(f);
        } catch (IOException e) {
            result = report(GetErrors.classify(e));
        }
        return result.code();
    }

    private ExitCode fetch() throws IOException, GetFailure {
        URI uri = UrlArgument.parse(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("ws") || scheme.equals("wss")) return converse(uri);
        if (websocket.firstGiven() != null) {
            throw new GetFailure(ExitCode.USAGE, websocket.firstGiven() + " applies to ws:// and wss:// URLs only");
        }
        ClientRequest.Builder b = request();
        long offset = 0;
        if (resume) {
            if (output == null) throw new GetFailure(ExitCode.USAGE, "-C needs -o FILE (the partial file to continue)");
            if (Files.isRegularFile(output)) offset = Files.size(output);
            if (offset > 0) b.setHeader("Range", "bytes=" + offset + "-");
        }
        ClientConfig.Builder config = ClientConfig.builder().followRedirects(follow).maxRedirects(maxRedirects)
                .decompress(compressed && offset == 0).connectTimeout(seconds(connectTimeout, "--connect-timeout"));
        if (maxTime != null) config.requestTimeout(seconds(maxTime, "--max-time"));
        protocol.configure(config);
        if (verbose || head) config.listener(new HeadPrinter(verbose ? err : null, head ? out : null, protocol.verified()));
        try (HttpClient client = HttpClient.create(config.build()); ClientResponse res = client.send(b.build())) {
            int code = res.statusCode();
            if (head) return fail && code >= 400 ? ExitCode.HTTP_ERROR : ExitCode.OK;
            boolean append = false;
            long total = res.contentLength();
            if (offset > 0) {
                if (code == 416) return alreadyComplete(res, offset);
                if (code >= 400) {
                    throw new GetFailure(ExitCode.HTTP_ERROR, "the server answered " + res.status() + "; " + output + " was left as it was");
                }
                if (code == 206) {
                    total = checkRange(res, offset);
                    append = true;
                } else if (code == 200 && !silent) {
                    err.println("porter get: the server ignored the range; downloading " + output + " again from the start");
                }
            }
            if (fail && code >= 400) throw new GetFailure(ExitCode.HTTP_ERROR, "the server answered " + res.status());
            new BodyOutput(out, err, output, terminal && !silent).copy(res.body(), append, total, append ? offset : 0);
            return ExitCode.OK;
        }
    }

    /** A WebSocket conversation ({@link GetWebSocket}); the options that shape an HTTP request do not apply. */
    private ExitCode converse(URI uri) throws IOException, GetFailure {
        String http = head ? "-I" : method != null ? "-X" : data != null ? "-d" : output != null ? "-o" : resume ? "-C"
                : follow ? "-L" : fail ? "-f" : compressed ? "--compressed" : null; // --http2: RFC 8441 if offered
        if (http != null) throw new GetFailure(ExitCode.USAGE, http + " does not apply to a WebSocket (" + uri.getScheme() + "://) URL");
        ClientConfig.Builder config = ClientConfig.builder().connectTimeout(seconds(connectTimeout, "--connect-timeout"));
        protocol.configure(config);
        if (verbose) config.listener(new HeadPrinter(err, null, protocol.verified()));
        Duration max = maxTime == null ? null : seconds(maxTime, "--max-time");
        return new GetWebSocket(websocket, in, out, err, verbose).run(uri, config.build(), headers, max);
    }

    private ClientRequest.Builder request() throws GetFailure {
        URI uri = UrlArgument.parse(url);
        String m = method != null ? method : head ? "HEAD" : data != null ? "POST" : "GET";
        ClientRequest.Builder b;
        try {
            b = ClientRequest.builder(m, uri);
        } catch (IllegalArgumentException e) {
            throw new GetFailure(ExitCode.USAGE, e.getMessage());
        }
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new GetFailure(ExitCode.USAGE, "bad header '" + h + "': expected 'Name: value'");
            try {
                b.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new GetFailure(ExitCode.USAGE, "bad header '" + h + "': " + e.getMessage());
            }
        }
        if (data != null) {
            b.body(ClientRequest.Body.of(RequestData.join(data, in)));
            // Like curl: form data unless told otherwise.
            if (headers.stream().noneMatch(h -> h.regionMatches(true, 0, "Content-Type:", 0, 13))) {
                b.header("Content-Type", "application/x-www-form-urlencoded");
            }
        }
        return b;
    }

    /**
     * Checks that a 206 continues exactly where the file ends ({@code Content-Range: bytes START-END/TOTAL},
     * RFC 9110 §14.4). @return the whole file's size, or -1 if unknown
     */
    private long checkRange(ClientResponse res, long offset) throws GetFailure {
        String range = res.header("Content-Range");
        ContentRange r = ContentRange.parse(range);
        if (r == null || r.start() != offset) {
            throw new GetFailure(ExitCode.RANGE_ERROR, "the server resumed with 'Content-Range: " + range + "', not at byte " + offset
                    + "; " + output + " was left as it was");
        }
        return r.total() >= 0 ? r.total() : res.contentLength() < 0 ? -1 : offset + res.contentLength();
    }

    /** 416 to a resume: the file is complete if its size is the total the server names. */
    private ExitCode alreadyComplete(ClientResponse res, long offset) throws GetFailure {
        long total = ContentRange.unsatisfiedTotal(res.header("Content-Range"));
        if (total >= 0 && total != offset) {
            throw new GetFailure(ExitCode.RANGE_ERROR, output + " has " + offset + " bytes but the server's resource has " + total
                    + "; not resumed");
        }
        if (!silent) err.println("porter get: " + output + " is already complete (" + offset + " bytes)");
        return ExitCode.OK;
    }

    private static Duration seconds(double s, String option) throws GetFailure {
        if (!(s > 0) || s > 1e9) throw new GetFailure(ExitCode.USAGE, option + " must be a positive number of seconds");
        return Duration.ofNanos((long) (s * 1e9));
    }

    private ExitCode report(GetFailure f) {
        String message = f.getMessage();
        String line = message == null ? "failed" : message.replace('\r', ' ').replace('\n', ' ');
        out.flush();
        err.println("porter get: " + line);
        err.flush();
        return f.code();
    }

    /** @return true if a person is probably watching stderr (a console, and on JDK 22+ a real terminal) */
    private static boolean isTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console exists only on a terminal
        }
    }
}
