package dev.porter.core;

import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Connection#abandonLongReadsWhen}: a read that lasts makes the core ask the question on another thread; a
 * true answer closes the connection under the read, a false one lets it go on; a quick read is never asked about.
 */
class LongReadTest {

    private static final Duration CONNECT = Duration.ofSeconds(10);

    /** Answers each line only once the test lets it: a peer as slow as the test wants. */
    private static Protocol slowEcho(CountDownLatch answer) {
        return c -> {
            for (String line; (line = c.readLine()) != null; ) {
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                c.writeLine(line);
                c.flush();
            }
        };
    }

    private static Thread reading(Connection c, Mailbox<Object> outcome) {
        return Thread.ofVirtual().start(() -> {
            try {
                outcome.put(String.valueOf(c.readLine()));
            } catch (IOException e) {
                outcome.put(e);
            }
        });
    }

    @Test
    void aTrueAnswerEndsALongReadWithAnIOExceptionAndClosesTheConnection() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (Server server = TestServers.start(slowEcho(never));
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            AtomicInteger asked = new AtomicInteger();
            c.abandonLongReadsWhen(() -> asked.incrementAndGet() > 0);
            c.writeLine("hello");
            c.flush();
            Mailbox<Object> outcome = new Mailbox<>();
            reading(c, outcome);
            assertThat(outcome.take()).isInstanceOf(IOException.class);
            assertThat(asked.get()).isEqualTo(1);
            assertThat(c.isOpen()).isFalse();
        } finally {
            never.countDown();
        }
    }

    @Test
    void aFalseAnswerLetsTheReadGoOnAndItIsAskedAgain() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (Server server = TestServers.start(slowEcho(answer));
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            CountDownLatch askedTwice = new CountDownLatch(2);
            c.abandonLongReadsWhen(() -> {
                askedTwice.countDown();
                return false;
            });
            c.writeLine("hello");
            c.flush();
            Mailbox<Object> outcome = new Mailbox<>();
            reading(c, outcome);
            assertThat(askedTwice.await(TestServers.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .as("asked again while the read goes on").isTrue();
            answer.countDown();
            assertThat(outcome.take()).isEqualTo("hello");
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void aQuickReadIsNeverAskedAbout() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        try (Server server = TestServers.start(slowEcho(open));
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            AtomicInteger asked = new AtomicInteger();
            c.abandonLongReadsWhen(() -> asked.incrementAndGet() > 0);
            for (int i = 0; i < 100; i++) {
                c.writeLine("line " + i);
                c.flush();
                assertThat(c.readLine()).isEqualTo("line " + i);
            }
            c.abandonLongReadsWhen(null);
            assertThat(asked.get()).isZero();
            assertThat(c.isOpen()).isTrue();
        }
    }
}
