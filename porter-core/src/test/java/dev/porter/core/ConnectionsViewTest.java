package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Server#connections()}: the read-only view a status page shows. Each state is reached for real by a
 * client on a socket; the view is polled (never a sleep) until the connection shows it.
 */
class ConnectionsViewTest {

    private static ConnectionInfo only(Server server) {
        List<ConnectionInfo> all = server.connections();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static boolean shows(Server server, ConnectionState state) {
        List<ConnectionInfo> all = server.connections();
        return all.size() == 1 && all.get(0).state() == state;
    }

    @Test
    void statesFollowTheConversation() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Protocol p = c -> {
            String line = c.readLine();                    // IDLE while waiting, READING inside the line
            if (line == null) return;
            c.activity(new Object() {
                @Override
                public String toString() {
                    return "handling " + line;
                }
            });
            try {
                release.await();                          // HANDLING: busy, not blocked on the socket
            } catch (InterruptedException e) {
                return;
            }
            c.activity(null);
            c.writeLine("done " + line);
            c.flush();
            c.parkUntilReadable();                        // PARKED once serve returns
        };
        try (Server server = TestServers.start(p);
             RawClient client = RawClient.connect(server)) {
            Await.until("the new connection waits idle", () -> shows(server, ConnectionState.IDLE));
            ConnectionInfo idle = only(server);
            assertThat(idle.id()).isEqualTo(1);
            assertThat(idle.peer().getPort()).isEqualTo(client.socket().getLocalPort());
            assertThat(idle.secure()).isFalse();
            assertThat(idle.activity()).isNull();
            assertThat(idle.since()).isBeforeOrEqualTo(Instant.now());

            client.send("partial");                       // no line end yet: inside a message
            Await.until("a line half received shows READING", () -> shows(server, ConnectionState.READING));
            assertThat(only(server).bytesIn()).isEqualTo(7);

            client.send(" line\n");
            Await.until("the protocol's activity shows HANDLING", () -> shows(server, ConnectionState.HANDLING));
            assertThat(only(server).activity()).isEqualTo("handling partial line");
            assertThat(only(server).bytesIn()).isEqualTo(13);

            release.countDown();
            assertThat(client.readLine()).isEqualTo("done partial line");
            Await.until("the parked connection shows PARKED", () -> shows(server, ConnectionState.PARKED));
            ConnectionInfo parked = only(server);
            assertThat(parked.bytesOut()).isEqualTo("done partial line\r\n".length());
            assertThat(parked.activity()).isNull();
            assertThat(parked.id()).isEqualTo(1);
        }
    }

    @Test
    void aClientThatDoesNotReadShowsWriting() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Protocol flood = c -> {
            try {
                while (c.isOpen()) {
                    c.write(chunk, 0, chunk.length);
                    c.flush();
                }
            } catch (IOException e) {
                // the test closed the client
            }
        };
        ServerConfig config = TestServers.loopback().withConnection(
                TestServers.loopback().connection().withWriteTimeout(Duration.ofMinutes(1)));
        try (Server server = TestServers.start(config, flood);
             RawClient client = RawClient.connect(server)) {
            Await.until("the blocked write shows WRITING", () -> shows(server, ConnectionState.WRITING));
            assertThat(only(server).bytesOut()).isPositive();
        }
    }

    @Test
    void idsCountAcceptedConnectionsAndClosedOnesLeaveTheView() throws Exception {
        Protocol echo = c -> {
            for (String line; (line = c.readLine()) != null; ) {
                c.writeLine(line);
                c.flush();
            }
        };
        try (Server server = TestServers.start(echo)) {
            try (RawClient a = RawClient.connect(server); RawClient b = RawClient.connect(server)) {
                a.sendLine("a");
                assertThat(a.readLine()).isEqualTo("a");
                b.sendLine("b");
                assertThat(b.readLine()).isEqualTo("b");
                Await.until("both connections are seen", () -> server.connections().size() == 2);
                assertThat(server.connections()).extracting(ConnectionInfo::id).containsExactly(1L, 2L);
            }
            Await.until("closed connections leave the view", () -> server.connections().isEmpty());
            try (RawClient c = RawClient.connect(server)) {
                c.sendLine("c");
                assertThat(c.readLine()).isEqualTo("c");
                assertThat(server.connections()).extracting(ConnectionInfo::id).containsExactly(3L);
            }
        }
    }

    @Test
    void isStoppingTurnsTrueAsSoonAsAGracefulStopBegins() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Protocol slow = c -> {
            if (c.readLine() == null) return;
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                return;
            }
            c.writeLine("finished");
            c.flush();
        };
        try (Server server = TestServers.start(slow);
             RawClient client = RawClient.connect(server)) {
            assertThat(server.isStopping()).isFalse();
            client.sendLine("go");
            Await.latch("the conversation is busy", inHandler);
            Thread stopper = Thread.ofVirtual().start(() -> server.stop(TestServers.TIMEOUT));
            Await.until("the stop began", server::isStopping);
            assertThat(stopper.isAlive()).as("the stop waits for the busy conversation").isTrue();
            release.countDown();
            assertThat(client.readLine()).isEqualTo("finished");
            stopper.join();
            assertThat(server.isStopping()).isTrue();
        }
    }
}
