package dev.porter.core.testing;

import dev.porter.core.Protocol;
import dev.porter.core.Server;
import dev.porter.core.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Starts {@link Server}s for tests: always on 127.0.0.1 (or another loopback address) and port 0, so tests never
 * collide on a port and never listen beyond the machine.
 *
 * <pre>{@code
 * try (Server server = TestServers.start(new EchoProtocol());
 *      RawClient client = RawClient.connect(server)) {
 *     client.sendLine("hi");
 *     assertThat(client.readLine()).isEqualTo("hi");
 * }
 * }</pre>
 *
 * Close the server in the test (try-with-resources or {@code @AfterEach}); {@link Leaks#awaitNoPorterThreads()}
 * then checks nothing was left behind.
 */
public final class TestServers {

    /** The bound of every wait in the fixture: generous, since a loaded CI machine is slow, never a goal. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private TestServers() {
    }

    /** @return the default server configuration on 127.0.0.1, port 0 */
    public static ServerConfig loopback() {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0);
    }

    /** Starts {@code protocol} on 127.0.0.1, port 0, with the default limits. */
    public static Server start(Protocol protocol) {
        return start(loopback(), protocol);
    }

    /**
     * Starts {@code protocol} with {@code config}.
     *
     * @throws UncheckedIOException if the server cannot bind (a test set-up failure, not a test result)
     */
    public static Server start(ServerConfig config, Protocol protocol) {
        try {
            return Server.start(config, protocol);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a test server on " + config.host() + ":" + config.port(), e);
        }
    }

    /**
     * Finds a port that nothing listens on right now (bound once, then released). For "connection refused"
     * tests only: another process could take it in between, which would make such a test fail, never pass
     * wrongly.
     */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** @return true if this machine can bind and connect on the IPv6 loopback {@code [::1]} */
    public static boolean hasIpv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("::1", 0));
            try (java.net.Socket c = new java.net.Socket()) {
                c.connect(s.getLocalSocketAddress(), 2000);
            }
            return true;
        } catch (IOException e) {
            return false; // no IPv6 on this machine: callers skip their IPv6 test
        }
    }
}
