package dev.porter.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The load-balancer options exist on every server command, and bad values are usage errors (exit 2), never traces. */
class BalancerOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"serve", "demo", "echo", "chat"})
    void everyServerCommandHasThem(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--proxy-protocol", "--trusted-proxy", "--reuse-port", "--drain-grace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0.0/33", "10.0.0.0/", "::1/200"})
    void aTrustedProxyMustBeAnAddressOrCidrBlock(String value) {
        Cli.Result r = Cli.run("echo", "-p", "0", "--proxy-protocol", "--trusted-proxy", value);
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--trusted-proxy").doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "10x", "-1s", "1.5s", "ms"})
    void aDrainGraceMustBeADuration(String value) {
        Cli.Result r = Cli.run("demo", "-p", "0", "--drain-grace", value);
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--drain-grace needs a duration such as 10s, 500ms or 1m");
    }
}
