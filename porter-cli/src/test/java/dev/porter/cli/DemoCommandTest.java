package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code porter demo} as a user runs it, for what fails before it listens: one line on stderr, exit 1. */
class DemoCommandTest {

    private static final String NL = System.lineSeparator();

    @Test
    void aStaticFolderThatCannotBeServedSaysWhy(@TempDir Path tmp) throws IOException {
        Path missing = tmp.resolve("missing");
        assertThat(Cli.run("demo", "-p", "0", "--static", missing.toString()))
                .isEqualTo(new Cli.Result(1, "", "porter demo: cannot serve " + missing + " (--static): no such file" + NL));
        Path file = Files.writeString(tmp.resolve("file.txt"), "not a folder");
        assertThat(Cli.run("demo", "-p", "0", "--static", file.toString()).err())
                .isEqualTo("porter demo: cannot serve " + file + " (--static): not a directory" + NL);
    }
}
