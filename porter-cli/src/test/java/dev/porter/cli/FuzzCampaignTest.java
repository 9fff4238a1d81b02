package dev.porter.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/fuzz}, run without targets, fuzzes every Jazzer target in the repository: the HTTP/2 frame
 * parser, HPACK decoder and server targets had been written after the script's list and were left out of its
 * campaigns (they ran only as regression tests).
 */
class FuzzCampaignTest {

    private static final Pattern FUZZ_TEST = Pattern.compile("@FuzzTest[^\\n]*\\n\\s*(?:public\\s+)?void\\s+(\\w+)\\(");
    private static final Pattern TARGET = Pattern.compile("\\b(\\w+FuzzTest#\\w+)\\b");

    @Test
    void theDefaultCampaignCoversEveryFuzzTestInTheRepository() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in porter-cli/
        Set<String> written = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith("FuzzTest.java") && p.toString().contains("/src/test/"))
                    .toList()) {
                String cls = f.getFileName().toString().replace(".java", "");
                for (Matcher m = FUZZ_TEST.matcher(Files.readString(f)); m.find(); ) written.add(cls + "#" + m.group(1));
            }
        }
        Set<String> campaign = new TreeSet<>();
        for (Matcher m = TARGET.matcher(Files.readString(root.resolve("scripts/fuzz"))); m.find(); ) campaign.add(m.group(1));
        assertThat(written).as("fuzz tests found").hasSizeGreaterThanOrEqualTo(13);
        assertThat(campaign).isEqualTo(written);
    }
}
