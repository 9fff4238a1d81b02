package dev.porter.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -V}/{@code --version} on {@code porter} and on every subcommand, as a user types it. */
class VersionOptionTest {

    private static final String NL = System.lineSeparator();

    @Test
    void everyCommandPrintsTheVersionForDashVAndDashDashVersion() {
        List<String> commands = new CommandLine(new Main()).getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help")) // picocli's help command has neither -h nor -V
                .toList();
        assertThat(commands).contains("serve", "get", "demo", "echo", "chat", "send");
        for (String command : commands) {
            for (String flag : new String[] {"-V", "--version"}) {
                Cli.Result r = Cli.run(command, flag);
                assertThat(r).as("porter " + command + " " + flag).isEqualTo(new Cli.Result(0, PorterVersion.VERSION + NL, ""));
            }
        }
        assertThat(Cli.run("-V")).isEqualTo(new Cli.Result(0, PorterVersion.VERSION + NL, ""));
    }

    @Test
    void theVersionNamesPorter() {
        assertThat(PorterVersion.VERSION).matches("porter \\d+\\.\\d+\\.\\d+.*");
    }
}
