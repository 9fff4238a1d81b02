package dev.porter.http.internal.websocket;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static dev.porter.http.internal.websocket.Decoding.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class Utf8ValidatorTest {

    /** @return the verdict when {@code b} is fed whole, and checks that every two-piece split agrees */
    private static boolean valid(byte[] b) {
        Utf8Validator v = new Utf8Validator();
        boolean whole = v.feed(b, 0, b.length) && v.complete();
        for (int at = 0; at <= b.length; at++) {
            v.reset();
            boolean split = v.feed(b, 0, at) & v.feed(b, at, b.length - at) && v.complete();
            assertThat(split).as("split at %d", at).isEqualTo(whole);
        }
        return whole;
    }

    @Test
    void acceptsWellFormedText() {
        assertThat(valid("".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(valid("Hello-µ@ßöäüàá-UTF-8!! κόσμε €𝄞 \uffff \ud7ff \ue000".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(valid(bytes(0xf4, 0x8f, 0xbf, 0xbf))).as("U+10FFFF").isTrue();
    }

    @Test
    void rejectsOverlongSurrogatesAndTooLarge() {
        assertThat(valid(bytes(0xc0, 0xaf))).isFalse();
        assertThat(valid(bytes(0xc1, 0xbf))).isFalse();
        assertThat(valid(bytes(0xe0, 0x80, 0xaf))).isFalse();
        assertThat(valid(bytes(0xf0, 0x80, 0x80, 0xaf))).isFalse();
        assertThat(valid(bytes(0xed, 0xa0, 0x80))).as("U+D800").isFalse();
        assertThat(valid(bytes(0xed, 0xbf, 0xbf))).as("U+DFFF").isFalse();
        assertThat(valid(bytes(0xf4, 0x90, 0x80, 0x80))).as("U+110000").isFalse();
        assertThat(valid(bytes(0xf5, 0x80, 0x80, 0x80))).isFalse();
        assertThat(valid(bytes(0xff))).isFalse();
        assertThat(valid(bytes(0x80))).isFalse();
        assertThat(valid(bytes('a', 0xe2, 0x82))).as("truncated").isFalse();
        assertThat(valid(bytes(0xe2, 'a', 0xac))).isFalse();
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(8)];
            for (int j = 0; j < b.length; j++) b[j] = (byte) (r.nextBoolean() ? 0x80 + r.nextInt(0x80) : r.nextInt(256));
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            assertThat(valid(b)).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(jdk);
        }
    }
}
