package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code porter demo} as a user runs it, for what fails before it listens, and its help. */
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

    @Test
    void helpShowsNoLimitAsUnlimitedNotAsLongMaxValue() {
        Cli.Result help = Cli.run("demo", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains("--max-body=BYTES Largest request body accepted, in bytes (or unlimited). Default: unlimited.");
        for (String command : new CommandLine(new Main()).getSubcommands().keySet()) {
            assertThat(Cli.run(command, "--help").out()).as(command + " --help")
                    .doesNotContain(Long.toString(Long.MAX_VALUE)).doesNotContain(Integer.toString(Integer.MAX_VALUE));
        }
    }

    @Test
    void maxBodyTakesBytesOrUnlimited(@TempDir Path tmp) {
        // Each run stops at the missing --static folder, after the options were read.
        String missing = tmp.resolve("missing").toString();
        for (String value : new String[] {"unlimited", "UNLIMITED", "0", "1048576"}) {
            assertThat(Cli.run("demo", "-p", "0", "--max-body", value, "--static", missing).err()).as(value).contains("--static): no such file");
        }
        for (String value : new String[] {"-1", "lots", "1.5"}) {
            Cli.Result r = Cli.run("demo", "-p", "0", "--max-body", value, "--static", missing);
            assertThat(r.exitCode()).as(value).isEqualTo(ExitCode.USAGE.code());
            assertThat(r.err()).as(value).startsWith("Invalid value for option '--max-body': '" + value + "' ").doesNotContain("Exception");
        }
    }
}
