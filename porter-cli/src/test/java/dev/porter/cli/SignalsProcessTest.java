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

    /**
     * The second signal is the way out of a server that is stuck, and a server whose stdout nobody reads (piped to a
     * program that stopped reading: its access log lines block there) is stuck in the output it holds: the second
     * SIGTERM must halt it without waiting for that output (the drain of five minutes keeps the first one from ending it).
     */
    @Test
    void aSecondSigtermStopsAServerWhoseStdoutNobodyReads() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        String javaCmd = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path errFile = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(javaCmd, "-Xmx128m", "-cp", cp, Main.class.getName(), "serve", site.toString(), "-p", "0",
                "--drain-grace", "5m")
                .redirectError(errFile.toFile()).start();
        List<Socket> clients = new java.util.ArrayList<>();
        try {
            InputStream stdout = p.getInputStream();
            StringBuilder first = new StringBuilder();
            for (int b; (b = stdout.read()) != '\n'; ) {
                assertThat(b).as("the first line, then stdout is never read again").isNotNegative();
                first.append((char) b);
            }
            assertThat(first.toString()).startsWith("Listening on http://127.0.0.1:");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(":") + 1).replace("/", ""));
            // Access log lines of 4 KiB each, on one connection: each answer comes after the line before it was
            // written, so the answers stop once the pipe is full and the server is stuck writing a line.
            String request = "GET /hello.txt?" + "q".repeat(4096) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
            Socket client = new Socket("127.0.0.1", port);
            clients.add(client);
            client.setSoTimeout(2000);
            for (int i = 0; i < 1000; i++) {
                client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                try {
                    readResponse(client.getInputStream());
                } catch (java.net.SocketTimeoutException stuck) {
                    break;
                }
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            // The graceful stop has begun once the port is closed.
            for (int tries = 0; ; tries++) {
                assertThat(tries).as("the port closes after the first SIGTERM").isLessThan(3000);
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    Thread.sleep(10);
                } catch (java.net.ConnectException refused) {
                    break;
                } catch (java.net.SocketException reset) {
                    // The listener closed with this connection still in its backlog: the kernel resets it. Closed.
                    break;
                }
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .as("halted by the second SIGTERM").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(Files.readString(errFile)).contains("porter serve: stopping now (a second signal)");
        } finally {
            p.destroyForcibly();
            for (Socket s : clients) s.close();
        }
    }

    /** Reads one response with a Content-Length body. */
    private static void readResponse(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).isNotNegative();
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("content-length: ") + "content-length: ".length();
        in.readNBytes(Integer.parseInt(lower.substring(at, lower.indexOf("\r\n", at)).strip()));
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
