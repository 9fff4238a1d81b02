package dev.porter.http;

import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Multipart} read from forms as real clients send them over real sockets: curl's {@code -F} with
 * Content-Length, chunked and over HTTP/2 (h2c, prior knowledge), and Python's http.client with a body built by
 * hand. Both ways in are used: the streaming {@code /parts} and the convenience {@code /form} of
 * {@link MultipartEcho}. Skipped for a client that is not installed.
 */
class MultipartClientsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    Path uploads;
    HttpServer server;
    byte[] binary;
    Path binaryFile;
    Path textFile;

    @BeforeEach
    void start() throws Exception {
        uploads = Files.createDirectories(tmp.resolve("uploads"));
        server = TestHttp.start(MultipartEcho.router(Multipart.Limits.DEFAULTS, uploads));
        binary = new byte[300_000];
        new Random(3).nextBytes(binary);
        // Bytes a sloppy parser would take for a delimiter: CRLF and "--" in the data.
        System.arraycopy("\r\n--\r\n--".getBytes(), 0, binary, 1000, 8);
        binaryFile = Files.write(tmp.resolve("data.bin"), binary);
        textFile = Files.writeString(tmp.resolve("notes.txt"), "line one\r\nline two\n");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private String curl(String... args) throws Exception {
        Path curl = ExternalTool.find("curl");
        assumeTrue(curl != null, "curl is not installed");
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "30"));
        command.addAll(List.of(args));
        ExternalTool.Result r = ExternalTool.run(command, tmp, LIMIT);
        assertThat(r.exit()).as(String.join(" ", command) + "\n" + r.stderr()).isZero();
        return r.stdout();
    }

    private String expected() throws Exception {
        return "field a=1\n"
                + "field note=two words, \u00e9t\u00e9\n"
                + "file f [notes.txt] text/plain " + MultipartEcho.digest(Files.readAllBytes(textFile)) + "\n"
                + "file g [x y.txt] application/octet-stream " + MultipartEcho.digest(binary) + "\n"
                + "file h [r\u00e9sum\u00e9 \u65e5\u672c.bin] application/octet-stream " + MultipartEcho.digest(binary) + "\n";
    }

    private List<String> form(String path) {
        return List.of("-F", "a=1", "-F", "note=two words, \u00e9t\u00e9", "-F", "f=@" + textFile,
                "-F", "g=@" + binaryFile + ";filename=x y.txt;type=application/octet-stream",
                "-F", "h=@" + binaryFile + ";filename=r\u00e9sum\u00e9 \u65e5\u672c.bin", "http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void curlFormWithContentLengthStreamsEveryPartIntact() throws Exception {
        assertThat(curl(form("/parts").toArray(String[]::new))).isEqualTo(expected());
    }

    @Test
    void curlFormChunkedStreamsEveryPartIntact() throws Exception {
        List<String> args = new ArrayList<>(List.of("-H", "Transfer-Encoding: chunked"));
        args.addAll(form("/parts"));
        assertThat(curl(args.toArray(String[]::new))).isEqualTo(expected());
    }

    @Test
    void curlFormOverHttp2PriorKnowledgeStreamsEveryPartIntact() throws Exception {
        List<String> args = new ArrayList<>(List.of("--http2-prior-knowledge", "-w", "HTTP/%{http_version}"));
        args.addAll(form("/parts"));
        assertThat(curl(args.toArray(String[]::new))).isEqualTo(expected() + "HTTP/2");
    }

    @Test
    void curlFormReadWholeKeepsFilesUntilCloseAndThenDeletesThem() throws Exception {
        String answer = curl(form("/form").toArray(String[]::new));
        assertThat(answer).isEqualTo("field a=[1]\nfield note=[two words, \u00e9t\u00e9]\n" + expected().lines()
                .filter(l -> l.startsWith("file")).map(l -> l + "\n").reduce("", String::concat));
        try (Stream<Path> left = Files.list(uploads)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void curlFormOverHttp2ReadWhole() throws Exception {
        List<String> args = new ArrayList<>(List.of("--http2-prior-knowledge"));
        args.addAll(form("/form"));
        assertThat(curl(args.toArray(String[]::new))).startsWith("field a=[1]\n").doesNotContain("left behind");
    }

    @Test
    void pythonHttpClientWithABodyBuiltByHand() throws Exception {
        Path python = ExternalTool.find("python3");
        assumeTrue(python != null, "python3 is not installed");
        String script = String.join("\n",
                "import http.client, sys",
                "port, path = int(sys.argv[1]), sys.argv[2]",
                "data = open(path, 'rb').read()",
                "b = b'py-' + b'x' * 60",
                "body = b''.join([",
                "    b'preamble, ignored\\r\\n',",
                "    b'--' + b + b'\\r\\nContent-Disposition: form-data; name=\"city\"\\r\\n',",
                "    b'Content-Type: text/plain; charset=iso-8859-1\\r\\n\\r\\nS\\xe8te\\r\\n',",
                "    b'--' + b + b'\\r\\nContent-Disposition: form-data; name=\"blob\"; filename=\"blob.bin\"\\r\\n',",
                "    b'Content-Type: application/octet-stream\\r\\n\\r\\n' + data + b'\\r\\n',",
                "    b'--' + b + b'--\\r\\nepilogue, ignored'])",
                "c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)",
                "c.request('POST', '/parts', body, {'Content-Type': 'multipart/form-data; boundary=\"' + b.decode() + '\"'})",
                "r = c.getresponse()",
                "sys.stdout.write(str(r.status) + '\\n' + r.read().decode('utf-8'))");
        ExternalTool.Result r = ExternalTool.run(List.of(python.toString(), "-c", script, String.valueOf(server.port()),
                binaryFile.toString()), tmp, LIMIT);
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("200\nfield city=S\u00e8te\nfile blob [blob.bin] application/octet-stream "
                + MultipartEcho.digest(binary) + "\n");
    }
    @Test
    void overHttp2ARefusedFormEndsItsStreamAndTheConnectionServesTheNext() throws Exception {
        // Python's h2 (curl 7.88 cannot reuse an h2c prior-knowledge connection, with nginx as with Porter).
        Path python = ExternalTool.find("python3");
        assumeTrue(python != null, "python3 is not installed");
        assumeTrue(ExternalTool.run(List.of(python.toString(), "-c", "import h2"), tmp, LIMIT).exit() == 0,
                "python3-h2 is not installed");
        Path script = tmp.resolve("multipart_h2_forms.py");
        try (java.io.InputStream in = MultipartClientsTest.class.getResourceAsStream("multipart_h2_forms.py")) {
            Files.copy(in, script);
        }
        ExternalTool.Result r = ExternalTool.run(List.of(python.toString(), script.toString(), String.valueOf(server.port())),
                tmp, LIMIT);
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("1 400 malformed multipart body: the body ended before its closing boundary open\n"
                + "3 200 field a=1 open\n");
    }

    @Test
    void curlSendsABackslashInAFileNameRawAndItArrivesSo() throws Exception {
        // curl, like browsers, writes " as %22 and leaves a backslash as it is: filename="a\b.txt".
        assertThat(curl("-F", "f=@" + textFile + ";filename=a\\b.txt", "-F", "g=@" + textFile + ";filename=say \"hi\".txt",
                "http://127.0.0.1:" + server.port() + "/parts"))
                .startsWith("file f [a\\b.txt] text/plain ").contains("\nfile g [say %22hi%22.txt] text/plain ");
    }
}
