package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The welcome socket: binding, and an accept loop that never waits for a conversation. */
class AcceptLoopTest {

    /** Echoes lines; a line "block" parks the conversation until {@code release} opens. */
    private static Protocol blockingEcho(CountDownLatch blocked, CountDownLatch release) {
        return c -> {
            for (String line; (line = c.readLine()) != null; ) {
                if (line.equals("block")) {
                    blocked.countDown();
                    release.await();
                    c.writeLine("released");
                } else {
                    c.writeLine("echo " + line);
                }
                c.flush();
            }
        };
    }

    @Test
    void keepsAcceptingWhileEveryHandlerBlocks() {
        CountDownLatch blocked = new CountDownLatch(5);
        CountDownLatch release = new CountDownLatch(1);
        List<RawClient> stuck = new ArrayList<>();
        try (Server server = TestServers.start(blockingEcho(blocked, release))) {
            for (int i = 0; i < 5; i++) stuck.add(RawClient.connect(server).sendLine("block"));
            Await.latch("five handlers block", blocked);

            try (RawClient fresh = RawClient.connect(server)) {
                fresh.sendLine("still here?");
                assertThat(fresh.readLine()).isEqualTo("echo still here?");
            }
            assertThat(server.stats().threads()).isGreaterThanOrEqualTo(5);

            release.countDown();
            for (RawClient c : stuck) assertThat(c.readLine()).isEqualTo("released");
        } finally {
            stuck.forEach(RawClient::close);
        }
    }

    @Test
    void servesOneThousandConnectionsAtOnce() {
        int n = 1000;
        CountDownLatch inConversation = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        Protocol holdThenAnswer = c -> {
            String line = c.readLine();
            inConversation.countDown();
            release.await();
            c.writeLine("bye " + line);
            c.flush();
        };
        List<RawClient> clients = new ArrayList<>(n);
        try (Server server = TestServers.start(holdThenAnswer)) {
            for (int i = 0; i < n; i++) clients.add(RawClient.connect(server).sendLine("client " + i));
            // Every one of the n conversations is inside serve() at the same moment.
            Await.latch("all " + n + " conversations are in progress together", inConversation);
            ServerStats during = server.stats();
            assertThat(during.active()).isEqualTo(n);
            assertThat(during.threads()).isEqualTo(n);
            assertThat(during.rejected()).isZero();

            release.countDown();
            for (int i = 0; i < n; i++) assertThat(clients.get(i).readLine()).isEqualTo("bye client " + i);
            Await.until("every connection is closed", () -> server.stats().closed() == n);
            assertThat(server.stats().active()).isZero();
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    void portZeroReportsThePortActuallyBound() {
        try (Server server = TestServers.start(c -> { c.writeLine("hi"); c.flush(); })) {
            assertThat(server.port()).isBetween(1, 65535);
            assertThat(server.address().getPort()).isEqualTo(server.port());
            assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            try (RawClient c = RawClient.connect("127.0.0.1", server.port())) {
                assertThat(c.readLine()).isEqualTo("hi"); // reached through the reported port
            }
        }
    }

    @Test
    void bindingAHostThatDoesNotResolveFailsWithUnknownHostException() {
        // As Client.connect does, rather than the unchecked UnresolvedAddressException with no message.
        ServerConfig nowhere = TestServers.loopback().withHost("no-such-host.invalid");
        assertThatThrownBy(() -> Server.start(nowhere, c -> { }))
                .isInstanceOf(java.net.UnknownHostException.class).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void bindingAPortInUseFailsWithBindException() {
        try (Server first = TestServers.start(c -> { })) {
            ServerConfig same = TestServers.loopback().withPort(first.port());
            assertThatThrownBy(() -> Server.start(same, c -> { }))
                    .isInstanceOf(BindException.class);
            // The first server is unharmed.
            try (RawClient c = RawClient.connect(first)) {
                c.expectClosed();
            }
        }
    }

    @Test
    void bindsTheIpv6Loopback() {
        assumeTrue(TestServers.hasIpv6Loopback(), "this machine has no IPv6 loopback");
        try (Server server = TestServers.start(TestServers.loopback().withHost("::1"), c -> {
            c.writeLine("from " + c.localAddress().getAddress().getHostAddress());
            c.flush();
        })) {
            assertThat(server.address().getAddress()).isInstanceOf(Inet6Address.class);
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            try (RawClient c = RawClient.connect(new InetSocketAddress("::1", server.port()))) {
                assertThat(c.readLine()).isEqualTo("from 0:0:0:0:0:0:0:1");
            }
        }
    }

    @Test
    void statsCountAcceptedActiveRejectedAndClosedConnections() {
        CountDownLatch blocked = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ServerConfig two = TestServers.loopback().withMaxConnections(2, OverflowPolicy.CLOSE);
        try (Server server = TestServers.start(two, blockingEcho(blocked, release));
             RawClient a = RawClient.connect(server).sendLine("block");
             RawClient b = RawClient.connect(server).sendLine("block")) {
            Await.latch("two conversations block", blocked);
            try (RawClient c = RawClient.connect(server)) {
                c.expectClosed();
            }
            Await.until("the third client is counted as rejected", () -> server.stats().rejected() == 1);
            assertThat(server.stats()).isEqualTo(new ServerStats(3, 2, 1, 0, 2));

            release.countDown();
            assertThat(a.readLine()).isEqualTo("released");
            assertThat(b.readLine()).isEqualTo("released");
            a.close();
            b.close();
            Await.until("both conversations ended", () -> server.stats().closed() == 2);
            Await.until("no connection thread is left", () -> server.stats().threads() == 0);
            assertThat(server.stats()).isEqualTo(new ServerStats(3, 0, 1, 2, 0));
        }
    }
}
