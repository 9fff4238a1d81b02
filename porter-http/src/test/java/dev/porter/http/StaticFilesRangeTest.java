package dev.porter.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Range requests (RFC 9110 §14) over real sockets: every form, 416, multipart/byteranges and If-Range. */
class StaticFilesRangeTest {

    private static final int LENGTH = 10_000;

    @TempDir
    Path root;
    StaticServer server;
    StaticClient client;
    byte[] data;

    @BeforeEach
    void start() throws IOException {
        data = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) data[i] = (byte) (i % 251);
        Path f = root.resolve("data.bin");
        Files.write(f, data);
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2025-01-02T03:04:05Z")));
        Files.write(root.resolve("empty.txt"), new byte[0]);
        server = StaticServer.start(StaticFiles.Options.of(root));
        client = server.client;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] slice(int first, int last) {
        return Arrays.copyOfRange(data, first, last + 1);
    }

    private void assertPartial(StaticClient.Reply r, int first, int last) {
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + LENGTH);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(last - first + 1));
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.body()).isEqualTo(slice(first, last));
    }

    @Test
    void advertisesByteRanges() throws IOException {
        assertThat(client.get("/data.bin").header("Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void servesAFirstToLastRange() throws IOException {
        assertPartial(client.get("/data.bin", "Range: bytes=0-99"), 0, 99);
        assertPartial(client.get("/data.bin", "Range: bytes=5000-5000"), 5000, 5000);
        assertPartial(client.get("/data.bin", "Range: BYTES=10-19"), 10, 19);
    }

    @Test
    void servesAnOpenEndedRange() throws IOException {
        assertPartial(client.get("/data.bin", "Range: bytes=9990-"), 9990, 9999);
    }

    @Test
    void servesASuffixRange() throws IOException {
        assertPartial(client.get("/data.bin", "Range: bytes=-25"), 9975, 9999);
        assertPartial(client.get("/data.bin", "Range: bytes=-20000"), 0, 9999);
    }

    @Test
    void clampsALastPositionBeyondTheEnd() throws IOException {
        assertPartial(client.get("/data.bin", "Range: bytes=9000-99999999999999999999999"), 9000, 9999);
    }

    @Test
    void anUnsatisfiableRangeAnswers416WithTheLength() throws IOException {
        for (String range : new String[] {"bytes=10000-", "bytes=20000-30000", "bytes=-0", "bytes=10000-10001, 12000-"}) {
            StaticClient.Reply r = client.get("/data.bin", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(416);
            assertThat(r.header("Content-Range")).isEqualTo("bytes */10000");
        }
        StaticClient.Reply empty = client.get("/empty.txt", "Range: bytes=0-");
        assertThat(empty.status()).isEqualTo(416);
        assertThat(empty.header("Content-Range")).isEqualTo("bytes */0");
    }

    @Test
    void aMalformedOrForeignRangeIsIgnored() throws IOException {
        for (String range : new String[] {"bytes=abc", "bytes=5-1", "items=0-1", "bytes=", "bytes=1-2-3", "bytes 0-1"}) {
            StaticClient.Reply r = client.get("/data.bin", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.body()).isEqualTo(data);
        }
    }

    @Test
    void severalRangesComeAsMultipartByteranges() throws IOException {
        StaticClient.Reply r = client.get("/data.bin", "Range: bytes=0-9, 100-109,-5");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Type")).startsWith("multipart/byteranges; boundary=");
        assertThat(r.header("Content-Range")).isNull();
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
        List<StaticClient.Part> parts = StaticClient.multipart(r);
        assertThat(parts).hasSize(3);
        int[][] expected = {{0, 9}, {100, 109}, {9995, 9999}};
        for (int i = 0; i < 3; i++) {
            StaticClient.Part p = parts.get(i);
            assertThat(p.headers().get("content-type")).isEqualTo("application/octet-stream");
            assertThat(p.headers().get("content-range"))
                    .isEqualTo("bytes " + expected[i][0] + "-" + expected[i][1] + "/10000");
            assertThat(p.body()).isEqualTo(slice(expected[i][0], expected[i][1]));
        }
        assertThat(new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).endsWith("--\r\n");
    }

    @Test
    void overlappingRangesAreCoalesced() throws IOException {
        assertPartial(client.get("/data.bin", "Range: bytes=0-50,40-60,61-70"), 0, 70);
    }

    @Test
    void tooManyRangesGetTheWholeFile() throws IOException {
        StringBuilder sb = new StringBuilder("Range: bytes=0-0");
        for (int i = 1; i <= 64; i++) sb.append(',').append(i * 10).append('-').append(i * 10);
        StaticClient.Reply r = client.get("/data.bin", sb.toString());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data);
    }

    @Test
    void headIgnoresRange() throws IOException {
        StaticClient.Reply r = client.head("/data.bin", "Range: bytes=0-9");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo("10000");
    }

    @Test
    void ifRangeWithTheCurrentEtagServesTheRange() throws IOException {
        String etag = client.head("/data.bin").header("ETag");
        assertPartial(client.get("/data.bin", "Range: bytes=0-9", "If-Range: " + etag), 0, 9);
    }

    @Test
    void ifRangeWithAnotherOrWeakEtagSendsTheWholeFile() throws IOException {
        String etag = client.head("/data.bin").header("ETag");
        for (String ifRange : new String[] {"\"stale\"", "W/" + etag}) {
            StaticClient.Reply r = client.get("/data.bin", "Range: bytes=0-9", "If-Range: " + ifRange);
            assertThat(r.status()).as(ifRange).isEqualTo(200);
            assertThat(r.body()).isEqualTo(data);
        }
    }

    @Test
    void ifRangeWithTheModificationDateServesTheRangeAndAnyOtherDateDoesNot() throws IOException {
        assertPartial(client.get("/data.bin", "Range: bytes=0-9", "If-Range: Thu, 02 Jan 2025 03:04:05 GMT"), 0, 9);
        StaticClient.Reply r = client.get("/data.bin", "Range: bytes=0-9", "If-Range: Thu, 02 Jan 2025 03:04:06 GMT");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data);
    }

    @Test
    void aLargeRangeGoesThroughTheZeroCopyPathIntact() throws IOException {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        StaticClient.Reply r = client.get("/big.bin", "Range: bytes=1000-2999999");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(big, 1000, 3_000_000));
        assertThat(client.get("/big.bin").body()).isEqualTo(big);
    }
}
