package dev.porter.cli;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit codes a script sees, named once in {@link ExitCode}. */
class ExitCodeTest {

    @Test
    void keepsTheNumbersScriptsRelyOn() {
        assertThat(ExitCode.OK.code()).isZero();
        assertThat(ExitCode.FAILURE.code()).isEqualTo(1);
        assertThat(ExitCode.USAGE.code()).isEqualTo(2);
        assertThat(ExitCode.HTTP_ERROR.code()).as("curl's -f").isEqualTo(22);
        assertThat(ExitCode.TIMEOUT.code()).as("curl's operation timeout").isEqualTo(28);
    }

    @Test
    void getsHelpFooterListsEveryCodeItCanReturn() {
        Cli.Result help = Cli.run("get", "--help");
        assertThat(help.exitCode()).isEqualTo(ExitCode.OK.code());
        String footer = help.out().substring(help.out().indexOf("Exit codes"));
        Set<Integer> listed = new TreeSet<>();
        for (String line : footer.lines().skip(1).toList()) {
            String[] words = line.strip().split(" +", 2);
            if (!words[0].isEmpty()) listed.add(Integer.parseInt(words[0]));
        }
        // FAILURE shares curl's 1 with UNSUPPORTED, so the distinct numbers are exactly what the footer lists.
        Set<Integer> codes = Arrays.stream(ExitCode.values()).map(ExitCode::code).collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(codes);
    }
}
