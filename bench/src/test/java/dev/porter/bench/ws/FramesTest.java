package dev.porter.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void acceptIsTheOneOfRfc6455Section1_3() {
        assertThat(Frames.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void maskedFramesCarryTheKeyAndUnmaskToThePayload() {
        for (int n : new int[] {0, 64, 125, 126, 65535, 65536}) {
            byte[] payload = Frames.payload(n, n % 2 == 0, new SplittableRandom(n));
            byte[] frame = Frames.masked(FrameReader.BINARY, payload, 0x01020304);
            int lengthBytes = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
            assertThat(frame).hasSize(2 + lengthBytes + 4 + n);
            assertThat(frame[0] & 0xFF).isEqualTo(0x82);
            assertThat(frame[1] & 0x80).isEqualTo(0x80);
            assertThat(frame[1] & 0x7F).isEqualTo(n < 126 ? n : n <= 0xFFFF ? 126 : 127);
            int at = 2 + lengthBytes;
            byte[] key = {frame[at], frame[at + 1], frame[at + 2], frame[at + 3]};
            assertThat(key).containsExactly(1, 2, 3, 4);
            for (int i = 0; i < n; i++) assertThat((byte) (frame[at + 4 + i] ^ key[i & 3])).isEqualTo(payload[i]);
        }
    }

    @Test
    void textPayloadsAreAsciiOfTheExactSize() {
        byte[] text = Frames.payload(64, true, new SplittableRandom(1));
        assertThat(new String(text, StandardCharsets.US_ASCII)).hasSize(64).matches("[A-Za-z0-9]+");
    }

    @Test
    void upgradeResponseMustBeA101WithTheRightAcceptAndNoExtension() throws Exception {
        String key = "dGhlIHNhbXBsZSBub25jZQ==";
        String good = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
        Frames.checkUpgradeResponse(good, key);
        Frames.checkUpgradeResponse(good.replace("Upgrade: websocket", "upgrade: WebSocket"), key);
        assertThatThrownBy(() -> Frames.checkUpgradeResponse("HTTP/1.1 404 Not Found\r\nContent-Length: 0", key))
            .hasMessageContaining("404");
        assertThatThrownBy(() -> Frames.checkUpgradeResponse(good.replace("s3pP", "xxxx"), key))
            .hasMessageContaining("Accept");
        assertThatThrownBy(() -> Frames.checkUpgradeResponse(good + "\r\nSec-WebSocket-Extensions: permessage-deflate", key))
            .hasMessageContaining("permessage-deflate");
    }

    @Test
    void headEndFindsTheBlankLine() {
        byte[] head = "HTTP/1.1 101 OK\r\nA: b\r\n\r\nXY".getBytes(StandardCharsets.US_ASCII);
        assertThat(Handshake.headEnd(head, head.length)).isEqualTo(21); // "HTTP/1.1 101 OK\r\nA: b"
        assertThat(Handshake.headEnd(head, 24)).isEqualTo(-1);
    }
}
