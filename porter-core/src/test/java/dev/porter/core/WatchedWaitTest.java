package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Connection#awaitInputWatched}: a wait for input without a timer that the core's watchdog watches through
 * the protocol's {@link InputWatch} — busy (no deadline, a stop does not end it) until the protocol is quiet, then
 * idle (a stop ends it, the idle timeout bounds it), with one nudge to the protocol once quiet for a moment.
 */
class WatchedWaitTest {

    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Protocol ECHO = c -> {
        for (String line; (line = c.readLine()) != null; ) {
            c.writeLine(line);
            c.flush();
        }
    };

    /** A watch whose quiet state the test sets; its nudge runs {@code onNudge}. */
    private static final class Watch implements InputWatch {
        final AtomicBoolean quiet = new AtomicBoolean();
        final AtomicInteger nudges = new AtomicInteger();
        volatile Runnable onNudge = () -> { };

        @Override public boolean quiet() { return quiet.get(); }

        @Override
        public void nudge() {
            nudges.incrementAndGet();
            onNudge.run();
        }
    }

    private static Thread waiting(Connection c, Watch w, Mailbox<Object> outcome) {
        return Thread.ofVirtual().start(() -> {
            try {
                outcome.put(c.awaitInputWatched(w));
            } catch (IOException e) {
                outcome.put(e);
            }
        });
    }

    @Test
    void endsWhenInputArrivesWithoutConsumingIt() throws Exception {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            Mailbox<Object> outcome = new Mailbox<>();
            Watch w = new Watch();
            Thread t = waiting(c, w, outcome);
            Await.until("the wait blocks", () -> t.getState() == Thread.State.WAITING);
            c.writeLine("hello");
            c.flush();
            assertThat(outcome.take()).isEqualTo(true);
            assertThat(c.readLine()).isEqualTo("hello");
            assertThat(w.nudges.get()).as("busy all along: never nudged").isZero();
        }
    }

    @Test
    void aBusyWaitHasNoDeadlineAndAQuietOneIsNudgedOnce() throws Exception {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            c.setIdleTimeout(Duration.ofMillis(100)); // shorter than the busy wait below: no deadline while busy
            Mailbox<Object> outcome = new Mailbox<>();
            Watch w = new Watch();
            // The nudge asks the peer for bytes (the echo answers), which ends the wait.
            w.onNudge = () -> {
                try {
                    c.writeLine("nudged");
                    c.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            Thread t = waiting(c, w, outcome);
            Thread.sleep(600); // several watchdog scans and idle timeouts: busy, so still waiting
            assertThat(t.isAlive()).isTrue();
            assertThat(w.nudges.get()).isZero();
            c.setIdleTimeout(TestServers.TIMEOUT); // quiet from now on: the nudge, not the idle timeout, ends it
            w.quiet.set(true);
            assertThat(outcome.take()).isEqualTo(true);
            assertThat(c.readLine()).isEqualTo("nudged");
            assertThat(w.nudges.get()).isEqualTo(1);
        }
    }

    @Test
    void aQuietWaitEndsWithTheIdleTimeout() throws Exception {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            c.setIdleTimeout(Duration.ofMillis(300));
            Watch w = new Watch();
            w.quiet.set(true);
            Mailbox<Object> outcome = new Mailbox<>();
            waiting(c, w, outcome);
            assertThat(outcome.take()).isInstanceOf(SocketTimeoutException.class);
            assertThat(c.timedOut()).isTrue();
            assertThat(w.nudges.get()).as("nudged once, not answered").isEqualTo(1);
        }
    }

    @Test
    void aGracefulStopEndsAQuietWaitNotABusyOne() throws Exception {
        Watch w = new Watch();
        Mailbox<Object> outcome = new Mailbox<>();
        Server server = TestServers.start(c -> {
            c.writeLine("ready");
            c.flush();
            outcome.put(c.awaitInputWatched(w));
            outcome.put(c.read()); // end of input after the stop
        });
        try (RawClient client = RawClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("ready");
            Thread stopping = Thread.ofVirtual().start(() -> server.stop(TestServers.TIMEOUT));
            Await.until("the nudge for the stop", () -> w.nudges.get() == 1);
            assertThat(stopping.isAlive()).as("busy: the stop waits").isTrue();
            w.quiet.set(true);
            assertThat(outcome.take()).isEqualTo(true);
            assertThat(outcome.take()).isEqualTo(-1);
            Await.join("the stop", stopping);
        } finally {
            server.close();
        }
    }
}
