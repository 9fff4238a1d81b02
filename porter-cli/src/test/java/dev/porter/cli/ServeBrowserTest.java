package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code porter serve} in a real browser: src/test/node/serve-browser.mjs drives Debian's Chromium with Playwright
 * ({@link Playwright}: {@code playwright-core} from npm; it never downloads a browser) through
 * the flows a person uses: sorting the listing, uploading through its form, creating a folder, downloading a folder
 * as a zip, and a single-page app's client-side route. It also takes the listing's screenshots (light, dark, phone);
 * {@code -Dporter.screenshots=DIR} copies them there ({@code docs/img} to refresh the documentation's). Skipped
 * when node, npm or Chromium is missing.
 */
class ServeBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Listening on (http://[^ ]+:\\d+)");
    private static final Path NODE_SOURCES = Path.of("src/test/node");

    @TempDir
    Path tmp;

    @Test
    void uploadSortZipAndSpaInChromium() throws Exception {
        Path nodeDir = Playwright.install();
        // An ES module finds its imports beside it (NODE_PATH is for CommonJS): the driver runs from target/node.
        Files.copy(NODE_SOURCES.resolve("serve-browser.mjs"), nodeDir.resolve("serve-browser.mjs"),
                StandardCopyOption.REPLACE_EXISTING);

        Path listing = listingSite(tmp.resolve("files"));
        Path spa = Files.createDirectories(tmp.resolve("spa"));
        Files.writeString(spa.resolve("index.html"), "<!doctype html><title>app</title><p id=route></p>"
                + "<script>document.getElementById('route').textContent = location.pathname</script>");
        Path upload = Files.writeString(tmp.resolve("notes from the phone.txt"), "uploaded through the form\n");
        Path out = Files.createDirectories(Path.of("target/browser"));

        try (ServeProcess files = ServeProcess.start(tmp, "serve", listing.toString(), "-p", "0", "-q",
                "--upload", "--mkdir", "--archives");
             ServeProcess app = ServeProcess.start(tmp, "serve", spa.toString(), "-p", "0", "-q", "--spa")) {
            String filesUrl = url(files) + "/";
            String appUrl = url(app) + "/";
            ProcessBuilder pb = new ProcessBuilder("node", nodeDir.resolve("serve-browser.mjs").toString())
                    .directory(nodeDir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(Map.of("LISTING_URL", filesUrl, "SPA_URL", appUrl,
                    "UPLOAD_FILE", upload.toString(), "OUT", out.toAbsolutePath().toString()));
            Process node = pb.start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).contains("8 passed, 0 failed");
        }
        assertThat(Files.readString(listing.resolve("docs/notes from the phone.txt"))).isEqualTo("uploaded through the form\n");
        assertThat(listing.resolve("docs/made in a browser")).isDirectory();
        try (ZipFile zip = new ZipFile(out.resolve("photos.zip").toFile())) {
            assertThat(zip.stream().map(e -> e.getName()).toList()).containsExactly("beach.jpg", "hike.jpg");
        }
        for (String shot : List.of("light", "dark", "phone")) {
            Path png = out.resolve("serve-listing-" + shot + ".png");
            assertThat(Files.size(png)).as(png.toString()).isGreaterThan(5_000);
            String keep = System.getProperty("porter.screenshots");
            if (keep != null && !keep.isBlank()) {
                Files.copy(png, Path.of(keep).resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A folder as people have them: folders, files of several sizes and dates, a link. */
    private static Path listingSite(Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.createDirectories(root.resolve("photos"));
        Files.write(root.resolve("photos/beach.jpg"), new byte[182_000]);
        Files.write(root.resolve("photos/hike.jpg"), new byte[245_000]);
        Files.writeString(root.resolve("docs/report.md"), "# Report\n");
        Files.write(root.resolve("big.bin"), new byte[3_400_000]);
        Files.writeString(root.resolve("medium.txt"), "m".repeat(12_000));
        Files.writeString(root.resolve("small.txt"), "small\n");
        Files.createSymbolicLink(root.resolve("latest"), root.resolve("photos"));
        Instant t = Instant.parse("2026-05-01T09:30:00Z");
        for (String n : List.of("docs", "photos", "big.bin", "medium.txt", "small.txt")) {
            Files.setLastModifiedTime(root.resolve(n), FileTime.from(t));
            t = t.plus(Duration.ofHours(26));
        }
        return root;
    }

    private static String url(ServeProcess p) throws InterruptedException {
        Matcher m = LISTENING.matcher(p.line(WAIT));
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }
}
