package dev.porter.cli;

import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code porter chat --web} as people use it: the real CLI, two tabs of the chat page in headless Chromium and one
 * TCP client, all in one room, each seeing the others' lines; the page runs under its Content-Security-Policy with
 * nothing reported on the console. The Node driver is src/test/node/chat-browser.js ({@link Playwright}). It leaves a
 * screenshot in target/chat.png (docs/img/chat.png is one). Skipped without node, npm or Chromium.
 */
class ChatBrowserTest {

    private static int port(String line, String prefix) {
        assertThat(line).startsWith(prefix);
        String hostPort = line.substring(prefix.length()).replaceAll("/$", "");
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    @Test
    void twoBrowserTabsAndATcpClientSeeEachOthersLines() throws Exception {
        Path modules = Playwright.install();
        Path screenshot = Path.of("target", "chat.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        try (PorterProcess chat = PorterProcess.start("chat", "-p", "0", "--web", "0")) {
            int tcp = port(chat.nextLine(), "Listening on tcp://127.0.0.1:");
            int web = port(chat.nextLine(), "Web chat at http://127.0.0.1:");
            List<String> command = new ArrayList<>(List.of("env", "NODE_PATH=" + modules.resolve("node_modules"), "node",
                    Path.of("src", "test", "node", "chat-browser.js").toAbsolutePath().toString(),
                    "http://127.0.0.1:" + web + "/", Integer.toString(tcp), screenshot.toString()));
            Processes.Result r = Processes.run(Duration.ofMinutes(2), null, command);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout().lines().toList()).as(r.toString()).containsExactly(
                    "csp default-src 'self'; connect-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; "
                            + "form-action 'self'; frame-ancestors 'none'",
                    "nicks alice bob carol",
                    "alice -> bob, carol",
                    "bob -> alice, carol",
                    "carol -> alice, bob",
                    "who here: carol, alice, bob",
                    "screenshot " + screenshot,
                    "ok");
            assertThat(Files.size(screenshot)).isGreaterThan(1000);
            assertThat(chat.terminate()).isEqualTo(128 + 15); // SIGTERM, as for every server command
        }
    }

    @Test
    void aWebPortInUseIsOneLineAndExit1() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             PorterProcess chat = PorterProcess.start("chat", "-p", "0", "--web", Integer.toString(taken.getLocalPort()))) {
            assertThat(chat.awaitExit()).isEqualTo(1);
            assertThat(chat.stderr()).startsWith("porter: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (--web): ")
                    .hasLineCount(1);
        }
    }
}
