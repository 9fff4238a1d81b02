package dev.porter.http;

import dev.porter.core.ClientTls;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.testing.GeneratedBody;
import dev.porter.http.testing.HashedEcho;
import dev.porter.http.testing.TlsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large upload over TLS arrives byte-identical, streamed: the server ({@link TlsChildServer}) runs in a
 * child JVM with {@code -Xmx64m}, so one that held a body would die of OutOfMemoryError. Porter's
 * {@link HttpClient} streams a Content-Length body to a handler that hashes it as it arrives; a JDK
 * {@code SSLSocket} streams a chunked body to an echo while a second thread reads the echo back. Both sides hash
 * with SHA-256 as bytes pass. Figures (time, throughput, the server's heap) go to the test's output file.
 *
 * <p>1 GiB each (about 4 and 5 s on the 2-core development machine, under load: docs/tls.md has the figures);
 * {@code -Dporter.tlsUploadBytes=N} on the Maven command line changes the size.
 */
class HttpsLargeUploadTest {

    private static final long SIZE = Long.getLong("porter.tlsUploadBytes", 1L << 30);
    private static final int BLOCK = 1 << 20;
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static Process server;
    private static int port;
    private static Path gcLog;

    @BeforeAll
    static void startServerWithSmallHeap() throws IOException {
        ca = TestCertificates.create(dir.resolve("ca"));
        TestCertificates.Issued leaf = ca.server("localhost", "127.0.0.1");
        gcLog = dir.resolve("gc.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseG1GC", "-Xlog:gc:file=" + gcLog,
                "-cp", System.getProperty("java.class.path"), TlsChildServer.class.getName(),
                leaf.certificateFile().toString(), leaf.keyFile().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).as("first line of the child server").startsWith("PORT ");
        port = Integer.parseInt(first.substring(5).strip());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server == null) return;
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
    }

    @Test
    void aGibibyteUploadOverTlsArrivesByteIdentical() throws Exception {
        long started = System.nanoTime();
        GeneratedBody body = new GeneratedBody(SIZE);
        try (HttpClient client = HttpClient.create(ClientConfig.builder()
                .tls(ClientTls.defaults().withTrust(ca.trust()).withApplicationProtocols(List.of("http/1.1"))).build());
             ClientResponse r = client.send(ClientRequest.post("https://localhost:" + port + "/sha256",
                     ClientRequest.Body.ofStream(body, SIZE)))) {
            String answer = r.bodyString();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "tls upload (HttpClient, Content-Length): %d bytes in %.1f s (%.0f MiB/s); "
                    + "sha256 %s; server heap %s%n", SIZE, seconds, SIZE / seconds / (1 << 20), answer, serverHeap());
            assertThat(r.status().code()).isEqualTo(200);
            assertThat(answer).isEqualTo(body.digest() + " " + SIZE);
            assertThat(server.isAlive()).as("server alive with -Xmx64m").isTrue();
        }
    }

    @Test
    void aGibibyteChunkedUploadOverTlsIsEchoedByteIdentical() throws Exception {
        long started = System.nanoTime();
        try (SSLSocket s = TlsClients.connect(TlsClients.trusting(ca), port);
             ExecutorService sender = Executors.newVirtualThreadPerTaskExecutor()) {
            s.setSoTimeout(60_000);
            Future<String> sent = sender.submit(() -> sendChunked(s.getOutputStream()));
            HashedEcho echo = HashedEcho.read(new BufferedInputStream(s.getInputStream(), 64 * 1024));
            String sentDigest = sent.get();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "tls upload (SSLSocket, chunked, echoed): %d bytes in %.1f s (%.0f MiB/s "
                    + "each way); sha256 %s; server heap %s%n", echo.length(), seconds, SIZE / seconds / (1 << 20),
                    sentDigest, serverHeap());
            assertThat(echo.status()).isEqualTo(200);
            assertThat(echo.length()).as("echoed bytes").isEqualTo(SIZE);
            assertThat(echo.digest()).as("SHA-256 of the echo").isEqualTo(sentDigest);
            assertThat(server.isAlive()).as("server alive with -Xmx64m").isTrue();
        }
    }

    private static String sendChunked(OutputStream out) throws IOException {
        GeneratedBody body = new GeneratedBody(SIZE);
        out.write(("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[BLOCK];
        for (int n; (n = body.read(buf, 0, buf.length)) > 0; ) {
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(buf, 0, n);
            out.write(new byte[] {'\r', '\n'});
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return body.digest();
    }

    /** @return the largest heap in use before and after a collection in the server's GC log so far */
    private static String serverHeap() throws IOException {
        long before = 0;
        long after = 0;
        int collections = 0;
        if (Files.exists(gcLog)) {
            for (String l : Files.readAllLines(gcLog)) {
                Matcher m = GC_LINE.matcher(l);
                if (m.find()) {
                    collections++;
                    before = Math.max(before, Long.parseLong(m.group(1)));
                    after = Math.max(after, Long.parseLong(m.group(2)));
                }
            }
        }
        return String.format(Locale.ROOT, "-Xmx64m, %d collections, at most %d MiB before and %d MiB after one",
                collections, before, after);
    }
}
