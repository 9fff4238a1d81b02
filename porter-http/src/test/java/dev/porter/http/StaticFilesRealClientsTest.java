package dev.porter.http;

import dev.porter.http.testing.Chromium;
import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real clients against {@link StaticFiles}: curl (ranges, resume, HEAD, compression), wget (mirroring a site) and
 * headless Chromium (a page with a stylesheet, an image and a script; a directory listing). Each test is skipped
 * with a message when its program is missing ({@code .ci/run} installs them).
 */
class StaticFilesRealClientsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    Path root;
    byte[] blob;
    StaticServer server;

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(tmp.resolve("site"));
        blob = new byte[2 * 1024 * 1024 + 123];
        new Random(42).nextBytes(blob);
        Files.write(root.resolve("blob.bin"), blob);
        Files.writeString(root.resolve("index.html"), """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Porter test page</title>
                <link rel="stylesheet" href="css/site.css"></head>
                <body><div id="box">styled</div>
                <img id="logo" src="img/logo.png" alt="logo">
                <p id="result">pending</p>
                <p><a href="about.html">About</a> <a href="docs/">Docs</a> <a href="blob.bin">Blob</a></p>
                <script src="js/app.js"></script>
                </body></html>
                """);
        Files.writeString(root.resolve("about.html"), "<!doctype html><title>About</title><p>About us. <a href=\"index.html\">Home</a>\n"
                + "<p>Porter serves files.</p>\n".repeat(100));
        Files.createDirectories(root.resolve("css"));
        Files.writeString(root.resolve("css/site.css"), "#box { color: rgb(1, 2, 3); }\n");
        Files.createDirectories(root.resolve("js"));
        Files.writeString(root.resolve("js/app.js"), """
                window.addEventListener('load', function () {
                  var img = document.getElementById('logo');
                  var color = getComputedStyle(document.getElementById('box')).color;
                  document.getElementById('result').textContent =
                      'img=' + img.naturalWidth + 'x' + img.naturalHeight + ';color=' + color;
                  document.body.dataset.loaded = 'yes';
                });
                """);
        Files.createDirectories(root.resolve("img"));
        Files.write(root.resolve("img/logo.png"), png(7, 5));
        Files.createDirectories(root.resolve("docs/deep"));
        Files.writeString(root.resolve("docs/guide.txt"), "A guide.\n");
        Files.writeString(root.resolve("docs/deep/notes.md"), "# Notes\n");
        Files.write(root.resolve("docs/deep/data.bin"), Arrays.copyOf(blob, 70_000));
        server = StaticServer.start(StaticFiles.Options.of(root).withGzip(true, 1024));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A minimal valid PNG (RGB, 8 bits, one orange colour), built by hand (no java.desktop in this module). */
    static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
            for (int y = 0; y < height; y++) {
                z.write(0); // filter type: none
                for (int x = 0; x < width; x++) z.write(new byte[] {(byte) 0xFF, (byte) 0x88, 0});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 2, 0, 0, 0});
        chunk(d, "IHDR", ihdr.toByteArray());
        chunk(d, "IDAT", raw.toByteArray());
        chunk(d, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static Path require(String program) {
        Path p = ExternalTool.find(program);
        assumeTrue(p != null, program + " is not installed; skipping (.ci/run installs it)");
        return p;
    }

    private ExternalTool.Result run(String... command) throws IOException, InterruptedException {
        ExternalTool.Result r = ExternalTool.run(List.of(command), tmp, LIMIT);
        assertThat(r.exit()).as(String.join(" ", command) + "\n" + r.stderr()).isZero();
        return r;
    }

    @Test
    void curlDownloadsRangesByteForByte() throws Exception {
        String curl = require("curl").toString();
        String url = server.url("/blob.bin");
        Path out = tmp.resolve("range.out");
        run(curl, "-sS", "-f", "-r", "0-99", "-o", out.toString(), url);
        assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(blob, 0, 100));
        run(curl, "-sS", "-f", "-r", "1000000-", "-o", out.toString(), url);
        assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(blob, 1_000_000, blob.length));
        run(curl, "-sS", "-f", "-r", "-500", "-o", out.toString(), url);
        assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(blob, blob.length - 500, blob.length));
        Path headers = tmp.resolve("headers.txt");
        run(curl, "-sS", "-f", "-r", "0-9,100-109", "-D", headers.toString(), "-o", out.toString(), url);
        String head = Files.readString(headers, StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.1 206").contains("multipart/byteranges");
        String body = Files.readString(out, StandardCharsets.ISO_8859_1);
        assertThat(body).contains("Content-Range: bytes 0-9/" + blob.length).contains("Content-Range: bytes 100-109/" + blob.length);
    }

    @Test
    void curlResumesAPartialDownloadByteForByte() throws Exception {
        String curl = require("curl").toString();
        Path out = tmp.resolve("resume.out");
        Files.write(out, Arrays.copyOf(blob, 777_777));
        ExternalTool.Result r = run(curl, "-sS", "-f", "-C", "-", "-w", "%{http_code}", "-o", out.toString(), server.url("/blob.bin"));
        assertThat(r.stdout()).isEqualTo("206");
        assertThat(Files.readAllBytes(out)).isEqualTo(blob);
    }

    @Test
    void curlHeadAndCompressedDownloadsWork() throws Exception {
        String curl = require("curl").toString();
        ExternalTool.Result head = run(curl, "-sS", "-f", "-I", server.url("/blob.bin"));
        assertThat(head.stdout()).contains("Content-Length: " + blob.length).contains("Accept-Ranges: bytes");
        Path out = tmp.resolve("index.out");
        ExternalTool.Result gz = run(curl, "-sS", "-f", "--compressed", "-D", "-", "-o", out.toString(), server.url("/about.html"));
        assertThat(gz.stdout()).contains("Content-Encoding: gzip");
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(root.resolve("about.html")));
    }

    @Test
    void wgetMirrorsTheSite() throws Exception {
        String wget = require("wget").toString();
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        ExternalTool.Result r = ExternalTool.run(List.of(wget, "-r", "-np", "-nH", "-e", "robots=off", "--tries=1",
                "--timeout=20", "-P", mirror.toString(), server.url("/")), tmp, LIMIT);
        assertThat(r.exit()).as(r.stderr()).isIn(0, 8); // 8: some link answered an error (none expected, reported below)
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        List<String> missing = new ArrayList<>();
        for (Path f : files) {
            Path copy = mirror.resolve(root.relativize(f).toString());
            if (!Files.exists(copy)) {
                missing.add(root.relativize(f).toString());
                continue;
            }
            assertThat(Files.readAllBytes(copy)).as(f.toString()).isEqualTo(Files.readAllBytes(f));
        }
        assertThat(missing).as("files wget did not fetch\n" + r.stderr()).isEmpty();
        assertThat(r.exit()).as(r.stderr()).isZero();
        // The listings were followed: docs/ had no index file, wget stored its listing page.
        assertThat(Files.readString(mirror.resolve("docs/index.html"))).contains("guide.txt");
    }

    private Processes.Result chromium(String url) throws Exception {
        return Chromium.dumpDom(Chromium.require(), tmp, LIMIT, url);
    }

    @Test
    void chromiumRendersAPageWithItsStylesheetImageAndScript() throws Exception {
        String dom = chromium(server.url("/")).stdout();
        assertThat(dom).contains("data-loaded=\"yes\"");
        assertThat(dom).contains("img=7x5;color=rgb(1, 2, 3)");
    }

    @Test
    void chromiumShowsADirectoryListing() throws Exception {
        String dom = chromium(server.url("/docs/")).stdout();
        assertThat(dom).contains("Index of").contains("guide.txt").contains("deep/").contains("Parent directory");
    }
}
