package dev.porter.core;

import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines, length-prefixed frames and exact reads on a server connection, fed by a raw socket that controls every
 * byte: line ends, limits, truncation, and messages split across reads.
 */
class FramingTest {

    /** What the probe reports when a read returned null: the stream ended cleanly between messages. */
    private static final String END = "<end of stream>";
    private static final Duration BYTE_PAUSE = Duration.ofMillis(1);

    /** One read step of the probe protocol. */
    private interface Read {
        Object from(Connection c) throws IOException;
    }

    private final Mailbox<Object> seen = new Mailbox<>();
    private Server server;

    /** Starts a server whose protocol repeats {@code read} and reports each result (or the exception) to {@link #seen}. */
    private RawClient probe(ConnectionConfig limits, Read read) {
        server = TestServers.start(TestServers.loopback().withConnection(limits), c -> {
            while (true) {
                Object v;
                try {
                    v = read.from(c);
                } catch (IOException e) {
                    seen.put(e);
                    return;
                }
                seen.put(v == null ? END : v);
                if (v == null) return;
            }
        });
        return RawClient.connect(server);
    }

    private RawClient lineProbe(int maxLineLength) {
        return probe(ConnectionConfig.defaults().withMaxLineLength(maxLineLength), Connection::readLine);
    }

    private RawClient frameProbe(int maxFrameSize) {
        return probe(ConnectionConfig.defaults().withMaxFrameSize(maxFrameSize), Connection::readFrame);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    // ---- lines ---------------------------------------------------------------------------------------------

    @Test
    void readsLinesEndedByCrlfOrLf() {
        try (RawClient c = lineProbe(8192)) {
            c.send("alpha\r\nbeta\ngamma\r\n\r\n\n").shutdownOutput();
            assertThat(seen.take()).isEqualTo("alpha");
            assertThat(seen.take()).isEqualTo("beta");
            assertThat(seen.take()).isEqualTo("gamma");
            assertThat(seen.take()).isEqualTo("");
            assertThat(seen.take()).isEqualTo("");
            assertThat(seen.take()).isEqualTo(END);
        }
    }

    @Test
    void keepsABareCrInsideALine() {
        try (RawClient c = lineProbe(8192)) {
            c.send("a\rb\r\n");
            assertThat(seen.take()).isEqualTo("a\rb");
        }
    }

    @Test
    void acceptsALineOfExactlyTheMaximumLengthWithEitherLineEnd() {
        String sixteen = "0123456789abcdef";
        try (RawClient c = lineProbe(16)) {
            c.send(sixteen + "\r\n" + sixteen + "\n");
            assertThat(seen.take()).isEqualTo(sixteen);
            assertThat(seen.take()).isEqualTo(sixteen);
        }
    }

    @Test
    void rejectsALineOneByteOverTheMaximum() {
        try (RawClient c = lineProbe(16)) {
            c.send("0123456789abcdefg\r\n");
            assertThat(seen.take()).isInstanceOf(FramingException.LineTooLong.class)
                    .asString().contains("limit of 16 bytes");
        }
    }

    @Test
    void rejectsAnEndlessLineWithoutWaitingForItsEnd() {
        try (RawClient c = lineProbe(16)) {
            c.send("x".repeat(100)); // no line end, and the socket stays open
            assertThat(seen.take()).isInstanceOf(FramingException.LineTooLong.class);
        }
    }

    @Test
    void readsALineLongerThanTheBufferWhenTheLimitAllows() {
        String huge = "y".repeat(40_000);
        try (RawClient c = lineProbe(100_000)) {
            c.send(huge + "\r\nnext\n");
            assertThat(seen.take()).isEqualTo(huge);
            assertThat(seen.take()).isEqualTo("next");
        }
    }

    @Test
    void reportsAStreamEndingInsideALineAsTruncated() {
        try (RawClient c = lineProbe(8192)) {
            c.send("ok\npartial").shutdownOutput();
            assertThat(seen.take()).isEqualTo("ok");
            assertThat(seen.take()).isInstanceOf(FramingException.Truncated.class)
                    .asString().contains("inside a line after 7 bytes");
        }
    }

    @Test
    void reportsACarriageReturnAtTheEndOfTheStreamAsTruncated() {
        try (RawClient c = lineProbe(8192)) {
            c.send("abc\r").shutdownOutput();
            assertThat(seen.take()).isInstanceOf(FramingException.Truncated.class);
        }
    }

    @Test
    void streamEndingBetweenLinesEndsCleanly() {
        try (RawClient c = lineProbe(8192)) {
            c.send("last\n").shutdownOutput();
            assertThat(seen.take()).isEqualTo("last");
            assertThat(seen.take()).isEqualTo(END);
        }
    }

    @Test
    void reassemblesALineArrivingByteByByteIncludingMultiByteCharacters() {
        try (RawClient c = lineProbe(8192)) {
            c.sendByteByByte("héllo wörld €\r\n".getBytes(StandardCharsets.UTF_8), BYTE_PAUSE);
            assertThat(seen.take()).isEqualTo("héllo wörld €");
        }
    }

    @Test
    void readsManyPipelinedLinesAcrossBufferBoundaries() {
        // About 40 KB of lines in one write: lines straddle the end of the 16 KB buffer, which must compact.
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 3000; i++) all.append("line number ").append(i).append(i % 2 == 0 ? "\r\n" : "\n");
        try (RawClient c = lineProbe(8192)) {
            c.send(all.toString());
            for (int i = 0; i < 3000; i++) assertThat(seen.take()).isEqualTo("line number " + i);
        }
    }

