package dev.porter.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB file of pseudo-random bytes downloads byte-identically (SHA-256 on both sides) from a server running in
 * a forked JVM whose heap starts at 16 MiB and is capped at 64 MiB: a server that loaded the file, or any large part
 * of it, would die of OutOfMemoryError instead, and the heap it committed must stay at most 32 MiB (it grows only
 * when live data needs room). The forked JVM reports its committed and used heap, and the test prints it with the server's
 * CPU time during the download (to see that the sendfile loop does not spin when {@code transferTo} returns 0 on a
 * full socket buffer, which JDK 25 does on virtual threads); neither is asserted, being machine-dependent.
 */
class StaticFilesLargeFileTest {

    private static final long SIZE = 1L << 30;

    @TempDir
    Path tmp;

    @Test
    void aOneGibFileDownloadsByteIdenticallyFromA64MibHeap() throws Exception {
        Path file = tmp.resolve("big.bin");
        String expected = writePseudoRandom(file, SIZE);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(List.of(java, "-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-cp", cp,
                StaticChildServer.class.getName(), tmp.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("child server's first line").startsWith("PORT ");
            int port = Integer.parseInt(first.substring(5).trim());
            Duration cpuBefore = child.info().totalCpuDuration().orElse(Duration.ZERO);
            long started = System.nanoTime();
            String actual = download(port, "/big.bin");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Duration cpuAfter = child.info().totalCpuDuration().orElse(Duration.ZERO);
            String[] heap = new StaticClient(port).get("/__heap").text().split(" ");
            System.out.printf("1 GiB download: %d ms; server CPU %d ms; server heap committed %d MiB, used %d MiB%n",
                    millis, cpuAfter.minus(cpuBefore).toMillis(), Long.parseLong(heap[0]) >> 20, Long.parseLong(heap[1]) >> 20);
            assertThat(actual).isEqualTo(expected);
            assertThat(child.isAlive()).as("server survived").isTrue();
            // Started at 16 MiB: the heap grows only when live data needs room, so this bounds what was held.
            assertThat(Long.parseLong(heap[0])).as("committed heap").isLessThanOrEqualTo(32L << 20);
        } finally {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
        }
    }

    /** Writes {@code size} bytes of xorshift output and returns their SHA-256. */
    private static String writePseudoRandom(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
        LongBuffer longs = buf.asLongBuffer();
        long x = 0x9E3779B97F4A7C15L;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += buf.capacity()) {
                longs.clear();
                while (longs.hasRemaining()) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    longs.put(x);
                }
                buf.clear();
                sha.update(buf.array(), 0, buf.capacity());
                while (buf.hasRemaining()) ch.write(buf);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** GETs {@code path} and returns the SHA-256 of the body, checking its length against Content-Length. */
    private static String download(int port, String path) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(StaticClient.line(in)).startsWith("HTTP/1.1 200");
            long length = -1;
            for (String l; !(l = StaticClient.line(in)).isEmpty(); ) {
                if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Long.parseLong(l.substring(15).trim());
            }
            assertThat(length).isEqualTo(SIZE);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
            assertThat(total).isEqualTo(SIZE);
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
