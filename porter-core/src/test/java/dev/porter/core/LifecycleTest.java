package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.Leaks;
import dev.porter.core.testing.LogCapture;
import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting, stopping gracefully, closing, and surviving protocols that fail. */
class LifecycleTest {

    private static final Protocol ECHO = c -> {
        for (String line; (line = c.readLine()) != null; ) {
            c.writeLine(line);
            c.flush();
        }
    };

    @Test
    void gracefulStopFinishesTheConversationInFlightAndRefusesNewOnes() {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Mailbox<Boolean> drainingSeen = new Mailbox<>();
        Protocol slowJob = c -> {
            for (String line; (line = c.readLine()) != null; ) {
                if (line.equals("job")) {
                    working.countDown();
                    finish.await();
                    drainingSeen.put(c.isDraining());
                    c.writeLine("job done");
                } else {
                    c.writeLine(line);
                }
                c.flush();
            }
        };
        Server server = TestServers.start(slowJob);
        try (RawClient busy = RawClient.connect(server);
             RawClient idle = RawClient.connect(server)) {
            idle.sendLine("hello");
            assertThat(idle.readLine()).isEqualTo("hello");
            busy.sendLine("job");
            Await.latch("the job started", working);

            CompletableFuture<Integer> stopping = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(20)));

            // The idle conversation ends at once, without waiting for the busy one.
            idle.expectClosed();
            // The welcome socket is closed: new clients are refused.
            Await.until("new clients are refused", refused(server));
            assertThat(stopping).isNotDone();

