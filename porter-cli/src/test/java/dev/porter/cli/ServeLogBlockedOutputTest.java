package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code porter serve}'s access log when nobody reads its stdout (a stuck log shipper, a terminal paused with
 * Ctrl-S, {@code | slow-consumer}): the pipe fills (64 KiB on Linux), and the server must go on answering, as
 * nginx does (its log goes to a file through a buffer): the lines wait in a bounded queue, the ones that do not fit
 * are dropped and counted, and what was queued is written at the stop.
 */
class ServeLogBlockedOutputTest {

    /** Enough lines of about 200 bytes to fill the pipe's 64 KiB eight times over. */
    private static final int REQUESTS = 3000;
    private static final String PAD = "p".repeat(120);
    private static final Pattern DROPPED = Pattern.compile("porter serve: (\\d+) access log lines? dropped.*");

    @TempDir
    Path tmp;

    @Test
    void requestsAreAnsweredWhileNobodyReadsStdoutAndEveryLineIsWrittenInOrderAtTheStop() throws Exception {
        Process p = serve();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = port(out);
            sendAll(port);
            // Nothing was read since the first lines: the pipe is full, the lines wait in the queue (8192 by default).
            // SIGTERM stops the server gracefully; reading stdout meanwhile lets the queue be written out.
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            List<Integer> logged = loggedRequests(out);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) expected.add(i);
            assertThat(logged).as("every line, in the order of the requests on the connection").isEqualTo(expected);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void linesThatDoNotFitTheQueueAreDroppedAndTheirCountIsReportedOnceStdoutIsReadAgain() throws Exception {
        Process p = serve("--log-queue", "16");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = port(out);
            sendAll(port);
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            List<Integer> logged = loggedRequests(out);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long dropped = 0;
            for (String line : stderr.get(30, TimeUnit.SECONDS).split("\n")) {
                Matcher m = DROPPED.matcher(line);
                if (m.matches()) dropped += Long.parseLong(m.group(1));
            }
            assertThat(dropped).as("lines dropped, as stderr counts them").isPositive();
            assertThat(logged.size() + dropped).as("lines written plus lines dropped").isEqualTo(REQUESTS);
            assertThat(logged).isSorted();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aStopWithAStdoutNobodyReadsEndsAndSaysHowManyLinesWereNotWritten() throws Exception {
        Process p = serve();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = port(out);
            sendAll(port);
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            // stdout is never read again: the queued lines cannot be written, and the stop must not wait for them
            // for ever (it waits five seconds).
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the stop ended").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(stderr.get(30, TimeUnit.SECONDS))
                    .containsPattern("porter serve: \\d+ access log lines not written: stdout did not take them");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Starts {@code porter serve} on a folder with one small file; stderr is read only by the test that wants it. */
    private Process serve(String... more) throws IOException {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", cp, Main.class.getName(), "serve",
                site.toString(), "-p", "0"));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("NO_COLOR", "1");
        return pb.start();
    }

    /** Reads up to the {@code Listening on} line, then nothing more until the test says so. */
    private static int port(BufferedReader out) throws IOException {
        String first = out.readLine();
        assertThat(first).startsWith("Listening on http://127.0.0.1:");
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1).replace("/", ""));
    }

    /** Sends the requests one after the other on one connection, each answer read before the next request. */
    private static void sendAll(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            // No timing asserted: a stalled server would never answer, so only a test that is not stuck goes on.
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            for (int i = 0; i < REQUESTS; i++) {
                String request = "GET /hello.txt?n=" + i + "&pad=" + PAD + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                try {
                    assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
                } catch (SocketTimeoutException stalled) {
                    throw new AssertionError("request " + i + " was not answered: the server is stuck writing its log", stalled);
                }
            }
        }
    }

    /** @return the {@code n} of each access-log line, as stdout holds them up to its end */
    private static List<Integer> loggedRequests(BufferedReader out) throws IOException {
        List<Integer> ns = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            int at = line.indexOf("GET /hello.txt?n=");
            if (at < 0) continue;
            int from = at + "GET /hello.txt?n=".length();
            ns.add(Integer.parseInt(line.substring(from, line.indexOf('&', from))));
        }
        return ns;
    }

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed after " + head);
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase(Locale.ROOT);
        int at = lower.indexOf("content-length: ") + "content-length: ".length();
        in.readNBytes(Integer.parseInt(lower.substring(at, lower.indexOf("\r\n", at)).strip()));
        return head.toString();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<stderr failed: " + e + ">";
        }
    }
}
