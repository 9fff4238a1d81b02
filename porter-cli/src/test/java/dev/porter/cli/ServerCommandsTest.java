package dev.porter.cli;

import dev.porter.core.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The first line every server command prints, and {@code porter echo} and {@code porter chat} as a user runs them:
 * a real process, its first stdout line, clients over sockets exactly as in docs/examples.md, and a graceful stop
 * on SIGTERM or SIGINT.
 */
class ServerCommandsTest {

    private static int listeningPort(PorterProcess porter) {
        String first = porter.nextLine();
        assertThat(first).as("first stdout line; stderr: " + porter.stderr()).matches("Listening on tcp://127\\.0\\.0\\.1:\\d+");
        int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        assertThat(port).isPositive();
        return port;
    }

    @Test
    void everyServerCommandsFirstLineIsListeningOnAUrlWithThePortLast() throws Exception {
        String[][] commands = {{"serve", "http"}, {"demo", "http"}, {"echo", "tcp"}, {"chat", "tcp"}};
        for (String[] c : commands) {
            try (PorterProcess porter = PorterProcess.start(c[0], "-p", "0")) {
                String first = porter.nextLine();
                assertThat(first).as(c[0] + "; stderr: " + porter.stderr()).matches("Listening on " + c[1] + "://127\\.0\\.0\\.1:\\d+");
                // As bench/reliability/common.sh reads it: the line's prefix, then everything after its last colon.
                String port = first.substring(first.lastIndexOf(':') + 1);
                assertThat(shellParsedPort(first)).as(c[0]).isEqualTo(port);
                new Socket("127.0.0.1", Integer.parseInt(port)).close(); // it listens on the port it names
                porter.terminate();
            }
        }
    }