            finish.countDown();
            assertThat(busy.readLine()).isEqualTo("job done");
            assertThat(drainingSeen.take()).isTrue();
            busy.expectClosed(); // the next read saw the drain and ended the conversation
            assertThat(Await.result("stop", stopping)).isZero(); // nothing had to be cut off
            assertThat(server.stats().active()).isZero();
            assertThat(server.stats().threads()).isZero();
        } finally {
            server.close();
        }
    }

    private static java.util.function.BooleanSupplier refused(Server server) {
        return () -> {
            try (RawClient c = RawClient.connect(server)) {
                return false;
            } catch (UncheckedIOException e) {
                return e.getCause() instanceof ConnectException;
            }
        };
    }

    @Test
    void gracefulStopClosesConversationsStillBusyAtTheDeadline() {
        CountDownLatch writing = new CountDownLatch(1);
        Mailbox<Object> endings = new Mailbox<>();
        Protocol neverDone = c -> {
            byte[] chunk = new byte[64 * 1024];
            writing.countDown();
            try {
                // The client never reads, so this blocks for good: only the stop deadline can end it.
                while (true) c.write(chunk);
            } catch (IOException e) {
                endings.put(e);
            }
        };
        Server server = TestServers.start(neverDone);
        try (RawClient client = RawClient.connect(server)) {
            Await.latch("the protocol is writing", writing);
            int cutOff = server.stop(Duration.ofMillis(300));
            assertThat(cutOff).isEqualTo(1);
            assertThat(endings.take()).isInstanceOf(IOException.class);
            assertThat(server.stats().threads()).isZero();
            assertThat(server.stats().active()).isZero();
            assertThat(server.stats().closed()).isEqualTo(1);
        } finally {
            server.close();
        }
    }

    @Test
    void stopEndsAProtocolBlockedOutsideTheSocket() {
        // A protocol waiting on something other than its socket (a lock, a queue) is interrupted at the deadline.
        CountDownLatch waiting = new CountDownLatch(1);
        Mailbox<Object> endings = new Mailbox<>();
        Protocol waitsForever = c -> {
            waiting.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                endings.put(e);
            }
        };
        Server server = TestServers.start(waitsForever);
        try (RawClient client = RawClient.connect(server)) {
            Await.latch("the protocol waits", waiting);
            assertThat(server.stop(Duration.ofMillis(100))).isEqualTo(1);
            assertThat(endings.take()).isInstanceOf(InterruptedException.class);
            assertThat(server.stats().threads()).isZero();
            client.expectClosed();
        } finally {
            server.close();
        }
    }

    @Test
    void aProtocolCanStopItsOwnServer() {
        AtomicReference<Server> self = new AtomicReference<>();
        Mailbox<Integer> stopped = new Mailbox<>();
        Protocol admin = c -> {
            for (String line; (line = c.readLine()) != null; ) {
                if (line.equals("shutdown")) {
                    stopped.put(self.get().stop(Duration.ofSeconds(20)));
                    c.writeLine("stopped");
                    c.flush();
                    return;
                }
                c.writeLine(line);
                c.flush();
            }
        };
        Server server = TestServers.start(admin);
        self.set(server);
        try (RawClient bystander = RawClient.connect(server);
             RawClient operator = RawClient.connect(server)) {
            bystander.sendLine("hi");
            assertThat(bystander.readLine()).isEqualTo("hi");
            operator.sendLine("shutdown");
            assertThat(stopped.take()).isZero(); // returned at once: it did not wait for its own conversation
            assertThat(operator.readLine()).isEqualTo("stopped"); // and its connection was still open to answer
            operator.expectClosed();
            bystander.expectClosed();
            Await.until("every conversation ended", () -> server.stats().threads() == 0 && server.stats().active() == 0);
        } finally {
            server.close();
        }
    }

    @Test
    void stopDoesNotHangWhileTheBacklogPolicyWaitsForASlot() {
        ServerConfig one = TestServers.loopback().withMaxConnections(1, OverflowPolicy.BACKLOG);
        Server server = TestServers.start(one, ECHO);
        try (RawClient first = RawClient.connect(server);
             RawClient waiting = RawClient.connect(server)) {
            first.sendLine("in");
            assertThat(first.readLine()).isEqualTo("in");
            // The accept thread now waits for a free slot, not in accept().
            assertThat(server.stop(Duration.ofSeconds(20))).isZero();
            first.expectClosed();
            waiting.expectClosed(); // never accepted: the kernel resets it when the welcome socket closes
            Leaks.awaitNoPorterThreads();
        } finally {
            server.close();
        }
    }

    @Test
    void stopIsIdempotentAndReleasesAwaitStop() throws Exception {
        Server server = TestServers.start(ECHO);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                server.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(server.stop(Duration.ofSeconds(1))).isZero();
        assertThat(server.stop(Duration.ofSeconds(1))).isZero();
        server.close();
        Await.join("awaitStop returns", waiter);
    }

    @Test
    void closeLeavesNoThreadOrSocketBehind() {
        int socketsBefore = Leaks.openSockets();
        CountDownLatch blocked = new CountDownLatch(1);
        Protocol mixed = c -> {
            String first = c.readLine();
            if ("block".equals(first)) {
                blocked.countDown();
                new CountDownLatch(1).await(); // stays busy until close() interrupts it
            } else if ("park".equals(first)) {
                c.writeLine("parked");
                c.flush();
                c.parkUntilReadable();
            } else {
                ECHO.serve(c);
            }
        };
        Server server = TestServers.start(mixed);
        RawClient busy = RawClient.connect(server).sendLine("block");
        RawClient parked = RawClient.connect(server).sendLine("park");
        RawClient idle = RawClient.connect(server);
        Await.latch("one conversation is busy", blocked);
        assertThat(parked.readLine()).isEqualTo("parked");
        assertThat(Leaks.porterThreads()).isNotEmpty();

        server.close();

        busy.expectClosed();
        parked.expectClosed();
        idle.expectClosed();
        busy.close();
        parked.close();
        idle.close();
        assertThat(server.stats().active()).isZero();
        assertThat(server.stats().threads()).isZero();
        Leaks.awaitNoPorterThreads();
        if (socketsBefore >= 0) Leaks.awaitOpenSocketsAtMost(socketsBefore);
    }

    @Test
    void aThrowingProtocolClosesOnlyItsOwnConnectionAndIsLoggedOnce() {
        Protocol fragile = c -> {
            for (String line; (line = c.readLine()) != null; ) {
                if (line.equals("boom")) throw new IllegalStateException("the protocol broke on purpose");
                if (line.equals("error")) throw new AssertionError("an Error, not an Exception");
                c.writeLine(line);
                c.flush();
            }
        };
        try (LogCapture log = LogCapture.of("dev.porter.core");
             Server server = TestServers.start(fragile);
             RawClient bystander = RawClient.connect(server);
             RawClient victim = RawClient.connect(server)) {
            bystander.sendLine("before");
            assertThat(bystander.readLine()).isEqualTo("before");

            victim.sendLine("boom");
            victim.expectClosed();
            int victimPort = victim.socket().getLocalPort();

            bystander.sendLine("after");
            assertThat(bystander.readLine()).isEqualTo("after");
            try (RawClient newcomer = RawClient.connect(server)) {
                newcomer.sendLine("error");
                newcomer.expectClosed();
            }
            try (RawClient newcomer = RawClient.connect(server)) {
                newcomer.sendLine("fine");
                assertThat(newcomer.readLine()).isEqualTo("fine");
            }

            Await.until("both failures are logged", () -> log.messages(System.Logger.Level.WARNING).size() >= 2);
            assertThat(log.messages(System.Logger.Level.WARNING))
                    .hasSize(2)
                    .anySatisfy(m -> assertThat(m).contains(":" + victimPort).contains("the protocol broke on purpose"));
            assertThat(server.stats().rejected()).isZero();
        }
    }

    @Test
    void startRejectsMissingArguments() {
        assertThatThrownBy(() -> Server.start(null, ECHO)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Server.start(ServerConfig.defaults(), null)).isInstanceOf(NullPointerException.class);
    }
}
