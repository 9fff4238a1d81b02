package dev.porter.core.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ConnectionOutput} over a sink that records each call: what leaves in which write. */
class ConnectionOutputTest {

    /** Each write call's bytes, gathered or not. */
    private static final class Recording implements ByteSink {
        final List<byte[]> writes = new ArrayList<>();

        @Override
        public void write(ByteBuffer src) {
            write(new ByteBuffer[]{src});
        }

        @Override
        public void write(ByteBuffer[] srcs) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (ByteBuffer s : srcs) {
                byte[] a = new byte[s.remaining()];
                s.get(a);
                b.writeBytes(a);
            }
            writes.add(b.toByteArray());
        }

        @Override public long transferFrom(FileChannel file, long position, long count) { return -1; }
        @Override public void shutdownOutput() { }
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aLargeWriteAfterBufferedBytesLeavesWithThemInOneWrite() throws Exception {
        Recording sink = new Recording();
        ConnectionOutput out = new ConnectionOutput(sink, new BufferPool(16 * 1024, 4), () -> { });
        byte[] head = filled(10, 'h');
        byte[] payload = filled(64 * 1024, 'p');

        out.write(head, 0, head.length);
        out.write(payload, 0, payload.length);

        assertThat(sink.writes).hasSize(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(head);
        expected.writeBytes(payload);
        assertThat(sink.writes.get(0)).isEqualTo(expected.toByteArray());
        assertThat(out.flushedBytes()).isEqualTo(head.length + payload.length);

        // The buffer is empty and usable again afterwards.
        out.write(head, 0, head.length);
        out.flush(false);
        assertThat(sink.writes).hasSize(2);
        assertThat(sink.writes.get(1)).isEqualTo(head);
    }

    @Test
    void aLargeWriteWithNothingBufferedLeavesAlone() throws Exception {
        Recording sink = new Recording();
        ConnectionOutput out = new ConnectionOutput(sink, new BufferPool(16 * 1024, 4), () -> { });
        byte[] payload = filled(20_000, 'p');

        out.write(payload, 0, payload.length);

        assertThat(sink.writes).hasSize(1);
        assertThat(sink.writes.get(0)).isEqualTo(payload);
    }
}
