package dev.porter.http.internal.h2;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The content of DATA frames comes out as it went in, whatever the frame and read sizes and their interleaving. */
class BodyChunksTest {

    @Test
    void givesBackExactlyWhatWasAddedWhateverTheFrameAndReadSizes() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            BodyChunks chunks = new BodyChunks();
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int maxFrame = random.nextBoolean() ? 8 : 40_000;
            for (int step = 0; step < 300; step++) {
                if (random.nextInt(3) > 0) {
                    byte[] frame = new byte[random.nextInt(maxFrame) + 8];
                    random.nextBytes(frame);
                    int from = random.nextInt(4);
                    int n = random.nextInt(frame.length - from);
                    chunks.add(frame, from, n);
                    sent.write(frame, from, n);
                } else {
                    readSome(chunks, got, random.nextInt(30_000) + 1);
                }
            }
            while (!chunks.isEmpty()) readSome(chunks, got, random.nextInt(30_000) + 1);
            assertThat(got.toByteArray()).isEqualTo(sent.toByteArray());
            assertThat(chunks.read(new byte[1], 0, 1)).isZero();
        }
    }

    @Test
    void clearDropsWhatWaits() {
        BodyChunks chunks = new BodyChunks();
        chunks.add(new byte[] {1, 2, 3}, 0, 3);
        chunks.clear();
        assertThat(chunks.isEmpty()).isTrue();
        chunks.add(new byte[] {4, 5}, 0, 2);
        byte[] b = new byte[4];
        assertThat(chunks.read(b, 1, 3)).isEqualTo(2);
        assertThat(b).containsExactly(0, 4, 5, 0);
    }

    private static void readSome(BodyChunks chunks, ByteArrayOutputStream got, int len) {
        byte[] b = new byte[len + 2];
        int n = chunks.read(b, 1, len);
        got.write(b, 1, n);
    }
}
