package dev.porter.cli;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code porter get} in-process against Porter's server and raw sockets: output, heads, options and exit codes. */
class GetCommandTest {

    private static HttpServer server;
    private static String base;
    private static final byte[] BINARY = new byte[256 * 300];

    /** One run of the command: its exit code and what it printed. */
    record Run(int code, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }
    }

    static Run get(boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = new CommandLine(new GetCommand(o, e, terminal)).setExpandAtFiles(false).execute(args); // as Main runs it
            return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        }
    }

    static Run get(String... args) {
        return get(false, args);
    }

    @BeforeAll
    static void start() throws IOException {
        for (int i = 0; i < BINARY.length; i++) BINARY[i] = (byte) i;
        Router router = new Router()
                .get("/binary", (req, res) -> res.send(BINARY))
                .get("/text", (req, res) -> res.send("plain text\n"))
                .post("/echo", (req, res) -> res.send(req.method() + " " + req.header("Content-Type") + " "
                        + req.header("X-Extra") + " " + req.bodyString()))
                .put("/echo", (req, res) -> res.send(req.method() + " " + req.header("Content-Type") + " "
                        + req.header("X-Extra") + " " + req.bodyString()))
                .get("/moved", (req, res) -> res.status(302).header("Location", "/text").send("moved\n"))
                .get("/missing", (req, res) -> res.status(404).send("no such thing\n"));
        server = HttpServer.start(HttpConfig.defaults(), router);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aHostNameWithAnUnderscoreIsFetchedAsCurlDoes(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // Docker Compose names services my_service; java.net.URI does not parse such a host (RFC 3986 allows it).
        // A child porter resolves the name through a hosts file of its own.
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 my_service\n");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "get", "-v", "http://my_service:" + server.port() + "/moved", "-L").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("* Connected to my_service (127.0.0.1) port " + server.port())
                .contains("> Host: my_service:" + server.port()).endsWith("plain text\n");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void writesTheBodyToStdoutByteForByte() {
        Run r = get(base + "/binary");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(BINARY);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void writesToAFileWithAProgressBarOnlyOnATerminal(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("out.bin");
        Run quiet = get(false, base + "/binary", "-o", file.toString());
        assertThat(quiet.code()).isZero();
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err()).isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo(BINARY);

        Run shown = get(true, base + "/binary", "-o", file.toString());
        assertThat(shown.code()).isZero();
        assertThat(shown.err()).startsWith("\r").contains("100% [").contains("75.0 KiB / 75.0 KiB").contains("/s").endsWith("\n");
        assertThat(Files.readAllBytes(file)).isEqualTo(BINARY);

        assertThat(get(true, base + "/binary", "-s", "-o", file.toString()).err()).isEmpty();
    }

    @Test
    void headPrintsTheResponseHeadOnly() {
        Run r = get("-I", base + "/text");
        assertThat(r.code()).isZero();
        assertThat(r.outText()).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 11\r\n").endsWith("\r\n\r\n")
                .doesNotContain("plain text");
    }

    @Test
    void verboseShowsRequestAndResponseHeadsOnStderr() {
        Run r = get("-v", base + "/text");
        assertThat(r.code()).isZero();
        assertThat(r.outText()).isEqualTo("plain text\n");
        assertThat(r.err()).contains("* Connected to 127.0.0.1 (127.0.0.1) port " + server.port())
                .contains("> GET /text HTTP/1.1\n").contains("> Host: 127.0.0.1:" + server.port() + "\n")
                .contains("< HTTP/1.1 200 OK\n").contains("< Content-Length: 11\n");
    }

    @Test
    void sendsDataWithMethodAndHeaders() {
        Run post = get("-d", "a=1", "-d", "b=2", base + "/echo");
        assertThat(post.outText()).isEqualTo("POST application/x-www-form-urlencoded null a=1&b=2");
        Run put = get("-X", "PUT", "-H", "X-Extra: yes", "-H", "Content-Type: text/plain", "-d", "hi", base + "/echo");
        assertThat(put.outText()).isEqualTo("PUT text/plain yes hi");
    }

    @Test
    void sendsAFileWithDataAt(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path body = Files.writeString(tmp.resolve("form.txt"), "from=file");
        assertThat(get("-d", "@" + body, base + "/echo").outText()).endsWith(" from=file");
        Run missing = get("-d", "@" + tmp.resolve("nope"), base + "/echo");
        assertThat(missing.code()).isEqualTo(ExitCode.READ_ERROR.code());
    }

    @Test
    void dataAtDashSendsStandardInputAsCurlDoes() {
        // echo '{"a":1}' | porter get -d @- URL, as with curl.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            java.io.InputStream stdin = new java.io.ByteArrayInputStream("from=stdin".getBytes(StandardCharsets.UTF_8));
            int code = new CommandLine(new GetCommand(stdin, o, e, false)).setExpandAtFiles(false)
                    .execute("-d", "@-", "-d", "and=more", base + "/echo");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(code).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(" from=stdin&and=more");
        }
    }

    @Test
    void dataAtFileSendsTheFilesBytesNotItsWordsAsArguments(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        // picocli expands @FILE arguments into the words of FILE unless told not to: the body must be the bytes.
        Path body = Files.writeString(tmp.resolve("form.txt"), "two words\nand \"a quoted line\"\n");
        Cli.Result r = Cli.run("get", "-d", "@" + body, base + "/echo");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("POST application/x-www-form-urlencoded null two words\nand \"a quoted line\"\n");
    }

    @Test
    void filesThatCannotBeReadOrWrittenSayWhy(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path missing = tmp.resolve("missing");
        assertThat(Cli.run("get", "-d", "@" + missing, base + "/echo")).isEqualTo(new Cli.Result(ExitCode.READ_ERROR.code(), "",
                "porter get: cannot read " + missing + ": no such file" + System.lineSeparator()));

        assertThat(Cli.run("get", "-d", "@" + tmp, base + "/echo").err())
                .isEqualTo("porter get: cannot read " + tmp + ": is a directory" + System.lineSeparator());

        Path inMissingDir = tmp.resolve("missing-dir/x");
        assertThat(Cli.run("get", "-o", inMissingDir.toString(), base + "/text")).isEqualTo(new Cli.Result(ExitCode.WRITE_ERROR.code(), "",
                "porter get: cannot write " + inMissingDir + ": no such directory" + System.lineSeparator()));
        assertThat(Cli.run("get", "-o", tmp.toString(), base + "/text").err())
                .isEqualTo("porter get: cannot write " + tmp + ": is a directory" + System.lineSeparator());
    }

    @Test
    void followsRedirectsOnlyWhenAsked() {
        Run stay = get(base + "/moved");
        assertThat(stay.code()).isZero();
        assertThat(stay.outText()).isEqualTo("moved\n");
        Run follow = get("-L", base + "/moved");
        assertThat(follow.outText()).isEqualTo("plain text\n");
    }

    @Test
    void failTurnsHttpErrorsIntoExitCode22() {
        Run plain = get(base + "/missing");
        assertThat(plain.code()).isZero();
        assertThat(plain.outText()).isEqualTo("no such thing\n");
        Run failed = get("--fail", base + "/missing");
        assertThat(failed.code()).isEqualTo(22);
        assertThat(failed.out()).isEmpty();
        assertThat(failed.err().lines()).singleElement().asString().contains("404 Not Found");
    }

    @Test
    void reportsEachFailureAsOneLineWithItsOwnExitCode() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertOneLine(get("http://127.0.0.1:" + closedPort + "/"), ExitCode.CONNECT_FAILED.code(), "Connection refused");
        assertOneLine(get("ftp://127.0.0.1:" + server.port() + "/"), ExitCode.UNSUPPORTED.code(), "only http and https");
        assertOneLine(get("http://bad host/"), ExitCode.BAD_URL.code(), "malformed URL");
        assertOneLine(get("-H", "no colon", base + "/text"), ExitCode.USAGE.code(), "bad header");
        assertOneLine(get("-C", base + "/text"), ExitCode.USAGE.code(), "-C needs -o");
        try (RawServer silent = RawServer.silent()) {
            assertOneLine(get("-m", "0.5", silent.url("/")), ExitCode.TIMEOUT.code(), "did not complete within 500 ms");
        }
        try (RawServer bad = RawServer.replying("HTTP/1.1 200 OK\nContent-Length: 0\n\n".getBytes(StandardCharsets.US_ASCII))) {
            assertOneLine(get(bad.url("/")), ExitCode.MALFORMED.code(), "malformed response: line ended by a bare LF");
        }
        try (RawServer cut = RawServer.replying("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort".getBytes(StandardCharsets.US_ASCII))) {
            Run r = get(cut.url("/"));
            assertOneLine(r, ExitCode.PARTIAL.code(), "5 of 100");
            assertThat(r.outText()).isEqualTo("short");
        }
        try (RawServer mute = RawServer.replying(new byte[0])) {
            assertOneLine(get(mute.url("/")), ExitCode.EMPTY_REPLY.code(), "without sending a response");
        }
        try (RawServer loop = RawServer.start(s -> {
            while (RawServer.readHead(s.getInputStream()) != null) {
                s.getOutputStream().write("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        })) {
            assertOneLine(get("-L", "--max-redirs", "3", loop.url("/")), ExitCode.TOO_MANY_REDIRECTS.code(), "more than 3 redirects");
        }
    }

    @Test
    void badUrlsAreOneLineWithoutAStackTrace() {
        String[][] cases = {
                {"http://127.0.0.1:99999/", "invalid port '99999'"},
                {"localhost:99999", "invalid port '99999'"},
                {"http://127.0.0.1:99999999999/", "invalid port '99999999999'"},
                {"http://127.0.0.1:abc/", "invalid port 'abc'"},
                {"http://127.0.0.1:-1/", "invalid port '-1'"},
                {"http://[::1]:65536/", "invalid port '65536'"},
                {"http://:8080/", "no host"},
                {"http:///path", "no host"},
                {"http://", "Expected authority"},
                {"http:/path", "expected http:// or https://"},
                {"http://bad!host/", "invalid host name 'bad!host'"}, // (under_score is a valid name: fetched as curl does)
        };
        for (String[] c : cases) {
            Cli.Result r = Cli.run("get", c[0]);
            assertThat(r.exitCode()).as(c[0] + ": " + r.err()).isEqualTo(ExitCode.BAD_URL.code());
            assertThat(r.out()).as(c[0]).isEmpty();
            assertThat(r.err().lines()).as(c[0]).singleElement().asString()
                    .startsWith("porter get: malformed URL '" + c[0] + "': ").contains(c[1]);
        }
        Cli.Result scheme = Cli.run("get", "ftp://127.0.0.1:" + server.port() + "/");
        assertThat(scheme.exitCode()).isEqualTo(ExitCode.UNSUPPORTED.code());
        assertThat(scheme.err().lines()).singleElement().asString().startsWith("porter get: ").contains("only http and https");
    }

    private static void assertOneLine(Run r, int code, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err().lines()).as(r.err()).singleElement().asString().startsWith("porter get: ").contains(message);
    }

    @Test
    void mainKnowsTheGetCommand() {
        assertThat(new CommandLine(new Main()).getSubcommands()).containsKey("get");
    }
}
