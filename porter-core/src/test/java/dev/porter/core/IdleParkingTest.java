package dev.porter.core;

import dev.porter.core.internal.BufferPool;
import dev.porter.core.testing.Await;
import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle connections cost little: they give their buffers back to the pool while they wait, and a protocol that
 * parks ({@link Connection#parkUntilReadable()}) gives its thread back too, resuming when input arrives.
 *
 * <p>These tests empty the process-wide buffer pool first, so that every buffer in it afterwards was given back
 * by a connection under test.
 */
class IdleParkingTest {

    /** Answers one line per serve() call, then parks until the next line. */
    private static final Protocol PARKING_ECHO = c -> {
        String line = c.readLine();
        if (line == null) return;
        c.writeLine(line);
        c.flush();
        c.parkUntilReadable();
    };

    private final Deque<ByteBuffer> heldFromPool = new ArrayDeque<>();

    @BeforeEach
    void emptyTheSharedPool() {
        BufferPool pool = BufferPool.shared();
        while (pool.pooled() > 0) heldFromPool.push(pool.acquire());
    }

    @AfterEach
    void refillTheSharedPool() {
        while (!heldFromPool.isEmpty()) BufferPool.shared().release(heldFromPool.pop());
    }

    @Test
    void aParkedConnectionResumesOnNewInputWithoutHoldingAThread() {
        AtomicInteger serveCalls = new AtomicInteger();
        Protocol counted = c -> {
            serveCalls.incrementAndGet();
            PARKING_ECHO.serve(c);
        };
        try (Server server = TestServers.start(counted);
             RawClient client = RawClient.connect(server)) {
            for (int i = 0; i < 5; i++) {
                client.sendLine("round " + i);
                assertThat(client.readLine()).isEqualTo("round " + i);
                Await.until("the conversation thread is given back", () -> server.stats().threads() == 0);
                assertThat(server.stats().active()).isEqualTo(1);
            }
            assertThat(serveCalls).hasValue(5);
        }
    }

    @Test
    void parkedConnectionsHoldNoBuffers() {
        int n = 8;
        // All n conversations hold their input and output buffers at the same moment (so each has buffers of its
        // own, not ones handed on by the previous client), then park.
        CountDownLatch allHolding = new CountDownLatch(n);
        Protocol holdTogetherThenPark = c -> {
            String line = c.readLine();
            if (line == null) return;
            c.writeLine(line);
            allHolding.countDown();
            allHolding.await();
            c.flush();
            c.parkUntilReadable();
        };
        List<RawClient> clients = new ArrayList<>();
        try (Server server = TestServers.start(holdTogetherThenPark)) {
            for (int i = 0; i < n; i++) clients.add(RawClient.connect(server).sendLine("hi " + i));
            for (int i = 0; i < n; i++) assertThat(clients.get(i).readLine()).isEqualTo("hi " + i);
            Await.until("every parked connection gave its input and output buffers back",
                    () -> BufferPool.shared().pooled() == 2 * n);
            Await.until("every conversation gave its thread back", () -> server.stats().threads() == 0);
            assertThat(server.stats().active()).isEqualTo(n);

            // And they still work.
            clients.get(3).sendLine("again");
            assertThat(clients.get(3).readLine()).isEqualTo("again");
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    void aConnectionWaitingInAReadGivesItsBuffersBackWhileIdle() {
        int n = 4;
        CountDownLatch allHolding = new CountDownLatch(n);
        Protocol echo = c -> {
            String first = c.readLine();
            c.writeLine(first);
            allHolding.countDown();
            allHolding.await();
            c.flush();
            for (String line; (line = c.readLine()) != null; ) {
                c.writeLine(line);
                c.flush();
            }
        };
        List<RawClient> clients = new ArrayList<>();
        try (Server server = TestServers.start(echo)) {
            for (int i = 0; i < n; i++) clients.add(RawClient.connect(server).sendLine("hi " + i));
            for (int i = 0; i < n; i++) assertThat(clients.get(i).readLine()).isEqualTo("hi " + i);
            // Each conversation still has its thread blocked in readLine(), but past the linger it holds no buffer.
            Await.until("idle readers gave their buffers back", () -> BufferPool.shared().pooled() == 2 * n);
            assertThat(server.stats().threads()).isEqualTo(n);

            clients.get(0).sendLine("still reading");
            assertThat(clients.get(0).readLine()).isEqualTo("still reading");
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    void aParkedConnectionIsClosedWhenItsIdleTimeoutPasses() {
        ServerConfig config = TestServers.loopback().withIdleTimeout(Duration.ofMillis(300));
        try (Server server = TestServers.start(config, PARKING_ECHO);
             RawClient client = RawClient.connect(server)) {
            client.sendLine("once");
            assertThat(client.readLine()).isEqualTo("once");
            client.expectClosed();
            Await.until("the parked connection is counted closed", () -> server.stats().closed() == 1);
            assertThat(server.stats().active()).isZero();
        }
    }

    @Test
    void aParkedConnectionUsesTheIdleTimeoutItsProtocolSet() {
        // The server allows 10 minutes of silence; this conversation asks for 300 ms (say, a keep-alive timeout).
        Protocol shortKeepAlive = c -> {
            c.setIdleTimeout(Duration.ofMillis(300));
            PARKING_ECHO.serve(c);
        };
        ServerConfig config = TestServers.loopback().withIdleTimeout(Duration.ofMinutes(10));
        try (Server server = TestServers.start(config, shortKeepAlive);
             RawClient client = RawClient.connect(server)) {
            client.sendLine("once");
            assertThat(client.readLine()).isEqualTo("once");
            client.expectClosed();
        }
    }

    @Test
    void aResumedConnectionsReadsAreBoundedAgain() {
        // A parked connection is not watched for deadlines (it has no read to bound); once resumed it must be, or a
        // silent client would hold the resumed thread forever. The second turn waits with a 300 ms idle timeout.
        AtomicInteger turns = new AtomicInteger();
        Mailbox<String> ended = new Mailbox<>();
        Protocol parkOnceThenWait = c -> {
            if (turns.incrementAndGet() == 1) {
                PARKING_ECHO.serve(c);
                return;
            }
            c.writeLine(c.readLine());
            c.flush();
            c.setIdleTimeout(Duration.ofMillis(300));
            try {
                c.readLine();
                ended.put("read returned");
            } catch (java.net.SocketTimeoutException e) {
                ended.put("timed out");
            }
        };
        ServerConfig config = TestServers.loopback().withIdleTimeout(Duration.ofMinutes(10));
        try (Server server = TestServers.start(config, parkOnceThenWait);
             RawClient client = RawClient.connect(server)) {
            client.sendLine("one");
            assertThat(client.readLine()).isEqualTo("one");
            Await.until("parked", () -> server.stats().threads() == 0);
            client.sendLine("two");
            assertThat(client.readLine()).isEqualTo("two");
            assertThat(ended.take()).isEqualTo("timed out");
            client.expectClosed();
        }
    }

    @Test
    void inputAlreadyBufferedWhenParkingIsServedAtOnce() {
        Mailbox<String> served = new Mailbox<>();
        Protocol recording = c -> {
            String line = c.readLine();
            if (line == null) return;
            served.put(line);
            c.writeLine(line);
            c.flush();
            c.parkUntilReadable();
        };
        try (Server server = TestServers.start(recording);
             RawClient client = RawClient.connect(server)) {
            client.send("one\ntwo\nthree\n"); // one segment: lines two and three are buffered when one parks
            assertThat(client.readLine()).isEqualTo("one");
            assertThat(client.readLine()).isEqualTo("two");
            assertThat(client.readLine()).isEqualTo("three");
            assertThat(List.of(served.take(), served.take(), served.take())).containsExactly("one", "two", "three");
        }
    }

    @Test
    void aParkedConnectionWhosePeerLeavesIsClosed() {
        try (Server server = TestServers.start(PARKING_ECHO)) {
            try (RawClient client = RawClient.connect(server)) {
                client.sendLine("bye");
                assertThat(client.readLine()).isEqualTo("bye");
                Await.until("parked", () -> server.stats().threads() == 0);
            }
            Await.until("the server notices the peer left", () -> server.stats().closed() == 1);
            assertThat(server.stats().active()).isZero();
        }
    }

    @Test
    void gracefulStopClosesParkedConnectionsAtOnce() {
        Server server = TestServers.start(PARKING_ECHO);
        try (RawClient client = RawClient.connect(server)) {
            client.sendLine("hi");
            assertThat(client.readLine()).isEqualTo("hi");
            Await.until("parked", () -> server.stats().threads() == 0);
            assertThat(server.stop(Duration.ofSeconds(20))).isZero();
            client.expectClosed();
            assertThat(server.stats().active()).isZero();
        } finally {
            server.close();
        }
    }
}
