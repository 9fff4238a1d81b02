package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.ConnectToLastAddress;
import dev.porter.core.testing.Mailbox;
import dev.porter.core.testing.TestCertificates;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connecting side: {@link Client#connect} and a client {@link Connection} talking to a Porter server. */
class ClientTest {

    private static final Duration CONNECT = Duration.ofSeconds(10);

    private static final Protocol ECHO = c -> {
        for (String line; (line = c.readLine()) != null; ) {
            c.writeLine(line);
            c.flush();
        }
    };

    @Test
    void connectsAndExchangesLines() throws IOException {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            assertThat(c.remoteAddress().getPort()).isEqualTo(server.port());
            assertThat(c.localAddress().getAddress().isLoopbackAddress()).isTrue();
            c.writeLine("hello");
            c.writeLine("wörld");
            c.flush();
            assertThat(c.readLine()).isEqualTo("hello");
            assertThat(c.readLine()).isEqualTo("wörld");
        }
    }

    @Test
    void triesEachAddressOfTheHostUntilOneAccepts(@TempDir Path dir) throws Exception {
        // "localhost" is 127.0.0.1 and ::1 on most systems: a server listening on ::1 only was "refused" because
        // only the first address was tried (curl, Python and Go try the others). A child JVM resolves a name of
        // its own through a hosts file, listens on its last address only, and connects by name.
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 dual.porter.test\n::1 dual.porter.test\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
                ConnectToLastAddress.class.getName(), "dual.porter.test")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("connected to ");
    }

    @Test
    void exchangesFramesBothWays() throws IOException {
        Protocol frameEcho = c -> {
            for (byte[] f; (f = c.readFrame()) != null; ) {
                c.writeFrame(f);
                c.flush();
            }
        };
        try (Server server = TestServers.start(frameEcho);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            byte[] big = new byte[200_000];
            for (int i = 0; i < big.length; i++) big[i] = (byte) i;
            c.writeFrame("small".getBytes(StandardCharsets.UTF_8));
            c.writeFrame(new byte[0]);
            c.writeFrame(big);
            c.flush();
            assertThat(new String(c.readFrame(), StandardCharsets.UTF_8)).isEqualTo("small");
            assertThat(c.readFrame()).isEmpty();
            assertThat(c.readFrame()).isEqualTo(big);
        }
    }

    @Test
    void refusesToWriteAFrameOverTheMaximum() throws IOException {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT,
                     ConnectionConfig.defaults().withMaxFrameSize(10))) {
            assertThatThrownBy(() -> c.writeFrame(new byte[11]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("11 bytes is over the limit of 10");
        }
    }

    @Test
    void halfCloseLetsThePeerFinishAndStillDeliversTheReply() throws IOException {
        Protocol countUntilEnd = c -> {
            int lines = 0;
            while (c.readLine() != null) lines++;
            c.writeLine("got " + lines);
            c.flush();
        };
        try (Server server = TestServers.start(countUntilEnd);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            c.writeLine("a");
            c.writeLine("b");
            c.writeLine("c");
            c.shutdownOutput(); // flushes, then the server reads end-of-stream
            assertThat(c.readLine()).isEqualTo("got 3");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void connectingToAPortNobodyListensOnIsRefused() {
        int port = TestServers.freePort();
        assertThatThrownBy(() -> Client.connect("127.0.0.1", port, CONNECT))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void connectTimesOutWhenTheServerNeverCompletesTheHandshake() throws IOException {
        // A listener that never accepts, with a backlog of 1: once its queue is full, the kernel ignores new
        // handshakes, so a connect can only time out.
        List<Connection> queued = new ArrayList<>();
        try (ServerSocket deaf = new ServerSocket()) {
            deaf.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            SocketTimeoutException timedOut = null;
            for (int i = 0; i < 20 && timedOut == null; i++) {
                try {
                    queued.add(Client.connect("127.0.0.1", deaf.getLocalPort(), Duration.ofMillis(300)));
                } catch (SocketTimeoutException e) {
                    timedOut = e;
                }
            }
            assertThat(timedOut).as("a connect beyond the full backlog times out").isNotNull();
            assertThat(timedOut).hasMessageContaining("timed out after 300 ms");
        } finally {
            queued.forEach(Connection::close);
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        Mailbox<Object> outcome = new Mailbox<>();
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    outcome.put(String.valueOf(c.readLine()));
                } catch (IOException e) {
                    outcome.put(e);
                }
            });
            Await.until("the reader is blocked", () -> reader.getState() == Thread.State.WAITING
                    || reader.getState() == Thread.State.TIMED_WAITING);
            c.close();
            Object result = outcome.take();
            assertThat(result).isInstanceOf(IOException.class);
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void awaitInputReportsInputWithoutConsumingIt() throws IOException {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            assertThat(c.awaitInput(Duration.ofMillis(50))).isFalse(); // nothing sent yet: false, still usable
            c.writeLine("ping");
            c.flush();
            assertThat(c.awaitInput(Duration.ofSeconds(20))).isTrue();
            assertThat(c.hasBufferedInput()).isTrue();
            assertThat(c.readLine()).isEqualTo("ping");
        }
    }

    @Test
    void streamViewsReadAndWriteTheSameConnection() throws IOException {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            c.outputStream().write("via stream\n".getBytes(StandardCharsets.UTF_8));
            c.outputStream().flush();
            byte[] reply = new byte["via stream\r\n".length()];
            int got = 0;
            while (got < reply.length) got += c.inputStream().read(reply, got, reply.length - got);
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("via stream\r\n");
        }
    }

    @Test
    void aClientConnectionIgnoresParking() throws IOException {
        try (Server server = TestServers.start(ECHO);
             Connection c = Client.connect("127.0.0.1", server.port(), CONNECT)) {
            c.parkUntilReadable(); // no server owns it: nothing happens
            assertThat(c.isOpen()).isTrue();
            assertThat(c.isDraining()).isFalse();
        }
    }

    @Test
    void checkReadsTheTrustAndKeyFilesBeforeAnyConnection(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Client.check(ClientTls.defaults().withTrust(new TrustSource.CaFile(dir.resolve("missing.pem")))))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("missing.pem");
        TestCertificates ca = TestCertificates.create(dir.resolve("ca"));
        TestCertificates.Issued other = TestCertificates.create(dir.resolve("other")).client("other");
        assertThatThrownBy(() -> Client.check(ClientTls.defaults().withClientCertificate(
                new KeySource.Pem(ca.client("me").certificateFile(), other.keyFile()))))
                .as("a key that is not the certificate's").isInstanceOf(TlsSetupException.class);
        Client.check(ClientTls.defaults().withTrust(ca.trust()).withClientCertificate(ca.client("me").pem()));
    }
}
