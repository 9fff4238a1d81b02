package dev.porter.http.internal.h2;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link BodyChunks} with any interleaving of DATA frames, reads and clears (the input is the script: each
 * byte an operation, see {@link #run}). After every operation:
 * <ul>
 *   <li>the bytes read are exactly the bytes added, in order, none lost or repeated (a clear drops what waits);</li>
 *   <li>memory is what the class promises, about the content's own size however it was framed: the arrays held
 *       total at most twice the bytes waiting plus twice the larger of {@link BodyChunks#PACKED_CHUNK} and the
 *       largest frame (the first chunk's part already read, the last chunk's room to grow), and every array but the
 *       first and last is full and at least {@code PACKED_CHUNK} long, so one-byte frames never cost an array each.</li>
 * </ul>
 * Replays {@code BodyChunksFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign.
 */
class BodyChunksFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void givesBackWhatCameInAboutItsOwnSize(byte[] input) {
        run(input);
    }

    /**
     * Operations, by the top two bits of a byte: 00 a frame of 0 to 63 bytes; 01 a frame of up to 49,149 bytes
     * (three times the 14 bits of this byte and the next); 10 a read of up to 16,384 bytes (likewise); 11 a read of
     * 1 to 63 bytes, or a clear for 0xff. Frames start 0 to 2 bytes into their array; their bytes count on from the
     * last frame's, so a byte lost, repeated or moved shows.
     */
    static void run(byte[] input) {
        BodyChunks chunks = new BodyChunks();
        long[] counts = new long[2]; // bytes added, and the index of the first one waiting (the ones before were read or cleared)
        long largest = 0;
        int pos = 0;
        while (pos < input.length) {
            int b = input[pos++] & 0xff;
            int wide = pos < input.length ? ((b & 0x3f) << 8) | (input[pos] & 0xff) : b & 0x3f;
            switch (b >>> 6) {
                case 0, 1 -> {
                    int n = b >>> 6 == 0 ? b & 0x3f : 3 * wide;
                    if (b >>> 6 == 1 && pos < input.length) pos++;
                    int from = n % 3;
                    byte[] frame = new byte[from + n + 1];
                    for (int i = 0; i < n; i++) frame[from + i] = (byte) (counts[0] + i);
                    chunks.add(frame, from, n);
                    counts[0] += n;
                    largest = Math.max(largest, n);
                }
                case 2 -> {
                    if (pos < input.length) pos++;
                    read(chunks, counts, wide + 1);
                }
                default -> {
                    if (b == 0xff) {
                        chunks.clear();
                        counts[1] = counts[0];
                    } else {
                        read(chunks, counts, (b & 0x3f) + 1);
                    }
                }
            }
            // Plain checks, not AssertJ's: they run after every operation of every input.
            long waiting = counts[0] - counts[1];
            if (chunks.isEmpty() != (waiting == 0)) throw new AssertionError("isEmpty() with " + waiting + " bytes waiting");
            long firstAndLast = 2 * Math.max(BodyChunks.PACKED_CHUNK, largest);
            if (chunks.capacity() > 2 * waiting + firstAndLast) {
                throw new AssertionError(chunks.capacity() + " array bytes held for " + waiting + " bytes waiting");
            }
            if (chunks.arrays() > 2 + waiting / BodyChunks.PACKED_CHUNK) {
                throw new AssertionError(chunks.arrays() + " arrays held for " + waiting + " bytes waiting");
            }
        }
        while (!chunks.isEmpty()) read(chunks, counts, 65_536);
        assertThat(counts[1]).as("bytes read or cleared").isEqualTo(counts[0]);
        assertThat(chunks.read(new byte[1], 0, 1)).isZero();
    }

    /**
     * Reads up to {@code len} bytes into the middle of a larger array and checks they are the next ones waiting,
     * and that nothing around them was written.
     */
    private static void read(BodyChunks chunks, long[] counts, int len) {
        long waiting = counts[0] - counts[1];
        byte[] dst = new byte[len + 2];
        dst[0] = dst[len + 1] = (byte) 0xA5;
        int n = chunks.read(dst, 1, len);
        if (n != Math.min(len, waiting)) throw new AssertionError(n + " bytes read of " + waiting + " waiting, asked " + len);
        for (int i = 0; i < n; i++) {
            if (dst[1 + i] != (byte) (counts[1] + i)) {
                throw new AssertionError("byte " + i + " of a read of " + n + " is " + dst[1 + i] + ", not "
                        + (byte) (counts[1] + i));
            }
        }
        if (dst[0] != (byte) 0xA5 || dst[len + 1] != (byte) 0xA5) throw new AssertionError("written outside the range asked");
        counts[1] += n;
    }
}
