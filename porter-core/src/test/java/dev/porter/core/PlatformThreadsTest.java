package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.Leaks;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ServerConfig#platformThreads()}: up to that many conversations run on pooled platform threads, the rest on
 * virtual threads; parking and stopping work the same on both.
 */
class PlatformThreadsTest {

    /** Answers "virtual" or "platform" for each line, then parks until the next line. */
    private static final Protocol THREAD_KIND = c -> {
        String line = c.readLine();
        if (line == null) return;
        c.writeLine(Thread.currentThread().isVirtual() ? "virtual" : "platform");
        c.flush();
        c.parkUntilReadable();
    };

    @Test
    void byDefaultEveryConversationRunsOnAVirtualThread() {
        assertThat(ServerConfig.defaults().platformThreads()).isZero();
        try (Server server = TestServers.start(THREAD_KIND);
             RawClient client = RawClient.connect(server)) {
            assertThat(client.sendLine("which?").readLine()).isEqualTo("virtual");
        }
    }

    @Test
    void conversationsBeyondTheBoundRunOnVirtualThreads() {
        CountDownLatch inside = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        Queue<Boolean> virtual = new ConcurrentLinkedQueue<>();
        Protocol hold = c -> {
            String line = c.readLine();
            virtual.add(Thread.currentThread().isVirtual());
            inside.countDown();
            release.await();
            c.writeLine("bye " + line);
            c.flush();
        };
        List<RawClient> clients = new ArrayList<>();
        try (Server server = TestServers.start(TestServers.loopback().withPlatformThreads(2), hold)) {
            for (int i = 0; i < 3; i++) clients.add(RawClient.connect(server).sendLine("c" + i));
            Await.latch("three conversations are in progress together", inside);
            assertThat(virtual).containsExactlyInAnyOrder(false, false, true);
            assertThat(server.stats().threads()).isEqualTo(3);
            release.countDown();
            for (int i = 0; i < 3; i++) assertThat(clients.get(i).readLine()).isEqualTo("bye c" + i);
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    void aParkedConnectionResumesOnAPlatformThreadAndHoldsNoneWhileParked() {
        try (Server server = TestServers.start(TestServers.loopback().withPlatformThreads(4), THREAD_KIND);
             RawClient client = RawClient.connect(server)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.sendLine("round " + i).readLine()).isEqualTo("platform");
                Await.until("the conversation thread is given back", () -> server.stats().threads() == 0);
                assertThat(server.stats().active()).isEqualTo(1);
            }
        }
    }

    @Test
    void stopEndsAConversationBlockedOnAPlatformThreadAndLeavesNoThreadBehind() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        Protocol never = c -> {
            c.readLine();
            inside.countDown();
            new CountDownLatch(1).await(); // only the stop's interrupt ends this
        };
        Server server = TestServers.start(TestServers.loopback().withPlatformThreads(2), never);
        try (RawClient client = RawClient.connect(server)) {
            client.sendLine("hello");
            Await.latch("the conversation is blocked", inside);
            assertThat(Leaks.porterThreads()).anyMatch(t -> t.getName().startsWith("porter-conn-"));
            server.stop(Duration.ofMillis(100));
            assertThat(client.readLine()).isNull();
        }
        Leaks.awaitNoPorterThreads();
    }

    @Test
    void aNegativeBoundIsRefused() {
        assertThatThrownBy(() -> ServerConfig.defaults().withPlatformThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("platformThreads");
    }
}
