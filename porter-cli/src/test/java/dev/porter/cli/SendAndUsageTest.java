package dev.porter.cli;

import dev.porter.core.Server;
import dev.porter.core.ServerConfig;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.core.testing.TestServers;
import dev.porter.examples.ChatRoom;
import dev.porter.examples.EchoProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code porter send}, and how every command treats bad input: usage errors exit 2, runtime failures exit 1. */
class SendAndUsageTest {

    private static final String NL = System.lineSeparator();

    @Test
    void sendPrintsTheReplyLine() {
        try (Server echo = TestServers.start(new EchoProtocol())) {
            Cli.Result r = Cli.run("send", "127.0.0.1:" + echo.port(), "hello", "porter");
            assertThat(r).isEqualTo(new Cli.Result(0, "hello porter" + NL, ""));
        }
    }

    @Test
    void sendSpeaksTlsToATlsEchoTrustingItsAuthorityOrNothing(@TempDir Path dir) {
        TestCertificates ca = TestCertificates.create(dir.resolve("ca"));
        ServerConfig config = TestServers.loopback().withTls(TlsConfig.of(ca.server("localhost", "127.0.0.1").pem()));
        try (Server echo = TestServers.start(config, new EchoProtocol())) {
            String to = "127.0.0.1:" + echo.port();
            assertThat(Cli.run("send", "--cacert", ca.caFile().toString(), to, "over", "tls"))
                    .isEqualTo(new Cli.Result(0, "over tls" + NL, ""));
            assertThat(Cli.run("send", "-k", to, "anyway")).isEqualTo(new Cli.Result(0, "anyway" + NL, ""));
            // The JDK's trust store does not hold the test authority: one line, exit 1, and how to trust it.
            Cli.Result untrusted = Cli.run("send", "--tls", to, "hi");
            assertThat(untrusted.exitCode()).isEqualTo(1);
            assertThat(untrusted.err()).startsWith("porter: TLS with " + to + " failed: ").contains("not issued by a trusted authority").contains("--cacert FILE")
                    .doesNotContain("\tat ").hasLineCount(1);
            Cli.Result missing = Cli.run("send", "--cacert", dir.resolve("nope.pem").toString(), to, "hi");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err()).contains("nope.pem").hasLineCount(1);
        }
    }

    @Test
    void sendToTheChatPrintsTheWelcome() {
        try (Server chat = TestServers.start(new ChatRoom())) {
            Cli.Result r = Cli.run("send", "127.0.0.1:" + chat.port(), "hi");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("* welcome, you are guest1 (1 here). Commands: /nick NAME, /who, /quit" + NL);
        }
    }

    @Test
    void sendToAPortNobodyListensOnIsOneLineOnStderrAndExitCodeOne() {
        int port = TestServers.freePort();
        Cli.Result r = Cli.run("send", "127.0.0.1:" + port, "hi");
        assertThat(r).isEqualTo(new Cli.Result(1, "",
                "porter: cannot connect to 127.0.0.1:" + port + ": connection refused (is a server listening there?)" + NL));
    }

    @Test
    void sendReportsAServerThatClosesWithoutReplying() {
        try (Server rude = TestServers.start(c -> c.readLine())) {
            Cli.Result r = Cli.run("send", "127.0.0.1:" + rude.port(), "anyone?");
            assertThat(r).isEqualTo(new Cli.Result(1, "",
                    "porter: 127.0.0.1:" + rude.port() + " closed the connection without replying" + NL));
        }
    }

    @Test
    void sendGivesUpOnASilentServerAfterItsTimeout() {
        try (Server silent = TestServers.start(c -> {
            c.readLine();
            c.awaitInput(java.time.Duration.ofSeconds(30)); // never answers
        })) {
            Cli.Result r = Cli.run("send", "--timeout", "1", "127.0.0.1:" + silent.port(), "hello?");
            assertThat(r).isEqualTo(new Cli.Result(1, "", "porter: no reply from 127.0.0.1:" + silent.port() + " within 1 s" + NL));
        }
    }

    @Test
    void badOptionsAreUsageErrorsWithExitCodeTwo() {
        String[][] bad = {
                {"echo", "--no-such-option"},
                {"echo", "-p", "abc"},
                {"echo", "-p", "70000"},
                {"chat", "-p", "-1"},
                {"echo", "--grace", "-3"},
                {"send"},
                {"send", "127.0.0.1:7007"},
                {"send", "no-port", "hi"},
                {"send", "127.0.0.1:0", "hi"},
                {"send", "::1:7007", "hi"},
                {"send", "--timeout", "0", "127.0.0.1:7007", "hi"},
                {"no-such-command"},
        };
        for (String[] args : bad) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).as(String.join(" ", args)).isEmpty();
            assertThat(r.err()).as(String.join(" ", args)).contains(args[0].equals("no-such-command") ? "Unmatched argument" : "Usage: porter")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertThat(Cli.run("echo", "-p", "70000").err()).startsWith("--port must be 0..65535 (0 picks a free port): 70000");
        assertThat(Cli.run("send", "::1:7007", "hi").err()).contains("write an IPv6 address in brackets");
        assertThat(Cli.run("send", "127.0.0.1:7007").err()).contains("Missing required parameter: 'TEXT'");
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("echo", "chat", "send");
        assertThat(Cli.run("echo", "--help").out()).contains("--port", "--bind", "--grace");
    }

    @Test
    void parsesHostAndPortForms() {
        assertThat(SendCommand.parseTarget("127.0.0.1:7007")).isEqualTo(new SendCommand.Target("127.0.0.1", 7007));
        assertThat(SendCommand.parseTarget("localhost:1")).isEqualTo(new SendCommand.Target("localhost", 1));
        assertThat(SendCommand.parseTarget("[::1]:65535")).isEqualTo(new SendCommand.Target("::1", 65535));
        assertThat(SendCommand.parseTarget("[::1]:65535")).hasToString("[::1]:65535");
        for (String bad : new String[] {"", ":80", "host:", "host:x", "host:65536", "[::1]", "::1:80"}) {
            assertThatThrownBy(() -> SendCommand.parseTarget(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
