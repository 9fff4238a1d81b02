package dev.porter.cli;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpClientException;
import dev.porter.http.HttpVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;

/**
 * {@code porter get URL}: fetches a URL with Porter's {@link HttpClient}, in the manner of curl. Exit codes follow
 * curl's where curl has one (see the footer and docs/client.md), so scripts can tell failures apart.
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch a URL over HTTP/1.1 or HTTP/2 with Porter's client, http or https. The body goes to stdout (binary-safe) or to a file.",
            "https checks the server's certificate against the JDK's trusted authorities (or --cacert) and its name "
                + "against the URL's host, and speaks HTTP/2 when the server chooses h2 by ALPN (--http1.1 to offer only HTTP/1.1). "
                + "http speaks HTTP/1.1 unless --http2 (h2c with prior knowledge)."},
        footer = {"", "Exit codes (curl's numbers):",
            "   0  success",
            "   1  unsupported scheme (only http and https)",
            "   2  usage error (bad option or header)",
            "   3  malformed URL",
            "   6  could not resolve the host",
            "   7  could not connect",
            "   8  malformed response (the message says which rule it broke)",
            "  18  the response body was cut short",
            "  22  HTTP status >= 400 with --fail (or when resuming with -C)",
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

    @Option(names = {"-d", "--data"}, paramLabel = "DATA", description = "Send DATA as the body (POST unless -X); @FILE sends a file. Repeated values are joined with '&'.")
    List<String> data;

    @Option(names = {"-L", "--location"}, description = "Follow redirects.")
    boolean follow;

    @Option(names = "--max-redirs", paramLabel = "N", description = "Most redirects to follow with -L. Default: ${DEFAULT-VALUE}.")
    int maxRedirects = 50;

    @Option(names = {"-C", "--continue"}, description = "Resume a partial download into the -o FILE with a Range request.")
    boolean resume;

    @Option(names = {"-k", "--insecure"}, description = "https: accept any certificate for any name (encrypted, but not authenticated).")
    boolean insecure;

    @Option(names = "--cacert", paramLabel = "FILE", description = "https: trust the authorities of this PEM file instead of the JDK's.")
    Path caCert;

    @Option(names = {"--http2", "--http2-prior-knowledge"}, description = "Speak HTTP/2: over https as by default (ALPN offers h2), "
            + "and over http with prior knowledge (h2c: no HTTP/1.1 first), like curl's --http2-prior-knowledge.")
    boolean http2;

    @Option(names = "--http1.1", description = "Speak HTTP/1.1 only (https: ALPN offers only http/1.1).")
    boolean http11;

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

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    /** Writes to the process's stdout and stderr; the progress bar appears when there is a terminal. */
    GetCommand() {
        this(System.out, System.err, isTerminal());
    }

    /** For tests: explicit streams, and whether to behave as on a terminal. */
    GetCommand(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** A local failure with its exit code; the message is the one line printed. */
    private static final class Failed extends Exception {
        final ExitCode code;

        Failed(ExitCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public Integer call() {
        ExitCode result;
        try {
            result = fetch();
        } catch (Failed f) {
            result = report(f.code, f.getMessage());
        } catch (IOException e) {
            result = report(e);
        }
        return result.code();
    }

    private ExitCode fetch() throws IOException, Failed {
        ClientRequest.Builder b = request();
        long offset = 0;
        if (resume) {
            if (output == null) throw new Failed(ExitCode.USAGE, "-C needs -o FILE (the partial file to continue)");
            if (Files.isRegularFile(output)) offset = Files.size(output);
            if (offset > 0) b.setHeader("Range", "bytes=" + offset + "-");
        }
        ClientConfig.Builder config = ClientConfig.builder().followRedirects(follow).maxRedirects(maxRedirects)
                .decompress(compressed && offset == 0).connectTimeout(seconds(connectTimeout, "--connect-timeout"));
        if (maxTime != null) config.requestTimeout(seconds(maxTime, "--max-time"));
        if (http2 && http11) throw new Failed(ExitCode.USAGE, "--http2 and --http1.1 exclude each other");
        config.httpVersion(http2 ? HttpVersion.HTTP_2_PRIOR_KNOWLEDGE : http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_2);
        if (insecure || caCert != null) {
            TrustSource trust = insecure ? new TrustSource.TrustAll() : new TrustSource.CaFile(caCert);
            ClientTls tls = ClientConfig.builder().build().tls(); // the defaults: ALPN follows the HTTP version
            config.tls(tls.withTrust(trust));
        }
        if (verbose || head) config.listener(new HeadPrinter(verbose ? err : null, head ? out : null, !insecure));
        try (HttpClient client = HttpClient.create(config.build()); ClientResponse res = client.send(b.build())) {
            int code = res.statusCode();
            if (head) return fail && code >= 400 ? ExitCode.HTTP_ERROR : ExitCode.OK;
            boolean append = false;
            long total = res.contentLength();
            if (offset > 0) {
                if (code == 416) return alreadyComplete(res, offset);
                if (code >= 400) {
                    throw new Failed(ExitCode.HTTP_ERROR, "the server answered " + res.status() + "; " + output + " was left as it was");
                }
                if (code == 206) {
                    total = checkRange(res, offset);
                    append = true;
                } else if (code == 200 && !silent) {
                    err.println("porter get: the server ignored the range; downloading " + output + " again from the start");
                }
            }
            if (fail && code >= 400) throw new Failed(ExitCode.HTTP_ERROR, "the server answered " + res.status());
            copy(res.body(), append, total, append ? offset : 0);
            return ExitCode.OK;
        }
    }

    private ClientRequest.Builder request() throws Failed {
        URI uri = parseUrl(url);
        String m = method != null ? method : head ? "HEAD" : data != null ? "POST" : "GET";
        ClientRequest.Builder b;
        try {
            b = ClientRequest.builder(m, uri);
        } catch (IllegalArgumentException e) {
            throw new Failed(ExitCode.USAGE, e.getMessage());
        }
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new Failed(ExitCode.USAGE, "bad header '" + h + "': expected 'Name: value'");
            try {
                b.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new Failed(ExitCode.USAGE, "bad header '" + h + "': " + e.getMessage());
            }
        }
        if (data != null) {
            b.body(ClientRequest.Body.of(data()));
            // Like curl: form data unless told otherwise.
            if (headers.stream().noneMatch(h -> h.regionMatches(true, 0, "Content-Type:", 0, 13))) {
                b.header("Content-Type", "application/x-www-form-urlencoded");
            }
        }
        return b;
    }

    /** @return the URL as a URI; {@code http://} is assumed when no scheme is given, like curl */
    static URI parseUrl(String s) throws Failed {
        String u = s.contains("://") ? s : "http://" + s;
        try {
            URI uri = new URI(u);
            if (uri.getHost() == null) throw new Failed(ExitCode.BAD_URL, "malformed URL '" + s + "': no host");
            return uri;
        } catch (URISyntaxException e) {
            throw new Failed(ExitCode.BAD_URL, "malformed URL '" + s + "': " + e.getReason());
        }
    }

    private byte[] data() throws Failed {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < data.size(); i++) {
            String d = data.get(i);
            if (i > 0) body.write('&');
            if (d.startsWith("@")) {
                try {
                    body.writeBytes(Files.readAllBytes(Path.of(d.substring(1))));
                } catch (IOException e) {
                    throw new Failed(ExitCode.READ_ERROR, "cannot read " + d.substring(1) + ": " + e.getMessage());
                }
            } else {
                body.writeBytes(d.getBytes(StandardCharsets.UTF_8));
            }
        }
        return body.toByteArray();
    }

    /**
     * Checks that a 206 continues exactly where the file ends ({@code Content-Range: bytes START-END/TOTAL},
     * RFC 9110 §14.4). @return the whole file's size, or -1 if unknown
     */
    private long checkRange(ClientResponse res, long offset) throws Failed {
        String range = res.header("Content-Range");
        long[] r = parseContentRange(range);
        if (r == null || r[0] != offset) {
            throw new Failed(ExitCode.RANGE_ERROR, "the server resumed with 'Content-Range: " + range + "', not at byte " + offset
                    + "; " + output + " was left as it was");
        }
        return r[2] >= 0 ? r[2] : res.contentLength() < 0 ? -1 : offset + res.contentLength();
    }

    /** 416 to a resume: the file is complete if its size is the total the server names. */
    private ExitCode alreadyComplete(ClientResponse res, long offset) throws Failed {
        String range = res.header("Content-Range");
        long total = range != null && range.startsWith("bytes */") ? parseLong(range.substring(8)) : -1;
        if (total >= 0 && total != offset) {
            throw new Failed(ExitCode.RANGE_ERROR, output + " has " + offset + " bytes but the server's resource has " + total
                    + "; not resumed");
        }
        if (!silent) err.println("porter get: " + output + " is already complete (" + offset + " bytes)");
        return ExitCode.OK;
    }

    /** @return {start, end, total} of {@code bytes START-END/TOTAL} (total -1 for {@code *}), or null */
    static long[] parseContentRange(String v) {
        if (v == null || !v.startsWith("bytes ")) return null;
        int dash = v.indexOf('-', 6);
        int slash = v.indexOf('/', 6);
        if (dash < 0 || slash < dash) return null;
        long start = parseLong(v.substring(6, dash).trim());
        long end = parseLong(v.substring(dash + 1, slash).trim());
        String t = v.substring(slash + 1).trim();
        long total = t.equals("*") ? -1 : parseLong(t);
        if (start < 0 || end < start || (total < 0 && !t.equals("*"))) return null;
        return new long[] {start, end, total};
    }

    private static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        return Long.parseLong(s);
    }

    private void copy(InputStream body, boolean append, long total, long offset) throws IOException, Failed {
        OutputStream sink;
        try {
            sink = output == null ? out : Files.newOutputStream(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new Failed(ExitCode.WRITE_ERROR, "cannot write " + output + ": " + e.getMessage());
        }
        ProgressBar bar = output != null && terminal && !silent ? new ProgressBar(err, total, offset) : null;
        boolean finished = false;
        try {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = body.read(buf)) > 0; ) {
                try {
                    sink.write(buf, 0, n);
                } catch (IOException e) {
                    throw new Failed(ExitCode.WRITE_ERROR, "cannot write " + output + ": " + e.getMessage());
                }
                // A PrintStream swallows write errors: a closed pipe (porter get URL | head) shows only here.
                if (sink == out && out.checkError()) throw new Failed(ExitCode.WRITE_ERROR, "cannot write to stdout");
                if (bar != null) bar.advance(n);
            }
            sink.flush();
            finished = true;
        } finally {
            if (bar != null) {
                if (finished) bar.finish();
                else err.println(); // leave the bar's line before the error line
            }
            if (sink != out) sink.close();
        }
    }

    private static Duration seconds(double s, String option) throws Failed {
        if (!(s > 0) || s > 1e9) throw new Failed(ExitCode.USAGE, option + " must be a positive number of seconds");
        return Duration.ofNanos((long) (s * 1e9));
    }

    private ExitCode report(IOException e) {
        String msg = e.getMessage();
        ExitCode code = switch (e) {
            case HttpClientException.UnsupportedScheme x -> ExitCode.UNSUPPORTED;
            case HttpClientException.MalformedResponse x -> {
                msg = "malformed response: " + msg;
                yield ExitCode.MALFORMED;
            }
            case HttpClientException.IncompleteResponse x -> x.empty() ? ExitCode.EMPTY_REPLY : ExitCode.PARTIAL;
            case HttpClientException.Timeout x -> ExitCode.TIMEOUT;
            case HttpClientException.TooManyRedirects x -> ExitCode.TOO_MANY_REDIRECTS;
            case UnknownHostException x -> {
                msg = "could not resolve host " + msg;
                yield ExitCode.UNKNOWN_HOST;
            }
            case ConnectException x -> ExitCode.CONNECT_FAILED;
            case TlsSetupException x -> {
                msg = "cannot use --cacert: " + msg;
                yield ExitCode.CA_FILE;
            }
            case SSLException x -> {
                String problem = certificateProblem(x);
                msg = problem != null ? problem : "TLS handshake failed: " + x.getMessage();
                yield problem != null ? ExitCode.PEER_CERTIFICATE : ExitCode.TLS_HANDSHAKE;
            }
            default -> {
                msg = e.getClass().getSimpleName() + ": " + msg;
                yield ExitCode.NETWORK;
            }
        };
        return report(code, msg);
    }

    /**
     * @return one line for a certificate that could not be authenticated (curl's exit 60), or null if the handshake
     *         failed for another reason (curl's 35)
     */
    static String certificateProblem(SSLException e) {
        Throwable certificate = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                certificate = t;
                break;
            }
            if (certificate == null && (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException)) {
                certificate = t;
            }
        }
        if (certificate == null) return null;
        String how = "; use --cacert FILE to trust its authority, or -k to skip the check";
        String m = certificate.getMessage() == null ? "" : certificate.getMessage();
        if (certificate instanceof CertificateExpiredException) {
            return "SSL certificate problem: the server's certificate has expired (" + m + ")";
        }
        if (certificate instanceof CertificateNotYetValidException) {
            return "SSL certificate problem: the server's certificate is not valid yet (" + m + ")";
        }
        if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
            return "SSL: the server's certificate is not for this host (" + m + ")";
        }
        if (certificate instanceof CertPathBuilderException || m.contains("unable to find valid certification path")) {
            return "SSL certificate problem: the server's certificate is not issued by a trusted authority" + how;
        }
        return "SSL certificate problem: " + m + how;
    }

    private ExitCode report(ExitCode code, String message) {
        String line = message == null ? "failed" : message.replace('\r', ' ').replace('\n', ' ');
        out.flush();
        err.println("porter get: " + line);
        err.flush();
        return code;
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
