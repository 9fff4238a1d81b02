package dev.porter.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's commands work from a clone: every file of the repository it names exists, and it names nothing
 * outside it (its conformance example once pointed to ../shared, which a clone does not have).
 */
class ReadmePathsTest {

    private static final Pattern REPOSITORY_PATH =
            Pattern.compile("(?<![\\w/.-])(?:\\./)?(?:scripts|bench|docs|examples|porter-[a-z]+)/[\\w./-]*\\w");

    @Test
    void everyPathTheReadmeNamesIsInTheRepository() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in porter-cli/
        String readme = Files.readString(root.resolve("README.md"));
        assertThat(readme).as("a path out of the repository").doesNotContain("../");
        List<String> named = new ArrayList<>();
        for (Matcher m = REPOSITORY_PATH.matcher(readme); m.find(); ) named.add(m.group());
        assertThat(named).contains("scripts/conformance");
        for (String path : named) assertThat(root.resolve(path)).as(path).exists();
    }
}
