package dev.porter.http.internal.websocket;

import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static dev.porter.http.internal.websocket.FrameParser.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameWriterTest {

    private static String write(FrameWriter w, boolean fin, int opcode, byte[] payload) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out::write, fin, false, opcode, payload, 0, payload.length);
        return HexFormat.of().formatHex(out.toByteArray());
    }

    @Test
    void s5_7_examplesAsAServerWritesThem() throws Exception {
        FrameWriter server = new FrameWriter(null);
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(write(server, true, TEXT, hello)).isEqualTo("810548656c6c6f");
        assertThat(write(server, true, PING, hello)).isEqualTo("890548656c6c6f");
        assertThat(write(server, false, TEXT, "Hel".getBytes(StandardCharsets.US_ASCII))).isEqualTo("010348656c");
        assertThat(write(server, true, BINARY, new byte[256])).startsWith("827e0100").hasSize(2 * (4 + 256));
        assertThat(write(server, true, BINARY, new byte[65536])).startsWith("827f0000000000010000");
    }

    @Test
    void s5_3_aClientMasksWithItsKeyAndTheParserUnmasks() throws Exception {
        FrameWriter client = new FrameWriter(new java.util.random.RandomGenerator() {
            @Override public long nextLong() { return 0; }
            @Override public int nextInt() { return 0x37fa213d; }
        });
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(write(client, true, TEXT, hello)).isEqualTo("818537fa213d7f9f4d5158");
        // A payload larger than one masking piece comes back intact.
        byte[] big = new byte[20_000];
        new Random(1).nextBytes(big);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.write(out::write, true, false, BINARY, big, 0, big.length);
        Decoding.Outcome o = Decoding.feed(out.toByteArray(), Decoding.server(1 << 20, 1 << 20), Splits.random(2));
        assertThat(o.events()).containsExactly("BINARY:" + HexFormat.of().formatHex(big));
    }

    @Test
    void controlFramesAreCheckedBeforeWriting() {
        FrameWriter server = new FrameWriter(null);
        assertThatThrownBy(() -> write(server, true, PING, new byte[126])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> write(server, false, CLOSE, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void s7_4_closePayloads() {
        assertThat(CloseCodes.payload(1000, "bye")).containsExactly(0x03, 0xe8, 'b', 'y', 'e');
        assertThat(CloseCodes.payload(CloseCodes.NO_STATUS, null)).isEmpty();
        for (int bad : new int[]{999, 1004, 1005 + 1000, 1006, 1015, 2999, 5000}) {
            assertThatThrownBy(() -> CloseCodes.payload(bad, "")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> CloseCodes.payload(1000, "x".repeat(124))).isInstanceOf(IllegalArgumentException.class);
        assertThat(CloseCodes.payload(4000, "x".repeat(123))).hasSize(125);
        String euros = "€".repeat(50); // 150 bytes: cut at a character boundary
        assertThat(CloseCodes.fit(euros)).isEqualTo("€".repeat(41));
    }
}
