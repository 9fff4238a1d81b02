package dev.porter.cli;

import dev.porter.cli.GetCommandTest.Run;
import dev.porter.http.Handler;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.testing.Nginx;
import dev.porter.http.testing.RawServer;
import dev.porter.http.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static dev.porter.cli.GetCommandTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code porter get -C}: resuming a partial file with a Range request, against Porter's server and real nginx. */
class GetResumeTest {

    private static final byte[] CONTENT = new byte[300_000];
    private static final AtomicReference<String> lastRange = new AtomicReference<>();
    private static HttpServer server;
    private static String base;

    /** Serves CONTENT honouring {@code Range: bytes=N-} (RFC 9110 §14), with the given start in Content-Range. */
    private static Handler ranged(long lie) {
        return (req, res) -> {
            String range = req.header("Range");
            lastRange.set(range);
            if (range == null) {
                res.send(CONTENT);
                return;
            }
            int start = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            if (start >= CONTENT.length) {
                res.status(416).header("Content-Range", "bytes */" + CONTENT.length).send("");
                return;
            }
            res.status(206).header("Content-Range", "bytes " + (start + lie) + "-" + (CONTENT.length - 1) + "/" + CONTENT.length);
            res.send(Arrays.copyOfRange(CONTENT, start, CONTENT.length));
        };
    }

    @BeforeAll
    static void start() throws IOException {
        new Random(7).nextBytes(CONTENT);
        Router router = new Router()
                .get("/file", ranged(0))
                .get("/liar", ranged(10))
                .get("/norange", (req, res) -> res.send(CONTENT))
                .get("/missing", (req, res) -> res.status(404).send("gone\n"));
        server = HttpServer.start(HttpConfig.defaults(), router);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Path partial(Path dir, int length) throws IOException {
        return Files.write(dir.resolve("download.bin"), Arrays.copyOf(CONTENT, length));
    }

    @Test
    void resumesAPartialFileWithARangeRequest(@TempDir Path tmp) throws IOException {
        Path file = partial(tmp, 100_000);
        Run r = get(true, "-C", "-o", file.toString(), base + "/file");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(lastRange.get()).isEqualTo("bytes=100000-");
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
        // The bar counts the whole file, the part already there included.
        assertThat(r.err()).contains("100% [").contains("293.0 KiB / 293.0 KiB");
    }

    @Test
    void takesCurlsSpellingDashCDash(@TempDir Path tmp) throws IOException {
        Path file = partial(tmp, 200_000);
        Run r = get("-C", "-", "-o", file.toString(), base + "/file");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(lastRange.get()).isEqualTo("bytes=200000-");
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    }

    @Test
    void resumesAfterADownloadWasCutShort(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("download.bin");
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + CONTENT.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawServer cut = RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(CONTENT, 0, 123_456);
            out.flush();
        })) {
            Run broken = get("-o", file.toString(), cut.url("/file"));
            assertThat(broken.code()).isEqualTo(ExitCode.PARTIAL.code());
        }
        assertThat(Files.size(file)).isEqualTo(123_456);
        Run resumed = get("-C", "-o", file.toString(), base + "/file");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    }

    @Test
    void startsFromTheBeginningWithoutAFile(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("download.bin");
        assertThat(get("-C", "-o", file.toString(), base + "/file").code()).isZero();
        assertThat(lastRange.get()).isNull();
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    }

    @Test
    void rewritesTheWholeFileWhenTheServerIgnoresTheRange(@TempDir Path tmp) throws IOException {
        Path file = Files.write(tmp.resolve("download.bin"), new byte[1000]); // not even a prefix of the content
        Run r = get("-C", "-o", file.toString(), base + "/norange");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("ignored the range");
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    }

    @Test
    void treats416AsAlreadyComplete(@TempDir Path tmp) throws IOException {
        Path file = partial(tmp, CONTENT.length);
        Run r = get("-C", "-o", file.toString(), base + "/file");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("already complete (300000 bytes)");
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);
    }

    @Test
    void refusesARangeThatDoesNotContinueTheFile(@TempDir Path tmp) throws IOException {
        Path file = partial(tmp, 5000);
        Run r = get("-C", "-o", file.toString(), base + "/liar");
        assertThat(r.code()).isEqualTo(ExitCode.RANGE_ERROR.code());
        assertThat(r.err().lines()).singleElement().asString().contains("not at byte 5000");
        assertThat(Files.size(file)).isEqualTo(5000);
    }

    @Test
    void leavesTheFileAloneWhenTheServerAnswersAnError(@TempDir Path tmp) throws IOException {
        Path file = partial(tmp, 5000);
        Run r = get("-C", "-o", file.toString(), base + "/missing");
        assertThat(r.code()).isEqualTo(ExitCode.HTTP_ERROR.code());
        assertThat(Files.readAllBytes(file)).isEqualTo(Arrays.copyOf(CONTENT, 5000));
    }

    @Test
    void resumesAgainstNginx(@TempDir Path tmp) throws Exception {
        try (Nginx nginx = Nginx.start("")) {
            Path served = nginx.root().resolve("data.bin");
            String sha = TestFiles.write(served, 20L << 20);
            Path file = tmp.resolve("data.bin");
            try (var in = Files.newInputStream(served); var out = Files.newOutputStream(file)) {
                out.write(in.readNBytes(7 << 20));
            }
            Run r = get("-C", "-o", file.toString(), nginx.url("/data.bin"));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(TestFiles.sha256(file)).isEqualTo(sha);
            assertThat(nginx.accessLog()).contains("\"GET /data.bin HTTP/1.1\" 206 " + (13 << 20));
            Run again = get("-C", "-o", file.toString(), nginx.url("/data.bin"));
            assertThat(again.code()).isZero();
            assertThat(again.err()).contains("already complete");
            assertThat(TestFiles.sha256(file)).isEqualTo(sha);
        }
    }
}
