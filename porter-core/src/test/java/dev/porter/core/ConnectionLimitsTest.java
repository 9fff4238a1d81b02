package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits of {@link ServerConfig} and {@link ConnectionConfig}: connection count, idle, read and write timeouts. */
class ConnectionLimitsTest {

    private static final Protocol ECHO = c -> {
        for (String line; (line = c.readLine()) != null; ) {
            c.writeLine(line);
            c.flush();
        }
    };

    /** Records how each conversation ended: normally ("done") or with the exception that ended it. */
    private static Protocol recordingEcho(Mailbox<Object> endings) {
        return c -> {
            try {
                ECHO.serve(c);
                endings.put("done");
            } catch (Exception e) {
                endings.put(e);
                throw e;
            }
        };
    }

    @Test
    void idleTimeoutClosesASilentConnection() {
        Mailbox<Object> endings = new Mailbox<>();
        ServerConfig config = TestServers.loopback().withIdleTimeout(Duration.ofMillis(200));
        try (Server server = TestServers.start(config, recordingEcho(endings));
             RawClient client = RawClient.connect(server)) {
            client.expectClosed();
            assertThat(endings.take()).isInstanceOf(SocketTimeoutException.class);
            Await.until("the connection is counted closed", () -> server.stats().closed() == 1);
        }
    }

    @Test
    void idleTimeoutLongerThanTheBufferLingerStillCloses() {
        // Past the linger the connection waits without buffers (a different read path); the timeout must hold there too.
        Mailbox<Object> endings = new Mailbox<>();
        ServerConfig config = TestServers.loopback().withIdleTimeout(Duration.ofMillis(900));
        try (Server server = TestServers.start(config, recordingEcho(endings));
             RawClient client = RawClient.connect(server)) {
            client.sendLine("one");
            assertThat(client.readLine()).isEqualTo("one");
            client.expectClosed();
            assertThat(endings.take()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("timed out");
        }
    }

    @Test
    void idleTimeoutCountsSilenceBetweenMessagesNotTheConnectionsAge() {
        ServerConfig config = TestServers.loopback().withIdleTimeout(Duration.ofMillis(1500));
        try (Server server = TestServers.start(config, ECHO);
             RawClient client = RawClient.connect(server)) {
            // Five exchanges 400 ms apart (far inside the idle timeout, whatever the machine's load): together they
            // outlast the timeout, so only silence between messages can count.
            for (int i = 0; i < 5; i++) {
                client.sendLine("ping " + i);
                assertThat(client.readLine()).isEqualTo("ping " + i);
                sleep(400);
            }
            client.expectClosed();
        }
    }

    @Test
    void readTimeoutClosesAConnectionStuckInTheMiddleOfALine() {
        Mailbox<Object> endings = new Mailbox<>();
        ServerConfig config = TestServers.loopback()
                .withConnection(ConnectionConfig.defaults().withReadTimeout(Duration.ofMillis(200)));
        try (Server server = TestServers.start(config, recordingEcho(endings));
             RawClient client = RawClient.connect(server)) {
            client.send("half a li"); // no line end, ever
            client.expectClosed();
            assertThat(endings.take()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void maximumConnectionsWithClosePolicyClosesTheExtraClientAtOnce() {
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger served = new AtomicInteger();
        Protocol hold = c -> {
            served.incrementAndGet();
            inside.countDown();
            release.await();
            ECHO.serve(c);
        };
        ServerConfig two = TestServers.loopback().withMaxConnections(2, OverflowPolicy.CLOSE);
        try (Server server = TestServers.start(two, hold);
             RawClient a = RawClient.connect(server);
             RawClient b = RawClient.connect(server)) {
            Await.latch("two clients are being served", inside);

            try (RawClient extra = RawClient.connect(server)) {
                extra.expectClosed();
            }
            Await.until("the extra client is counted rejected", () -> server.stats().rejected() == 1);
            assertThat(served).hasValue(2);

            // Once a slot frees, a new client is served again.
            release.countDown();
            a.close();
            Await.until("a slot frees", () -> server.stats().active() == 1);
            try (RawClient later = RawClient.connect(server)) {
                later.sendLine("in");
                assertThat(later.readLine()).isEqualTo("in");
            }
            assertThat(server.stats().rejected()).isEqualTo(1);
            b.sendLine("still fine");
            assertThat(b.readLine()).isEqualTo("still fine");
        }
    }

    @Test
    void maximumConnectionsWithBacklogPolicyKeepsTheExtraClientWaitingUntilASlotFrees() {
        AtomicInteger served = new AtomicInteger();
        Protocol counting = c -> {
            served.incrementAndGet();
            ECHO.serve(c);
        };
        ServerConfig one = TestServers.loopback().withMaxConnections(1, OverflowPolicy.BACKLOG);
        try (Server server = TestServers.start(one, counting);
             RawClient first = RawClient.connect(server)) {
            first.sendLine("first");
            assertThat(first.readLine()).isEqualTo("first");

            // The kernel completes the handshake (the backlog), but Porter does not accept or serve it yet.
            try (RawClient waiting = RawClient.connect(server)) {
                waiting.sendLine("second");
                assertThat(waiting.staysSilentFor(Duration.ofMillis(300))).isTrue();
                assertThat(served).hasValue(1);
                assertThat(server.stats().accepted()).isEqualTo(1);

                first.close();
                assertThat(waiting.readLine()).isEqualTo("second");
                assertThat(served).hasValue(2);
                assertThat(server.stats().rejected()).isZero();
            }
        }
    }

    @Test
    void writeTimeoutClosesAConnectionWhosePeerNeverReads() {
        Mailbox<Object> endings = new Mailbox<>();
        Mailbox<Connection> connections = new Mailbox<>();
        Protocol flood = c -> {
            connections.put(c);
            byte[] chunk = new byte[64 * 1024];
            try {
                // Far more than any socket buffers hold: the writes must block once the peer's window is full.
                for (int i = 0; i < 4096; i++) c.write(chunk);
                c.flush();
                endings.put("wrote everything");
            } catch (IOException e) {
                endings.put(e);
            }
        };
        ServerConfig config = TestServers.loopback()
                .withConnection(ConnectionConfig.defaults().withWriteTimeout(Duration.ofMillis(300)));
        try (Server server = TestServers.start(config, flood);
             RawClient lazy = RawClient.connect(server)) {
            lazy.socket().setReceiveBufferSize(4096);
            Connection c = connections.take();
            assertThat(endings.take()).isInstanceOf(IOException.class);
            assertThat(c.timedOut()).isTrue();
            assertThat(c.isOpen()).isFalse();
            Await.until("the connection is counted closed", () -> server.stats().closed() == 1);
        } catch (java.net.SocketException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> ConnectionConfig.defaults().withIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> ConnectionConfig.defaults().withMaxLineLength(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineLength");
        assertThatThrownBy(() -> ServerConfig.defaults().withPort(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> ServerConfig.defaults().withMaxConnections(0, OverflowPolicy.CLOSE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ServerConfig s = ServerConfig.defaults();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isZero();
        assertThat(s.backlog()).isEqualTo(1024);
        assertThat(s.maxConnections()).isEqualTo(10_000);
        assertThat(s.overflow()).isEqualTo(OverflowPolicy.CLOSE);
        assertThat(s.reuseAddress()).isTrue();
        ConnectionConfig c = s.connection();
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxLineLength()).isEqualTo(8192);
        assertThat(c.maxFrameSize()).isEqualTo(1 << 20);
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
