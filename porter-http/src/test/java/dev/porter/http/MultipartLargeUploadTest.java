package dev.porter.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A 256 MiB file sent with {@code curl -F} arrives byte-identical (SHA-256 on both sides) at a server running in a
 * forked JVM whose heap starts at 16 MiB and is capped at 64 MiB: streamed through {@link Multipart#parts} over
 * HTTP/1.1, and stored to disk by {@link Multipart#form} over HTTP/2 (h2c). A reader that held the file would die
 * of OutOfMemoryError; the heap it committed must stay at most 32 MiB (it grows only when live data needs room).
 */
class MultipartLargeUploadTest {

    private static final long SIZE = 256L << 20;

    @TempDir
    Path tmp;

    @Test
    void a256MibFileArrivesByteIdenticalAtA64MibHeapStreamedAndStored() throws Exception {
        Path curl = ExternalTool.find("curl");
        assumeTrue(curl != null, "curl is not installed");
        Path file = tmp.resolve("big.bin");
        String expected = SIZE + " " + writePseudoRandom(file, SIZE);
        Path stored = Files.createDirectories(tmp.resolve("stored"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(List.of(java, "-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-cp", cp,
                MultipartChildServer.class.getName(), stored.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("child server's first line").startsWith("PORT ");
            String base = "http://127.0.0.1:" + Integer.parseInt(first.substring(5).trim());

            String streamed = run(curl, "-F", "note=big", "-F", "f=@" + file, base + "/parts");
            assertThat(streamed).isEqualTo("field note=big\nfile f [big.bin] application/octet-stream " + expected + "\n");
            String whole = run(curl, "--http2-prior-knowledge", "-F", "f=@" + file, base + "/form");
            assertThat(whole).isEqualTo("file f [big.bin] application/octet-stream " + expected + "\n");
            try (Stream<Path> left = Files.list(stored)) {
                assertThat(left).as("files deleted at close").isEmpty();
            }

            String[] heap = run(curl, base + "/__heap").split(" ");
            System.out.printf("2 x 256 MiB form uploads: server heap committed %d MiB, used %d MiB%n",
                    Long.parseLong(heap[0]) >> 20, Long.parseLong(heap[1]) >> 20);
            assertThat(child.isAlive()).as("server survived").isTrue();
            assertThat(Long.parseLong(heap[0])).as("committed heap").isLessThanOrEqualTo(32L << 20);
        } finally {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
        }
    }

    private String run(Path curl, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "120"));
        command.addAll(List.of(args));
        ExternalTool.Result r = ExternalTool.run(command, tmp, Duration.ofMinutes(3));
        assertThat(r.exit()).as(r.stderr()).isZero();
        return r.stdout();
    }

    /** Writes {@code size} bytes of xorshift output and returns their SHA-256. */
    private static String writePseudoRandom(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
        LongBuffer longs = buf.asLongBuffer();
        long x = 0x2545F4914F6CDD1DL;
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
}
