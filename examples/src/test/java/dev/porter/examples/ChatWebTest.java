package dev.porter.examples;

import dev.porter.core.Server;
import dev.porter.core.testing.Await;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import dev.porter.http.ClientResponse;
import dev.porter.http.ClientWebSocket;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpClientException;
import dev.porter.http.HttpServer;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One room, two kinds of sockets: WebSocket members (Porter's client standing in for the page) and TCP members in
 * the same {@link ChatRoom}; the page's files and their Content-Security-Policy; a WebSocket member who stops
 * reading is dropped while the others carry on.
 */
class ChatWebTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient client = HttpClient.create();
    private ChatRoom room;
    private Server tcp;
    private HttpServer web;

    private void start(ChatRoom r, dev.porter.http.WebSocketConfig ws) throws IOException {
        room = r;
        tcp = TestServers.start(r);
        web = HttpServer.start(ChatWeb.config().host("127.0.0.1").port(0).websocket(ws).build(), ChatWeb.router(r));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        client.close();
        if (web != null) web.close();
        if (tcp != null) tcp.close();
    }

    private ClientWebSocket page() throws IOException {
        ClientWebSocket ws = client.websocket(URI.create("ws://127.0.0.1:" + web.port() + "/chat"));
        open.add(ws);
        return ws;
    }

    private static String line(ClientWebSocket ws) throws IOException {
        WebSocket.Message m = ws.receive();
        assertThat(m).isInstanceOf(WebSocket.Text.class);
        return ((WebSocket.Text) m).text();
    }

    @Test
    void browserAndTcpMembersShareOneConversation() throws Exception {
        start(new ChatRoom(), ChatWeb.WEBSOCKET);
        ClientWebSocket alice = page();
        assertThat(line(alice)).startsWith("* welcome, you are guest1 (1 here)");
        RawClient carol = RawClient.connect(tcp.address());
        open.add(carol);
        assertThat(carol.readLine()).startsWith("* welcome, you are guest2 (2 here)");
        assertThat(line(alice)).isEqualTo("* guest2 joined");

        alice.sendText("/nick alice");
        assertThat(line(alice)).isEqualTo("* guest1 is now alice");
        assertThat(carol.readLine()).isEqualTo("* guest1 is now alice");

        alice.sendText("hello from the browser");
        assertThat(carol.readLine()).isEqualTo("<alice> hello from the browser");
        carol.sendLine("hello from nc");
        assertThat(line(alice)).isEqualTo("<guest2> hello from nc");

        alice.sendText("/who");
        assertThat(line(alice)).isEqualTo("* here: guest2, alice"); // a rename moves the member to the end
    }

    @Test
    void aMessageWithLineEndsIsSeveralLinesAndCannotForgeTheRoomsNotices() throws Exception {
        start(new ChatRoom(), ChatWeb.WEBSOCKET);
        ClientWebSocket mallory = page();
        line(mallory);
        RawClient bob = RawClient.connect(tcp.address());
        open.add(bob);
        bob.readLine();
        mallory.sendText("hi\r\n* bob left\nbye");
        assertThat(bob.readLine()).isEqualTo("<guest1> hi");
        assertThat(bob.readLine()).isEqualTo("<guest1> * bob left");
        assertThat(bob.readLine()).isEqualTo("<guest1> bye");
    }

    @Test
    void aBinaryMessageEndsTheConversationWith1003() throws Exception {
        start(new ChatRoom(), ChatWeb.WEBSOCKET);
        ClientWebSocket ws = page();
        line(ws);
        ws.sendBinary(new byte[]{1, 2, 3});
        assertThat(ws.receive()).isNull();
        assertThat(ws.closeCode()).isEqualTo(1003);
        Await.until("the room forgot guest1", () -> room.nicks().isEmpty());
    }

    @Test
    void thePageIsServedWithAStrictContentSecurityPolicy() throws Exception {
        start(new ChatRoom(), ChatWeb.WEBSOCKET);
        String base = "http://127.0.0.1:" + web.port();
        for (String[] f : new String[][]{{"/", "text/html"}, {"/chat.js", "text/javascript"}, {"/chat.css", "text/css"}}) {
            try (ClientResponse res = client.get(base + f[0])) {
                assertThat(res.statusCode()).isEqualTo(200);
                assertThat(res.header("Content-Type")).startsWith(f[1]);
                assertThat(res.header("Content-Security-Policy")).isEqualTo(ChatWeb.CONTENT_SECURITY_POLICY)
                        .contains("default-src 'self'", "connect-src 'self'").doesNotContain("unsafe");
                assertThat(res.header("X-Content-Type-Options")).isEqualTo("nosniff");
                String body = res.bodyString();
                if (f[0].equals("/")) {
                    // No inline script or style: the only script is chat.js, the only styles are in chat.css.
                    assertThat(body).contains("<script src=\"chat.js\" defer></script>", "href=\"chat.css\"")
                            .doesNotContain("style=", "<style", "onclick", "onsubmit").containsOnlyOnce("<script");
                }
            }
        }
    }

    @Test
    void aPageFromAnotherOriginCannotJoin() throws Exception {
        start(new ChatRoom(), ChatWeb.WEBSOCKET);
        WebSocketRequest foreign = WebSocketRequest.builder(URI.create("ws://127.0.0.1:" + web.port() + "/chat"))
                .header("Origin", "https://evil.example").build();
        assertThatThrownBy(() -> client.websocket(foreign))
                .isInstanceOfSatisfying(HttpClientException.WebSocketHandshake.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void aWebSocketMemberWhoStopsReadingIsDroppedWhileTheOthersCarryOn() throws Exception {
        start(new ChatRoom(16), ChatWeb.WEBSOCKET.withSendTimeout(Duration.ofMillis(500)).withSizes(1 << 16, 1 << 16));
        RawClient speaker = RawClient.connect(tcp.address());
        open.add(speaker);
        speaker.readLine();
        ClientWebSocket listener = page();
        line(listener);
        assertThat(speaker.readLine()).isEqualTo("* guest2 joined");
        ClientWebSocket deaf = page(); // never reads again
        line(deaf);
        line(listener);
        speaker.readLine();

        // Random letters: permessage-deflate would shrink a repeated one to nothing, and the deaf member's socket
        // buffers would never fill.
        java.util.Random random = new java.util.Random(1);
        boolean dropped = false;
        for (int i = 0; i < 5000 && !dropped; i++) {
            StringBuilder b = new StringBuilder(8000);
            for (int k = 0; k < 8000; k++) b.append((char) ('a' + random.nextInt(26)));
            String big = b.toString();
            speaker.sendLine(i + big);
            String heard = line(listener); // the listener keeps up: one line in flight at a time
            if (heard.equals("* guest3 left (too slow)")) {
                dropped = true;
            } else {
                assertThat(heard).isEqualTo("<guest1> " + i + big);
            }
        }
        assertThat(dropped).as("the deaf member was disconnected").isTrue();
        Await.until("the room forgot guest3", () -> room.nicks().equals(List.of("guest1", "guest2")));
        speaker.sendLine("carry on");
        String next = line(listener);
        if (!next.equals("<guest1> carry on")) next = line(listener);
        assertThat(next).isEqualTo("<guest1> carry on");
    }
}
