package dev.porter.http;

import dev.porter.core.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that leaves in the middle of a download (a browser navigating away, Ctrl-C on curl, a video player
 * seeking) is the most ordinary thing a file server sees: the server's write fails with a reset or a broken pipe.
 * That is no failure of the handler: nothing is logged as a warning with a stack trace (which {@code porter serve}
 * prints to its user's terminal), and the access log still has the request's line with the bytes sent, as
 * nginx's does.
 */
class StaticFilesAbandonedDownloadTest {

    /** Far more than the socket buffers on both sides hold, so the server is still writing when the client leaves. */
    private static final long SIZE = 64L << 20;

    @TempDir
    static Path root;

    private static HttpServer server;
    private static final List<AccessLog.Entry> entries = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(SIZE);
        }
        server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).accessLog(entries::add).build(),
                new StaticFiles(StaticFiles.Options.of(root)));
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2));
    }

    @Test
    void anHttp1DownloadTheClientAbandonsIsNoHandlerFailure() throws Exception {
        byte[] request = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertAbandonedQuietly(request, "HTTP/1.1");
    }

    @Test
    void anH2cDownloadTheClientAbandonsIsNoHandlerFailure() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        // SETTINGS_INITIAL_WINDOW_SIZE (4) at its maximum and the connection window opened as far: the server
        // sends as fast as the socket takes it, never waiting for a window.
        b.writeBytes(new byte[]{0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 4, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        b.writeBytes(new byte[]{0, 0, 4, 8, 0, 0, 0, 0, 0, 0x7f, (byte) 0xff, 0, 0});
        // HEADERS, stream 1, END_STREAM | END_HEADERS: :method GET, :scheme http (static table 2 and 6), then
        // :path and :authority as literals with indexed names (RFC 7541 §6.2.2).
        byte[] path = "/big.bin".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(new byte[]{(byte) 0x82, (byte) 0x86, 0x04, (byte) path.length});
        block.writeBytes(path);
        block.writeBytes(new byte[]{0x01, 1, 'x'});
        b.writeBytes(new byte[]{0, 0, (byte) block.size(), 1, 0x05, 0, 0, 0, 1});
        b.writeBytes(block.toByteArray());
        assertAbandonedQuietly(b.toByteArray(), "HTTP/2.0");
    }

    private static void assertAbandonedQuietly(byte[] request, String version) throws Exception {
        int before = entries.size();
        try (LogCapture log = LogCapture.of("dev.porter.http.HttpServer")) {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                s.getOutputStream().write(request);
                InputStream in = s.getInputStream();
                byte[] some = new byte[16 * 1024];
                int got = 0;
                while (got < some.length) {
                    int n = in.read(some, got, some.length - got);
                    assertThat(n).as("the download started").isPositive();
                    got += n;
                }
                s.setSoLinger(true, 0); // close() now sends RST: the server's next write fails
            }
            // Done when the request was logged and no conversation is left (a failure would be logged by then).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((entries.size() == before || server.stats().active() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.stats().active()).as("no conversation left").isZero();
            assertThat(log.failures()).as("a client leaving mid-download is not a handler failure").isEmpty();
        }
        assertThat(entries.subList(before, entries.size())).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("/big.bin");
            assertThat(e.version()).isEqualTo(version);
            assertThat(e.status()).isEqualTo(200);
            // nginx logs the body bytes it sent: the client read 16 KiB of them, far from all
            assertThat(e.bytes()).as("the body bytes sent before the client left").isBetween(8L * 1024, SIZE - 1);
        });
    }
}
