package dev.porter.examples;

import dev.porter.core.ConnectionConfig;
import dev.porter.core.Server;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EchoProtocolTest {

    @Test
    void echoesEachLineBackWithCrlf() {
        try (Server server = TestServers.start(new EchoProtocol());
             RawClient client = RawClient.connect(server)) {
            client.sendLine("hello");
            assertThat(client.readLine()).isEqualTo("hello");
            client.send("crlf too\r\n");
            assertThat(client.readLine()).isEqualTo("crlf too");
            client.send("raw\n");
            assertThat(new String(client.readBytes(5))).isEqualTo("raw\r\n");
        }
    }

    @Test
    void answersPipelinedLinesInOrder() {
        try (Server server = TestServers.start(new EchoProtocol());
             RawClient client = RawClient.connect(server)) {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 200; i++) many.append("line ").append(i).append('\n');
            client.send(many.toString());
            for (int i = 0; i < 200; i++) assertThat(client.readLine()).isEqualTo("line " + i);
        }
    }

    @Test
    void echoesByteByByteInput() {
        try (Server server = TestServers.start(new EchoProtocol());
             RawClient client = RawClient.connect(server)) {
            client.sendByteByByte("typed slowly\r\n".getBytes(), Duration.ofMillis(1));
            assertThat(client.readLine()).isEqualTo("typed slowly");
        }
    }

    @Test
    void finishesWhenTheClientHalfCloses() {
        try (Server server = TestServers.start(new EchoProtocol());
             RawClient client = RawClient.connect(server)) {
            client.send("last words\n").shutdownOutput();
            assertThat(client.readAll()).isEqualTo("last words\r\n");
        }
    }

    @Test
    void closesAConnectionSendingALineOverTheLimit() {
        var config = TestServers.loopback().withConnection(ConnectionConfig.defaults().withMaxLineLength(10));
        try (Server server = TestServers.start(config, new EchoProtocol());
             RawClient client = RawClient.connect(server)) {
            client.sendLine("short");
            assertThat(client.readLine()).isEqualTo("short");
            client.sendLine("much too long for ten");
            client.expectClosed();
        }
    }

    @Test
    void answersTheWholeLinesBeforeAnUnterminatedLastLine() {
        // printf 'first\nsecond\nno end' | nc: the stream ends inside a line (Truncated), after two whole lines.
        try (Server server = TestServers.start(new EchoProtocol());
             RawClient client = RawClient.connect(server)) {
            client.send("first\nsecond\nno end").shutdownOutput();
            assertThat(client.readAll()).isEqualTo("first\r\nsecond\r\n");
        }
    }

    @Test
    void answersTheLinesSentTogetherWithALineOverTheLimit() {
        var config = TestServers.loopback().withConnection(ConnectionConfig.defaults().withMaxLineLength(10));
        try (Server server = TestServers.start(config, new EchoProtocol());
             RawClient client = RawClient.connect(server)) {
            client.send("short\nmuch too long for ten\n");
            assertThat(client.readAll()).isEqualTo("short\r\n");
        }
    }
}
