package dev.porter.http.reliability;

import dev.porter.core.OverflowPolicy;
import dev.porter.core.ServerStats;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection flood: clients beyond {@code maxConnections} are refused cleanly (accepted and closed at once, the
 * {@link OverflowPolicy#CLOSE} policy: they see end-of-stream or a reset, never a hang or a response), the
 * connections already open keep being served, and the server takes new clients again as soon as the flood ends.
 */
class ConnectionFloodTest {

    private static final int MAX = 20;
    private static final int FLOOD = 100;

    @Test
    void refusesConnectionsBeyondTheLimitAndRecoversAtOnce() throws Exception {
        HttpConfig config = HttpConfig.builder()
                .server(HttpConfig.defaults().server().withMaxConnections(MAX, OverflowPolicy.CLOSE)).build();
        try (HttpServer server = HttpServer.start(config, (req, res) -> res.send("ok"))) {
            int port = server.port();
            List<Socket> held = new ArrayList<>();
            List<InputStream> heldIn = new ArrayList<>();
            for (int i = 0; i < MAX; i++) {
                Socket s = RawHttp.connect(port);
                held.add(s);
                heldIn.add(RawHttp.in(s));
                assertThat(request(s, heldIn.get(i))).isEqualTo(200);
            }
            assertThat(server.stats().active()).isEqualTo(MAX);

            // The flood: every extra client is closed by the server without a response.
            for (int i = 0; i < FLOOD; i++) {
                try (Socket s = RawHttp.connect(port)) {
                    assertThat(refused(s)).as("flood connection %s refused", i).isTrue();
                }
            }
            assertThat(RawHttp.await(5_000, () -> server.stats().rejected() == FLOOD)).isTrue();

            // The connections inside the limit are still served.
            for (int i = 0; i < MAX; i++) assertThat(request(held.get(i), heldIn.get(i))).isEqualTo(200);

            // The flood ends (and so do the held connections): room again, at once.
            for (Socket s : held) s.close();
            assertThat(RawHttp.await(5_000, () -> server.stats().active() == 0)).isTrue();
            List<Socket> fresh = new ArrayList<>();
            for (int i = 0; i < MAX; i++) {
                Socket s = RawHttp.connect(port);
                fresh.add(s);
                assertThat(request(s, RawHttp.in(s))).as("fresh connection %s", i).isEqualTo(200);
            }
            ServerStats stats = server.stats();
            assertThat(stats.rejected()).isEqualTo(FLOOD);
            assertThat(stats.accepted()).isEqualTo(2 * MAX + FLOOD);
            for (Socket s : fresh) s.close();
            assertThat(RawHttp.await(5_000, () -> server.stats().active() == 0 && server.stats().threads() == 0)).isTrue();
        }
    }

    private static int request(Socket s, InputStream in) throws IOException {
        s.getOutputStream().write(RawHttp.get("/"));
        RawHttp.Reply reply = RawHttp.read(in);
        assertThat(reply).isNotNull();
        return reply.status();
    }

    /** @return true if the server ended the connection without answering: end of stream or a reset */
    private static boolean refused(Socket s) throws IOException {
        try {
            s.getOutputStream().write(RawHttp.get("/"));
            return s.getInputStream().read() == -1;
        } catch (SocketException e) {
            return true; // reset by the server, or a broken pipe while writing: refused either way
        }
    }
}
