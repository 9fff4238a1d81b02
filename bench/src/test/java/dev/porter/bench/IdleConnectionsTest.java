package dev.porter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdleConnectionsTest {

    private static ByteBuffer received(String text) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        buffer.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return buffer;
    }

    @Test
    void responseIsCompleteOnlyWithItsWholeBody() {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n";
        assertThat(IdleConnections.complete(received(head + "Hello, World!"))).isTrue();
        assertThat(IdleConnections.complete(received(head + "Hello"))).isFalse();
        assertThat(IdleConnections.complete(received("HTTP/1.1 200 OK\r\nContent-Len"))).isFalse();
    }

    @Test
    void headerNameIsMatchedWithoutRegardToCase() {
        assertThat(IdleConnections.complete(received("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nab"))).isTrue();
        assertThat(IdleConnections.complete(received("HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 3\r\n\r\nab"))).isFalse();
    }
}
