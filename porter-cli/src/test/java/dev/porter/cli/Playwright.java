package dev.porter.cli;

import dev.porter.http.testing.Chromium;
import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The browser tests' Node side: {@code playwright-core} from npm (src/test/node/package.json and its lock file),
 * installed into target/node once and again only when either file changed; it drives the system's Chromium and
 * never downloads a browser. The drivers (src/test/node/*.js, *.mjs) run from that folder or with
 * {@code NODE_PATH} pointing into it.
 */
final class Playwright {

    private static final Path SOURCES = Path.of("src", "test", "node");

    private Playwright() {
    }

    /**
     * @return target/node (absolute) with playwright-core installed; the calling test is skipped without node, npm
     *         or Chromium, or when npm cannot install it
     */
    static Path install() throws IOException {
        Assumptions.assumeTrue(Processes.onPath("node") && Processes.onPath("npm"),
                "node and npm are not installed (.ci/run installs them)");
        Chromium.require();
        Path dir = Path.of("target", "node").toAbsolutePath();
        Files.createDirectories(dir);
        boolean changed = false;
        for (String f : List.of("package.json", "package-lock.json")) {
            byte[] want = Files.readAllBytes(SOURCES.resolve(f));
            Path have = dir.resolve(f);
            if (!Files.exists(have) || !Arrays.equals(want, Files.readAllBytes(have))) {
                Files.write(have, want);
                changed = true;
            }
        }
        if (changed || !Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            Processes.Result r = Processes.run(Duration.ofMinutes(5), null, List.of("env",
                    "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1", "npm", "ci", "--no-audit", "--no-fund", "--prefix", dir.toString()));
            Assumptions.assumeTrue(r.exit() == 0, "npm could not install playwright-core: " + r);
        }
        return dir;
    }
}
