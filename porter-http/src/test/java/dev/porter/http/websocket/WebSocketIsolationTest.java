package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketHandler;
import dev.porter.http.websocket.WsWire.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad peers harm only their own connection: a client that never reads is dropped after the send timeout (its
 * sender gets an exception) while another client keeps echoing; an oversized frame closes only its connection.
 * Also: keep-alive pings and the idle timeout, and sending from another thread while the handler reads.
 */
class WebSocketIsolationTest {

    private static HttpServer server;
    private static final BlockingQueue<String> floodEnded = new ArrayBlockingQueue<>(4);
    private static final BlockingQueue<Integer> closerEnded = new ArrayBlockingQueue<>(4);
    private static final Set<WebSocket> room = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws IOException {
        Router r = new Router()
                .websocket("/echo", ws -> {
                    for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
                })
                .websocket("/bye", ws -> ws.sendText("bye"))
                .websocket("/closer", closer(closerEnded))
                .websocket("/flood", ws -> {
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        while (true) ws.sendBinary(chunk);
                    } catch (IOException e) {
                        floodEnded.add(e.getMessage() + "|" + ws.closeCode());
                    }
                })
                .websocket("/room", ws -> {
                    // Each member's thread reads; delivery to the others happens on the sender's thread.
                    room.add(ws);
                    try {
                        for (WebSocket.Message m; (m = ws.receive()) != null; ) {
                            for (WebSocket other : room) other.send(m);
                        }
                    } finally {
                        room.remove(ws);
                    }
                });
        WebSocketConfig ws = WebSocketConfig.defaults().withSizes(1 << 20, 1 << 20)
                .withKeepAlive(Duration.ofMillis(1500), Duration.ofMillis(200)).withSendTimeout(Duration.ofSeconds(1))
                .withCloseTimeout(Duration.ofMillis(300));
        server = HttpServer.start(HttpConfig.builder().websocket(ws).build(), r);
    }

    /** On any message another thread closes (4000) while the handler waits in receive(); its close code is told. */
    private static WebSocketHandler closer(BlockingQueue<Integer> ended) {
        return ws -> {
            for (WebSocket.Message m; (m = ws.receive()) != null; ) {
                Thread.ofVirtual().start(() -> {
                    try {
                        ws.close(4000, "from elsewhere");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            ended.add(ws.closeCode());
        };
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Reads frames, answering pings, until a frame of {@code opcode}. */
    private static Frame next(WsWire ws, int opcode) throws IOException {
        for (Frame f; (f = ws.read()) != null; ) {
            if (f.opcode() == opcode) return f;
            if (f.opcode() == 9) ws.send(true, 10, f.payload());
        }
        throw new AssertionError("connection ended before a frame of opcode " + opcode);
    }

    @Test
    void aClientThatNeverReadsIsDroppedAfterTheSendTimeoutWhileAnotherEchoes() throws Exception {
        try (WsWire slow = WsWire.open(server.port(), "/flood"); WsWire fine = WsWire.open(server.port(), "/echo")) {
            int echoed = 0;
            String outcome = null;
            while (outcome == null) {
                fine.sendText("still here " + echoed);
                assertThat(next(fine, 1).text()).isEqualTo("still here " + echoed);
                echoed++;
                outcome = floodEnded.poll(50, TimeUnit.MILLISECONDS);
                assertThat(echoed).as("echoes before the flood ended").isLessThan(1000);
            }
            assertThat(outcome).startsWith("send timed out").endsWith("|1006");
            // The other conversation is untouched afterwards too.
            fine.sendText("after");
            assertThat(next(fine, 1).text()).isEqualTo("after");
            // The dropped client finds its connection ended after what was in flight.
            long read = 0;
            try {
                for (Frame f; (f = slow.read()) != null; ) read += f.payload().length;
            } catch (IOException e) {
                // a cut inside a frame or a reset: the connection is gone either way
            }
            assertThat(read).isGreaterThan(0);
        }
    }

    @Test
    void aPeerThatNeverAnswersOurCloseIsCutAfterTheCloseTimeout() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/bye")) {
            assertThat(ws.read().text()).isEqualTo("bye");
            assertThat(ws.read().closeCode()).isEqualTo(1000);
            // No Close back: the server ends the connection by itself (after 300 ms here).
            assertThat(ws.endsWithoutMore()).isTrue();
        }
    }

    @Test
    void aCloseFromAnotherThreadWhileTheHandlerWaitsEndsTheConversationWhenThePeerAnswers() throws Exception {
        try (WsWire ws = WsWire.open(server.port(), "/closer")) {
            ws.sendText("close me");
            Frame close = next(ws, 8);
            assertThat(close.closeCode()).isEqualTo(4000);
            ws.sendClose(4000);
            assertThat(ws.endsWithoutMore()).isTrue();
            assertThat(closerEnded.poll(10, TimeUnit.SECONDS)).isEqualTo(4000);
        }
    }

    @Test
    void aCloseFromAnotherThreadThatThePeerNeverAnswersStillEndsTheConnection() throws Exception {
        try (WsWire ws = WsWire.open(server.port(), "/closer")) {
            ws.sendText("close me");
            assertThat(next(ws, 8).closeCode()).isEqualTo(4000);
            // No Close back, no pongs: the server ends the connection by itself (bounded by the idle timeout).
            assertThat(ws.endsWithoutMore()).isTrue();
            assertThat(closerEnded.poll(10, TimeUnit.SECONDS)).isEqualTo(4000);
        }
    }

    @Test
    void aCloseFromAnotherThreadThatThePeerNeverAnswersEndsTheConnectionAfterTheCloseTimeoutNotTheIdleTimeout()
            throws Exception {
        // Idle timeout and ping interval far beyond the client's 10 s read timeout: only the close timeout (300 ms)
        // can end this connection before the read below gives up.
        BlockingQueue<Integer> ended = new ArrayBlockingQueue<>(1);
        Router r = new Router().websocket("/closer", closer(ended));
        WebSocketConfig config = WebSocketConfig.defaults()
                .withKeepAlive(Duration.ofMinutes(10), Duration.ofMinutes(5)).withCloseTimeout(Duration.ofMillis(300));
        HttpServer quiet = HttpServer.start(HttpConfig.builder().websocket(config).build(), r);
        try (WsWire ws = WsWire.open(quiet.port(), "/closer")) {
            ws.sendText("close me");
            assertThat(ws.read().closeCode()).isEqualTo(4000);
            assertThat(ws.endsWithoutMore()).isTrue(); // silent: no Close, no pong, nothing
            assertThat(ended.poll(10, TimeUnit.SECONDS)).isEqualTo(4000);
        } finally {
            quiet.close();
        }
    }

    @Test
    void anOversizedFrameClosesOnlyItsConnection() throws IOException {
        try (WsWire bad = WsWire.open(server.port(), "/echo"); WsWire good = WsWire.open(server.port(), "/echo")) {
            good.sendText("before");
            assertThat(next(good, 1).text()).isEqualTo("before");
            bad.sendRaw(new byte[]{(byte) 0x82, (byte) 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4}); // 2 MiB
            assertThat(next(bad, 8).closeCode()).isEqualTo(1009);
            good.sendText("after");
            assertThat(next(good, 1).text()).isEqualTo("after");
        }
    }

    @Test
    void silenceIsAnsweredWithPingsAndAPeerThatStaysSilentIsClosedWith1001() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/echo")) {
            Frame ping = ws.read();
            assertThat(ping.opcode()).isEqualTo(9);
            Frame f;
            int pings = 1;
            while ((f = ws.read()).opcode() == 9) {
                pings++; // unanswered pings, one per interval (200 ms), until the idle timeout (1.5 s)
            }
            assertThat(pings).as("pings while the silence lasted").isGreaterThan(1);
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(1001);
            assertThat(ws.endsWithoutMore()).isTrue();
        }
    }

    @Test
    void aPeerAnsweringPingsStaysOpenPastTheIdleTimeout() throws IOException {
        try (WsWire ws = WsWire.open(server.port(), "/echo")) {
            // 10 pings at 200 ms are 2 s of silence but for the pongs: more than the 1.5 s idle timeout.
            for (int i = 0; i < 10; i++) {
                Frame ping = ws.read();
                assertThat(ping.opcode()).as("frame %d", i).isEqualTo(9);
                ws.send(true, 10, ping.payload());
            }
            ws.sendText("alive");
            assertThat(next(ws, 1).text()).isEqualTo("alive");
        }
    }

    @Test
    void othersMaySendWhileTheHandlerBlocksInReceive() throws Exception {
        try (WsWire a = WsWire.open(server.port(), "/room"); WsWire b = WsWire.open(server.port(), "/room")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (room.size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            for (int i = 0; i < 50; i++) {
                a.sendText("a" + i);
                b.sendText("b" + i);
            }
            Set<String> seenByA = ConcurrentHashMap.newKeySet();
            Set<String> seenByB = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 100; i++) {
                seenByA.add(next(a, 1).text());
                seenByB.add(next(b, 1).text());
            }
            assertThat(seenByA).hasSize(100).isEqualTo(seenByB);
        } catch (SocketException e) {
            throw new AssertionError("a member's connection broke", e);
        }
    }
}
