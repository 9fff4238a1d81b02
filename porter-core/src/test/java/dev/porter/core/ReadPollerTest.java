package dev.porter.core;

import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paths of the read poller beneath every plaintext server connection that ordinary request/response traffic
 * does not take: input arriving while the connection's thread is busy (the socket is muted, then unmuted), a
 * write larger than the socket buffer (the writer waits for writability), a timed wait that ends with nothing
 * read, and a close from another thread while a read waits.
 */
class ReadPollerTest {

    @Test
    void linesSentWhileTheThreadIsBusyAreAllReadInOrder() {
        Mailbox<String> received = new Mailbox<>();
        Protocol slowFirst = c -> {
            String first = c.readLine();
            received.put(first);
            sleep(300); // busy: everything below arrives meanwhile, and the poller must not spin or lose it
            for (String line; (line = c.readLine()) != null; ) {
                c.writeLine("ok " + line);
                c.flush();
            }
        };
        try (Server server = TestServers.start(slowFirst);
             RawClient client = RawClient.connect(server)) {
            client.sendLine("first");
            assertThat(received.take()).isEqualTo("first");
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 2000; i++) burst.append("line ").append(i).append('\n');
            client.send(burst.toString());
            for (int i = 0; i < 2000; i++) assertThat(client.readLine()).isEqualTo("ok line " + i);
        }
    }

    @Test
    void aWriteLargerThanTheSocketBufferArrivesWholeAtASlowReader() {
        byte[] big = new byte[8 << 20];
        new Random(15).nextBytes(big);
        Protocol sendBig = c -> {
            c.readLine();
            c.write(big, 0, big.length);
            c.flush();
            c.readLine(); // stay open until the client has it all
        };
        try (Server server = TestServers.start(sendBig);
             RawClient client = RawClient.connect(server)) {
            client.sendLine("go");
            sleep(300); // the socket buffers fill and the writer must wait for the reader
            byte[] got = client.readBytes(big.length);
            assertThat(Arrays.equals(got, big)).as("the 8 MiB arrived unchanged").isTrue();
            client.sendLine("thanks");
        }
    }

    @Test
    void aTimedWaitWithNothingSentEndsAndTheConnectionStillReads() {
        Mailbox<String> events = new Mailbox<>();
        Protocol lingering = c -> {
            events.put("awaited: " + c.awaitInput(Duration.ofMillis(200)));
            events.put("then read: " + c.readLine());
        };
        try (Server server = TestServers.start(lingering);
             RawClient client = RawClient.connect(server)) {
            assertThat(events.take()).isEqualTo("awaited: false");
            client.sendLine("late");
            assertThat(events.take()).isEqualTo("then read: late");
        }
    }

    @Test
    void aCloseFromAnotherThreadEndsAWaitingRead() {
        Mailbox<Connection> connections = new Mailbox<>();
        Mailbox<String> outcome = new Mailbox<>();
        Protocol reader = c -> {
            connections.put(c);
            try {
                outcome.put("read returned " + c.read());
            } catch (IOException e) {
                outcome.put("read failed");
            }
        };
        try (Server server = TestServers.start(reader);
             RawClient client = RawClient.connect(server)) {
            Connection c = connections.take();
            sleep(100); // let the read start waiting
            c.close();
            assertThat(outcome.take()).isIn("read returned -1", "read failed");
            client.expectClosed();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