    // ---- frames --------------------------------------------------------------------------------------------

    @Test
    void readsFramesOfEverySizeUpToTheMaximum() {
        int[] sizes = {0, 1, 4095, 4096, 16_384, 16_385, 100_000};
        try (RawClient c = frameProbe(100_000)) {
            for (int size : sizes) c.sendFrame(payload(size));
            for (int size : sizes) assertThat((byte[]) seen.take()).isEqualTo(payload(size));
        }
    }

    @Test
    void rejectsAFrameOverTheMaximumBeforeReadingItsPayload() {
        try (RawClient c = frameProbe(1000)) {
            c.send(new byte[] {0, 0, 0x03, (byte) 0xE9}); // 1001: only the header is ever sent
            assertThat(seen.take()).isInstanceOf(FramingException.FrameTooLarge.class)
                    .asString().contains("1001 bytes is over the limit of 1000");
        }
    }

    @Test
    void rejectsTheLargestUnsignedLengthWithoutOverflowing() {
        try (RawClient c = frameProbe(1 << 20)) {
            c.send(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            assertThat(seen.take()).isInstanceOf(FramingException.FrameTooLarge.class)
                    .asString().contains("4294967295");
        }
    }

    @Test
    void reportsAStreamEndingInsideAFrameHeaderAsTruncated() {
        try (RawClient c = frameProbe(1000)) {
            c.send(new byte[] {0, 0}).shutdownOutput();
            assertThat(seen.take()).isInstanceOf(FramingException.Truncated.class)
                    .asString().contains("frame header after 2 of 4 bytes");
        }
    }

    @Test
    void reportsAStreamEndingInsideAFramePayloadAsTruncated() {
        try (RawClient c = frameProbe(1000)) {
            c.send(new byte[] {0, 0, 0, 10, 'a', 'b', 'c'}).shutdownOutput();
            assertThat(seen.take()).isInstanceOf(FramingException.Truncated.class)
                    .asString().contains("frame after 3 of 10 bytes");
        }
    }

    @Test
    void streamEndingBetweenFramesEndsCleanly() {
        try (RawClient c = frameProbe(1000)) {
            c.sendFrame(payload(3)).shutdownOutput();
            assertThat((byte[]) seen.take()).isEqualTo(payload(3));
            assertThat(seen.take()).isEqualTo(END);
        }
    }

    @Test
    void reassemblesFramesArrivingByteByByte() {
        byte[] two = concat(RawClient.frame(payload(7)), RawClient.frame(payload(0)), RawClient.frame(payload(5)));
        try (RawClient c = frameProbe(1000)) {
            c.sendByteByByte(two, BYTE_PAUSE);
            assertThat((byte[]) seen.take()).isEqualTo(payload(7));
            assertThat((byte[]) seen.take()).isEqualTo(payload(0));
            assertThat((byte[]) seen.take()).isEqualTo(payload(5));
        }
    }

    // ---- exact reads and mixtures --------------------------------------------------------------------------

    @Test
    void readExactlyReturnsExactlyNBytesHoweverTheyAreSplit() {
        try (RawClient c = probe(ConnectionConfig.defaults(), conn -> new String(conn.readExactly(5), StandardCharsets.US_ASCII))) {
            c.sendByteByByte("abcdefgh".getBytes(StandardCharsets.US_ASCII), BYTE_PAUSE).send("ij");
            assertThat(seen.take()).isEqualTo("abcde");
            assertThat(seen.take()).isEqualTo("fghij");
        }
    }

    @Test
    void readExactlyReportsAStreamEndingEarlyAsTruncated() {
        try (RawClient c = probe(ConnectionConfig.defaults(), conn -> conn.readExactly(5))) {
            c.send("abc").shutdownOutput();
            assertThat(seen.take()).isInstanceOf(FramingException.Truncated.class)
                    .asString().contains("after 3 of 5 bytes");
        }
    }

    @Test
    void readExactlyZeroBytesReadsNothing() {
        try (RawClient c = probe(ConnectionConfig.defaults(), conn -> {
            byte[] none = conn.readExactly(0);
            String line = conn.readLine();
            return line == null ? null : none.length + ":" + line;
        })) {
            c.send("kept\n");
            assertThat(seen.take()).isEqualTo("0:kept");
        }
    }

    @Test
    void linesFramesAndExactReadsShareOneStream() {
        try (RawClient c = probe(ConnectionConfig.defaults(), conn -> {
            String line = conn.readLine();
            if (line == null) return null;
            byte[] frame = conn.readFrame();
            byte[] raw = conn.readExactly(4);
            return line + "|" + new String(frame, StandardCharsets.UTF_8) + "|" + new String(raw, StandardCharsets.UTF_8);
        })) {
            c.send(concat("HELLO\r\n".getBytes(StandardCharsets.UTF_8), RawClient.frame("payload".getBytes(StandardCharsets.UTF_8)),
                    "raw!".getBytes(StandardCharsets.UTF_8)));
            assertThat(seen.take()).isEqualTo("HELLO|payload|raw!");
        }
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
