package dev.porter.http.websocket;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.websocket.WsWire.Frame;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful stop ends WebSocket conversations waiting idle in {@code receive()} with a Close frame of 1001 "going
 * away" (RFC 6455 §7.4.1), not a bare TCP close, and does not wait for its grace period to do so.
 */
class WebSocketStopTest {

    @Test
    void s7_4_1_aGracefulStopClosesIdleConversationsWith1001() throws Exception {
        Router r = new Router().websocket("/echo", ws -> {
            for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
        });
        HttpServer server = HttpServer.start(HttpConfig.builder().build(), r);
        try (WsWire a = WsWire.open(server.port(), "/echo"); WsWire b = WsWire.open(server.port(), "/echo")) {
            a.sendText("hello");
            assertThat(a.read().text()).isEqualTo("hello"); // both conversations are up and idle now
            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(20)));
            for (WsWire ws : new WsWire[] {a, b}) {
                Frame close = ws.readClose();
                assertThat(close).isNotNull();
                assertThat(close.closeCode()).isEqualTo(1001);
            }
            stopper.join(Duration.ofSeconds(15));
            assertThat(stopper.isAlive()).as("the stop waited for its whole grace period").isFalse();
        } finally {
            server.close();
        }
    }
}
