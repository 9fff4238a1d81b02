package dev.porter.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    /** Records what the reader reports: message payloads reassembled, control frames. */
    static final class Recorder implements FrameReader.Sink {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream message = new ByteArrayOutputStream();
        final List<byte[]> messages = new ArrayList<>();

        @Override
        public void data(int opcode, long offset, ByteBuffer bytes) {
            assertThat(offset).isEqualTo(message.size());
            while (bytes.hasRemaining()) message.write(bytes.get());
        }

        @Override
        public void messageEnd(int opcode, long length, int frames) {
            assertThat(length).isEqualTo(message.size());
            events.add("message " + opcode + " " + length + " in " + frames);
            messages.add(message.toByteArray());
            message.reset();
        }

        @Override
        public void control(int opcode, byte[] payload) {
            events.add("control " + opcode + " " + payload.length);
        }
    }

    /** An unmasked frame, as a server sends it. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) out.write((int) ((long) n >>> shift));
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Every length encoding, a fragmented message with a ping between its fragments, and a close. */
    static byte[] stream() {
        return concat(
            frame(true, FrameReader.TEXT, new byte[0]),
            frame(true, FrameReader.BINARY, bytes(125, 1)),
            frame(true, FrameReader.BINARY, bytes(126, 2)),
            frame(true, FrameReader.BINARY, bytes(65535, 3)),
            frame(true, FrameReader.BINARY, bytes(65536, 4)),
            frame(false, FrameReader.TEXT, bytes(10, 5)),
            frame(true, FrameReader.PING, bytes(4, 6)),
            frame(false, FrameReader.CONTINUATION, bytes(200, 7)),
            frame(true, FrameReader.CONTINUATION, bytes(1, 8)),
            frame(true, FrameReader.CLOSE, new byte[] {3, (byte) 0xE8}));
    }

    static final List<String> EXPECTED = List.of(
        "message 1 0 in 1", "message 2 125 in 1", "message 2 126 in 1", "message 2 65535 in 1",
        "message 2 65536 in 1", "control 9 4", "message 1 211 in 3", "control 8 2");

    @Test
    void readsEveryLengthEncodingAndReassemblesFragmentsAroundAPing() throws Exception {
        Recorder r = new Recorder();
        new FrameReader(r).feed(ByteBuffer.wrap(stream()));
        assertThat(r.events).isEqualTo(EXPECTED);
        assertThat(r.messages.get(4)).isEqualTo(bytes(65536, 4));
        assertThat(r.messages.get(5)).isEqualTo(concat(bytes(10, 5), bytes(200, 7), bytes(1, 8)));
    }

    @Test
    void givesTheSameWhenFedByteByByte() throws Exception {
        Recorder r = new Recorder();
        FrameReader reader = new FrameReader(r);
        for (byte b : stream()) reader.feed(ByteBuffer.wrap(new byte[] {b}));
        assertThat(r.events).isEqualTo(EXPECTED);
    }

    @Test
    void givesTheSameWhenFedInRandomPieces() throws Exception {
        byte[] all = stream();
        for (int seed = 0; seed < 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Recorder r = new Recorder();
            FrameReader reader = new FrameReader(r);
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, 1 + random.nextInt(3000));
                reader.feed(ByteBuffer.wrap(all, at, n));
                at += n;
            }
            assertThat(r.events).isEqualTo(EXPECTED);
            assertThat(r.messages.get(3)).isEqualTo(bytes(65535, 3));
        }
    }

    @Test
    void refusesWhatAServerMustNotSend() {
        byte[] masked = frame(true, FrameReader.TEXT, new byte[2]);
        masked[1] |= (byte) 0x80;
        byte[] rsv = frame(true, FrameReader.TEXT, new byte[2]);
        rsv[0] |= 0x40;
        assertRefused(masked, "masked");
        assertRefused(rsv, "RSV");
        assertRefused(frame(true, FrameReader.PING, new byte[126]), "control frame of 126");
        assertRefused(frame(false, FrameReader.PING, new byte[1]), "fragmented control");
        assertRefused(frame(true, FrameReader.CONTINUATION, new byte[1]), "continuation frame outside");
        assertRefused(concat(frame(false, FrameReader.TEXT, new byte[1]), frame(true, FrameReader.BINARY, new byte[1])),
            "new message before");
        assertRefused(frame(true, 0x3, new byte[1]), "unknown opcode 3");
    }

    private static void assertRefused(byte[] bytes, String why) {
        assertThatThrownBy(() -> new FrameReader(new Recorder()).feed(ByteBuffer.wrap(bytes)))
            .isInstanceOf(WsProtocolException.class).hasMessageContaining(why);
    }
}
