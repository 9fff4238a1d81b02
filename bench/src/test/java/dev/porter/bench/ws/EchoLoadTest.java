package dev.porter.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porter.bench.peers.JettyWsPeer;
import dev.porter.bench.peers.NettyWsPeer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** The load client against the real peers (briefly), and against servers that echo wrongly. */
class EchoLoadTest {

    private static EchoLoad.Options options(int port, int inFlight, int size, boolean text, int verifyEvery) {
        return new EchoLoad.Options(new InetSocketAddress("127.0.0.1", port), "/ws", 4, inFlight, size, text,
            200, 800, 2, verifyEvery, 5000, List.of(), ProcessHandle.current().pid());
    }

    private static void assertClean(EchoResult r, int size) {
        assertThat(r.firstErrors()).isEmpty();
        assertThat(r.errors()).isZero();
        assertThat(r.opened()).isEqualTo(4);
        assertThat(r.echoes()).isPositive();
        assertThat(r.bytes()).isEqualTo(r.echoes() * size);
        assertThat(r.latency().count()).isEqualTo(r.echoes());
        assertThat(r.serverCpuTicks()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void echoesCleanlyThroughNetty() throws Exception {
        try (NettyWsPeer.Running netty = NettyWsPeer.start(0)) {
            assertClean(new EchoLoad(options(netty.port(), 1, 64, true, 1)).run(), 64);
            assertClean(new EchoLoad(options(netty.port(), 8, 64, true, 8)).run(), 64);
            assertClean(new EchoLoad(options(netty.port(), 1, 70_000, false, 1)).run(), 70_000);
        }
    }

    @Test
    void echoesCleanlyThroughJetty() throws Exception {
        Server jetty = JettyWsPeer.start(0);
        try {
            int port = ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
            assertClean(new EchoLoad(options(port, 1, 64, true, 1)).run(), 64);
            assertClean(new EchoLoad(options(port, 4, 65_536, false, 1)).run(), 65_536);
        } finally {
            jetty.stop();
        }
    }

    @Test
    void idleConnectionsAreOpenedEchoedAndHeld() throws Exception {
        try (NettyWsPeer.Running netty = NettyWsPeer.start(0);
             IdleLoad idle = IdleLoad.open(new InetSocketAddress("127.0.0.1", netty.port()), "/ws", 50,
                 WsLoad.sources(InetAddress.getByName("127.0.0.1"), "2", 50), 5000)) {
            assertThat(idle.firstErrors()).isEmpty();
            assertThat(idle.opened()).isEqualTo(50);
            assertThat(idle.alive()).isEqualTo(50);
        }
    }

    @Test
    void aShortEchoIsAnErrorNotAFigure() throws Exception {
        try (BadEcho bad = new BadEcho(BadEcho.Mode.SHORT)) {
            EchoResult r = new EchoLoad(options(bad.port(), 1, 64, true, 1)).run();
            assertThat(r.errors()).isEqualTo(4);
            assertThat(r.echoes()).isZero();
            assertThat(r.firstErrors()).anyMatch(e -> e.contains("echo of 63 bytes, sent 64"));
        }
    }

    @Test
    void aChangedByteIsCaughtWhenTheMessageIsChecked() throws Exception {
        try (BadEcho bad = new BadEcho(BadEcho.Mode.FLIP)) {
            EchoResult r = new EchoLoad(options(bad.port(), 1, 64, true, 1)).run();
            assertThat(r.errors()).isEqualTo(4);
            assertThat(r.firstErrors()).anyMatch(e -> e.contains("differs from the message sent at byte 10"));
        }
    }

    @Test
    void aRefusedUpgradeIsAnError() throws Exception {
        try (BadEcho bad = new BadEcho(BadEcho.Mode.NOT_FOUND)) {
            EchoResult r = new EchoLoad(options(bad.port(), 1, 64, true, 1)).run();
            assertThat(r.opened()).isZero();
            assertThat(r.errors()).isEqualTo(4);
            assertThat(r.firstErrors()).anyMatch(e -> e.contains("404"));
        }
    }

    /** A server that upgrades (or not) and echoes wrongly: one byte short, or one byte changed. */
    static final class BadEcho implements AutoCloseable {
        enum Mode { SHORT, FLIP, NOT_FOUND }

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        private final Mode mode;
        private final Thread acceptor;

        BadEcho(Mode mode) throws IOException {
            this.mode = mode;
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> serve(s));
                    }
                } catch (IOException closed) {
                    // done
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) return;
                    head.append((char) b);
                }
                if (mode == Mode.NOT_FOUND) {
                    out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                String key = head.toString().lines().filter(l -> l.startsWith("Sec-WebSocket-Key:"))
                    .map(l -> l.substring(18).trim()).findFirst().orElseThrow();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Frames.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                DataInputStream data = new DataInputStream(in);
                while (true) {
                    int b0 = data.readUnsignedByte();
                    int len = data.readUnsignedByte() & 0x7F; // the test sends 64-byte messages: no extended length
                    byte[] mask = data.readNBytes(4);
                    byte[] payload = data.readNBytes(len);
                    for (int i = 0; i < len; i++) payload[i] ^= mask[i & 3];
                    if (mode == Mode.SHORT) len--;
                    if (mode == Mode.FLIP) payload[10] ^= 1;
                    out.write(new byte[] {(byte) b0, (byte) len});
                    out.write(payload, 0, len);
                }
            } catch (IOException gone) {
                // the client dropped the connection: expected
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join();
        }
    }
}
