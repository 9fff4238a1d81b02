package dev.porter.cli;

import dev.porter.core.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signals a server command answers beyond the first SIGTERM (which {@link DrainProcessTest} covers): a second
 * SIGTERM or Ctrl-C stops at once, cutting a drain; SIGHUP without TLS does not stop the server.
 */
class SignalsProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aSecondSigtermStopsAtOnceCuttingAMinuteLongDrain() {
        try (PorterProcess echo = PorterProcess.start("echo", "-p", "0", "--drain-grace", "5m")) {
            String first = echo.nextLine();
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            try (RawClient client = RawClient.connect("127.0.0.1", port)) {
                client.sendLine("before");
                assertThat(client.readLine()).isEqualTo("before");
                echo.signalTerm();
                assertThat(echo.nextLine()).startsWith("Draining: no new connections");
                echo.signalTerm();
                // Without the second signal's stop this waits five minutes, past awaitExit's limit.
                assertThat(echo.awaitExit()).isEqualTo(143);
                client.expectClosed();
            }
            assertThat(echo.stderrAtEnd()).contains("porter: stopping now (a second signal), open connections cut");
        }
    }

    @Test
    void sighupWithoutTlsSaysThereIsNothingToReloadAndTheServerGoesOn() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        // SIGHUP set back to its default for porter, so the test holds when the test run itself ignores it (nohup).
        try (ServeProcess p = ServeProcess.start(tmp, Map.of(), List.of("env", "--default-signal=HUP"), "serve",
                site.toString(), "-p", "0", "-q")) {
            String first = p.line(WAIT);
            assertThat(first).startsWith("Listening on http://127.0.0.1:");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1).replace("/", ""));
            p.signal("HUP");
            assertThat(p.errLine(WAIT)).isEqualTo("porter serve: SIGHUP: nothing to reload (no TLS certificate); still serving");
            assertThat(get(port, "/hello.txt")).startsWith("HTTP/1.1 200 OK").endsWith("hello\n");
            assertThat(p.process.isAlive()).isTrue();
        }
    }

    private static String get(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
