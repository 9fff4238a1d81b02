package dev.porter.cli;

import dev.porter.http.testing.GeneratedBody;
import dev.porter.http.testing.HashedEcho;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1 GiB uploads to {@code POST /} of {@code porter demo} (which echoes the body) come back byte-identical, with
 * the server confined to a 64 MiB heap: {@code porter demo -p 0} runs in a child JVM started with
 * {@code -Xmx64m}, so a server that buffered a body would fail with OutOfMemoryError. The client streams the body
 * (Content-Length, then chunked) while a second thread reads the echo, hashing both with SHA-256 as they pass;
 * nothing is buffered on either side. Figures (time, throughput, the server's heap) go to the test's output file.
 */
class LargeUploadTest {

    private static final long SIZE = Long.getLong("porter.uploadBytes", 1L << 30);
    private static final int BLOCK = 1 << 20;
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern HEAP_INFO = Pattern.compile("garbage-first heap[^\\n]*?committed (\\d+)K, used (\\d+)K");

    private static Process server;
    private static int port;
    private static Path gcLog;

    @BeforeAll
    static void startDemoWithSmallHeap() throws IOException {
        gcLog = Files.createTempFile("porter-upload-gc", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseG1GC", "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"),
                "dev.porter.cli.Main", "demo", "-p", "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("first line of porter demo").startsWith("Listening on http://");
        port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1).strip());
    }

    @AfterAll
    static void stopDemo() throws Exception {
        if (server == null) return;
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
        Files.deleteIfExists(gcLog);
    }

    @Test
    void contentLengthUploadOfOneGibComesBackIdentical() throws Exception {
        upload(false);
    }

    @Test
    void chunkedUploadOfOneGibComesBackIdentical() throws Exception {
        upload(true);
    }

    private void upload(boolean chunked) throws Exception {
        long started = System.nanoTime();
        try (Socket s = new Socket(); ExecutorService sender = Executors.newVirtualThreadPerTaskExecutor()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(60_000);
            Future<String> sent = sender.submit(() -> send(s.getOutputStream(), chunked));
            HashedEcho echo = HashedEcho.read(new BufferedInputStream(s.getInputStream(), 64 * 1024));
            String sentDigest = sent.get();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "upload %s: %d bytes in %.1f s (%.0f MiB/s each way); sha256 %s; server heap %s%n",
                    chunked ? "chunked" : "content-length", echo.length(), seconds, SIZE / seconds / (1 << 20), sentDigest,
                    serverHeap());
            assertThat(echo.status()).isEqualTo(200);
            assertThat(echo.length()).as("echoed bytes").isEqualTo(SIZE);
            assertThat(echo.digest()).as("SHA-256 of the echo").isEqualTo(sentDigest);
            assertThat(server.isAlive()).as("server alive with -Xmx64m").isTrue();
        }
    }

    /** Streams SIZE bytes of varied data (each 1 MiB block numbered, so a lost or repeated block shows). */
    private static String send(OutputStream out, boolean chunked) throws IOException {
        GeneratedBody body = new GeneratedBody(SIZE);
        String head = "POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/octet-stream\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + SIZE + "\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        byte[] block = new byte[BLOCK];
        byte[] crlf = {'\r', '\n'};
        for (int n; (n = body.read(block, 0, block.length)) > 0; ) {
            if (chunked) out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(block, 0, n);
            if (chunked) out.write(crlf);
        }
        if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return body.digest();
    }

    /**
     * @return the server's heap: in use and committed now (jcmd GC.heap_info, when the JDK has jcmd), and the largest
     *         figures before and after a collection in its GC log so far
     */
    private static String serverHeap() throws IOException, InterruptedException {
        long before = 0;
        long after = 0;
        int collections = 0;
        for (String l : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(l);
            if (!m.find()) continue;
            collections++;
            before = Math.max(before, Long.parseLong(m.group(1)));
            after = Math.max(after, Long.parseLong(m.group(2)));
        }
        String now = "";
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.isExecutable(jcmd)) {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = HEAP_INFO.matcher(info);
            if (m.find()) {
                now = "now " + Long.parseLong(m.group(2)) / 1024 + " MiB in use, " + Long.parseLong(m.group(1)) / 1024
                        + " MiB committed; ";
            }
        }
        return now + (collections == 0 ? "no collection so far"
                : collections + " collections, at most " + before + " MiB before and " + after + " MiB after one")
                + " (-Xmx64m)";
    }
}
