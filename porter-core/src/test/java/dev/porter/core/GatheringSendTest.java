package dev.porter.core;

import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Connection#send}: what is buffered first, then every buffer's bytes in order, from direct and heap buffers
 * alike, with nothing kept (the buffers come back consumed), over a plaintext socket. The TLS case is in
 * {@code TlsTransportTest}.
 */
public class GatheringSendTest {

    /** 3 MiB and a bit in frame-like pieces: a 9-byte header, then a payload, alternately direct and heap. */
    public static ByteBuffer[] pieces(byte[] bytes) {
        ByteBuffer[] out = new ByteBuffer[2 * ((bytes.length + 16_383) / 16_384) + 2];
        int n = 0;
        for (int off = 0; off < bytes.length; ) {
            int len = Math.min(n % 4 == 0 ? 9 : 16_375, bytes.length - off);
            ByteBuffer b = n % 3 == 0 ? ByteBuffer.allocateDirect(len) : ByteBuffer.allocate(len);
            b.put(bytes, off, len).flip();
            out[n++] = b;
            off += len;
        }
        out[n++] = ByteBuffer.allocate(0); // an empty buffer among them is skipped
        return Arrays.copyOf(out, n);
    }

    @Test
    void sendsWhatIsBufferedThenEveryBufferInOrder() {
        byte[] bytes = new byte[3 * 1024 * 1024 + 777];
        new Random(7).nextBytes(bytes);
        ByteBuffer[] pieces = pieces(bytes);
        Protocol sender = c -> {
            c.write(new byte[] {'x'}); // buffered: goes out ahead of the pieces
            c.send(pieces);
            c.writeLine("end");
            c.flush();
        };
        try (Server server = TestServers.start(sender);
             RawClient client = RawClient.connect(server)) {
            byte[] back = client.readBytes(1 + bytes.length);
            assertThat(back[0]).isEqualTo((byte) 'x');
            assertThat(Arrays.copyOfRange(back, 1, back.length)).isEqualTo(bytes);
            assertThat(client.readLine()).isEqualTo("end");
        }
        for (ByteBuffer b : pieces) assertThat(b.hasRemaining()).isFalse();
    }
}
