package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SO_REUSEPORT lets two servers share one port; stopAccepting() refuses new clients while old ones are served. */
class ReusePortTest {

    static Protocol named(String name) {
        return c -> {
            c.writeLine(name + (c.isDraining() ? " draining" : ""));
            c.flush();
            for (String line; (line = c.readLine()) != null; ) {
                c.writeLine(name + " " + line + (c.isDraining() ? " draining" : ""));
                c.flush();
            }
        };
    }

    @Test
    void twoServersShareOnePortAndBothServe() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "SO_REUSEPORT balancing is Linux's");
        ServerConfig config = TestServers.loopback().withReusePort(true);
        try (Server a = TestServers.start(config, named("a"));
             Server b = TestServers.start(config.withPort(a.port()), named("b"))) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 64 && seen.size() < 2; i++) {
                try (RawClient c = RawClient.connect(a.address())) {
                    seen.add(c.readLine());
                }
            }
            assertThat(seen).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void withoutReusePortTheSecondBindFails() {
        try (Server a = TestServers.start(named("a"))) {
            assertThatThrownBy(() -> Server.start(TestServers.loopback().withPort(a.port()), named("b")))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void stopAcceptingRefusesNewClientsAndKeepsServingOpenOnes() throws Exception {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Protocol midConversation = c -> {
            c.writeLine("hello");
            c.flush();
            Await.latch("the test stopped accepting", stopped);
            c.writeLine("still served" + (c.isDraining() ? ", draining" : ""));
            c.flush();
        };
        try (Server server = TestServers.start(midConversation);
             RawClient open = RawClient.connect(server)) {
            assertThat(open.readLine()).isEqualTo("hello");
            server.stopAccepting();
            assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(ConnectException.class);
            stopped.countDown();
            assertThat(open.readLine()).isEqualTo("still served, draining");
            assertThat(server.stop(Duration.ofSeconds(5))).as("nothing left to force").isZero();
            Await.until("the last connection closed", () -> server.stats().active() == 0);
        }
    }
}
