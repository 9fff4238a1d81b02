package dev.porter.cli;

import dev.porter.examples.FormUpload;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.Processes;
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

/**
 * Headless Chromium submits a real {@code <form enctype="multipart/form-data">} with a note and four files
 * (one binary, one with a non-ASCII name, one with a quote and one with a backslash in its name) to the
 * {@link FormUpload} example, which reads it with {@code dev.porter.http.Multipart}: every file arrives byte for
 * byte, and the names come as the HTML standard has browsers send them (UTF-8, {@code "} as {@code %22}, a
 * backslash raw). The Node driver is
 * src/test/node/form-upload-browser.js ({@link Playwright}). Skipped without node, npm or Chromium.
 */
class FormUploadBrowserTest {

    @TempDir
    Path tmp;

    @Test
    void chromiumSubmitsAFormWithFilesAndEachArrivesIntact() throws Exception {
        Path modules = Playwright.install();
        Path stored = Files.createDirectories(tmp.resolve("stored"));
        Path picks = Files.createDirectories(tmp.resolve("picks"));
        byte[] binary = new byte[1_500_000];
        new Random(11).nextBytes(binary);
        Path photo = Files.write(picks.resolve("photo.jpg"), binary);
        Path resume = Files.writeString(picks.resolve("r\u00e9sum\u00e9 \u65e5\u672c.txt"), "caf\u00e9\n");
        Path quoted = Files.writeString(picks.resolve("say \"hi\".txt"), "hi\n");
        Path backslash = Files.writeString(picks.resolve("back\\slash.txt"), "\\\n");
        try (HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), FormUpload.router(stored))) {
            List<String> command = new ArrayList<>(List.of("env", "NODE_PATH=" + modules.resolve("node_modules"), "node",
                    Path.of("src", "test", "node", "form-upload-browser.js").toAbsolutePath().toString(),
                    "http://127.0.0.1:" + server.port() + "/", "from the browser, \u00e9t\u00e9",
                    photo.toString(), resume.toString(), quoted.toString(), backslash.toString()));
            Processes.Result r = Processes.run(Duration.ofMinutes(2), null, command);
            assertThat(r.exit()).as(r.toString()).isZero();
            List<String> lines = r.stdout().lines().filter(l -> !l.isBlank()).map(l -> l.replaceAll("as [0-9a-f-]+\\.upload$", "as X"))
                    .toList();
            assertThat(lines).as(r.toString()).containsExactly(
                    "status 200",
                    "note: from the browser, \u00e9t\u00e9",
                    "saved photo.jpg (image/jpeg, 1500000 bytes) as X",
                    "saved r\u00e9sum\u00e9 \u65e5\u672c.txt (text/plain, 6 bytes) as X",
                    "saved say %22hi%22.txt (text/plain, 3 bytes) as X",
                    "saved back\\slash.txt (text/plain, 2 bytes) as X",
                    "ok");
        }
        try (Stream<Path> s = Files.list(stored)) {
            List<byte[]> contents = new ArrayList<>();
            for (Path p : s.toList()) contents.add(Files.readAllBytes(p));
            assertThat(contents).hasSize(4).anySatisfy(c -> assertThat(c).isEqualTo(binary))
                    .anySatisfy(c -> assertThat(new String(c, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("caf\u00e9\n"))
                    .anySatisfy(c -> assertThat(new String(c, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hi\n"));
        }
    }
}