    /** @return the port as bench/reliability/common.sh's start_demo takes it from the first line, run by bash */
    private static String shellParsedPort(String line) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-c", "line=\"$1\"; case \"$line\" in \"Listening on \"*) echo \"${line##*:}\" ;; esac",
                "parse", line).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void echoPrintsWhereItListensEchoesLinesAndStopsGracefullyOnSigterm() {
        try (PorterProcess porter = PorterProcess.start("echo", "-p", "0")) {
            int port = listeningPort(porter);

            // Transcript: porter send 127.0.0.1:PORT hello porter
            Cli.Result sent = Cli.run("send", "127.0.0.1:" + port, "hello", "porter");
            assertThat(sent.exitCode()).isZero();
            assertThat(sent.out()).isEqualTo("hello porter" + System.lineSeparator());

            // Transcript: nc 127.0.0.1 PORT, typing lines
            try (RawClient nc = RawClient.connect("127.0.0.1", port)) {
                nc.sendLine("ping");
                assertThat(nc.readLine()).isEqualTo("ping");
                nc.sendLine("still there?");
                assertThat(nc.readLine()).isEqualTo("still there?");

                int exit = porter.terminate();
                nc.expectClosed(); // the idle conversation ended with the stop
                assertThat(exit).isEqualTo(128 + 15);
            }
            assertThat(porter.nextLine()).isEqualTo("Stopped");
            assertThat(porter.nextLine()).isNull();
            assertThat(porter.stderr()).isEmpty();
        }
    }

    @Test
    void ctrlCStopsTheServerGracefully() {
        assumeTrue(PorterProcess.envResetsSignals(), "cannot give the child a default SIGINT action here");
        try (PorterProcess porter = PorterProcess.start("echo", "--port=0", "--bind", "127.0.0.1")) {
            int port = listeningPort(porter);
            try (RawClient nc = RawClient.connect("127.0.0.1", port)) {
                nc.sendLine("before ^C");
                assertThat(nc.readLine()).isEqualTo("before ^C");
                assertThat(porter.interrupt()).isEqualTo(128 + 2);
                nc.expectClosed();
            }
            assertThat(porter.nextLine()).isEqualTo("Stopped");
        }
    }

    @Test
    void chatBehavesAsItsTranscriptShows() {
        try (PorterProcess porter = PorterProcess.start("chat", "-p", "0")) {
            int port = listeningPort(porter);
            try (RawClient alice = RawClient.connect("127.0.0.1", port)) {
                assertThat(alice.readLine()).isEqualTo("* welcome, you are guest1 (1 here). Commands: /nick NAME, /who, /quit");
                alice.sendLine("/nick alice");
                assertThat(alice.readLine()).isEqualTo("* guest1 is now alice");

                try (RawClient bob = RawClient.connect("127.0.0.1", port)) {
                    assertThat(bob.readLine()).isEqualTo("* welcome, you are guest2 (2 here). Commands: /nick NAME, /who, /quit");
                    assertThat(alice.readLine()).isEqualTo("* guest2 joined");
                    bob.sendLine("/nick bob");
                    assertThat(bob.readLine()).isEqualTo("* guest2 is now bob");
                    assertThat(alice.readLine()).isEqualTo("* guest2 is now bob");

                    alice.sendLine("hi bob");
                    assertThat(bob.readLine()).isEqualTo("<alice> hi bob");
                    bob.sendLine("hello alice");
                    assertThat(alice.readLine()).isEqualTo("<bob> hello alice");

                    alice.sendLine("/quit");
                    assertThat(alice.readLine()).isEqualTo("* bye");
                    alice.expectClosed();
                    assertThat(bob.readLine()).isEqualTo("* alice left");

                    assertThat(porter.terminate()).isEqualTo(128 + 15);
                    bob.expectClosed();
                }
            }
            assertThat(porter.nextLine()).isEqualTo("Stopped");
        }
    }

    @Test
    void aPortInUseIsOneLineOnStderrAndExitCodeOne() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            for (String command : new String[] {"echo", "chat"}) {
                Cli.Result r = Cli.run(command, "-p", Integer.toString(taken.getLocalPort()));
                assertThat(r.exitCode()).isEqualTo(1);
                assertThat(r.out()).isEmpty();
                assertThat(r.err()).isEqualTo("porter: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                        + ": address already in use (is another server running on that port?)" + System.lineSeparator());
            }
        }
    }

    @Test
    void anAddressNotOnThisMachineIsOneLineOnStderr() {
        Cli.Result r = Cli.run("echo", "-b", "192.0.2.1", "-p", "0"); // TEST-NET-1: never a local address
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("porter: cannot listen on 192.0.2.1:0: not an address of this machine" + System.lineSeparator());
    }

    @Test
    void aBindHostThatDoesNotResolveIsOneLineNamingIt() {
        // porter demo used to end that line with "null" (the core's exception had no message).
        String[][] commands = {
            {"demo", "-b", "no-such-host.invalid", "-p", "0"},
            {"serve", "-b", "no-such-host.invalid", "-p", "0"},
            {"proxy", "--to", "http://127.0.0.1:9", "-b", "no-such-host.invalid", "-p", "0"},
            {"echo", "-b", "no-such-host.invalid", "-p", "0"},
        };
        for (String[] command : commands) {
            Cli.Result r = Cli.run(command);
            assertThat(r.exitCode()).as(command[0]).isEqualTo(1);
            assertThat(r.err()).as(command[0]).matches("porter( \\w+)?: cannot listen on no-such-host\\.invalid:0: "
                    + "unknown (address no-such-host\\.invalid|host)" + System.lineSeparator());
        }
    }

    @Test
    void listensOnTheIpv6LoopbackAndSaysSo() {
        assumeTrue(dev.porter.core.testing.TestServers.hasIpv6Loopback(), "no IPv6 loopback here");
        try (PorterProcess porter = PorterProcess.start("echo", "-b", "::1", "-p", "0")) {
            String first = porter.nextLine();
            assertThat(first).matches("Listening on tcp://\\[::1\\]:\\d+");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            Cli.Result sent = Cli.run("send", "[::1]:" + port, "over", "IPv6");
            assertThat(sent.out()).isEqualTo("over IPv6" + System.lineSeparator());
            assertThat(porter.terminate()).isEqualTo(128 + 15);
        }
    }
}
