package dev.porter.http.internal.h2;

import dev.porter.core.Protocol;
import dev.porter.core.Server;
import dev.porter.core.testing.Await;
import dev.porter.http.HttpConfig;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.porter.http.internal.h2.H2Bytes.bytes;
import static dev.porter.http.internal.h2.H2Bytes.concat;
import static dev.porter.http.internal.h2.H2Bytes.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an idle HTTP/2 connection keeps once parked (docs/http2.md: "it parks without thread or buffers, keeping
 * its HPACK tables and settings"): no write buffer. A server holding thousands of idle browser connections pays
 * this per connection.
 */
class Http2ParkedMemoryTest {

    @Test
    void aParkedConnectionHoldsNoWriteBuffer() throws Exception {
        HttpConfig config = HttpConfig.builder().host("127.0.0.1").port(0).build();
        List<Http2Connection> made = new CopyOnWriteArrayList<>();
        // h2c with prior knowledge, as HttpProtocol runs it, keeping the connection object where the test sees it.
        Protocol h2c = c -> {
            Http2Connection h = (Http2Connection) c.attachment();
            if (h != null) {
                h.serve(false);
                return;
            }
            h = new Http2Connection(c, config, (req, res) -> res.send("hello"), null);
            c.attach(h);
            made.add(h);
            h.serve(true);
        };
        try (Server server = Server.start(config.server(), h2c);
             Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            // GET / (static table: :method GET, :scheme http, :path /; :authority x as a literal), END_STREAM.
            out.write(concat(FrameParser.PREFACE, frame(FrameType.SETTINGS, 0, 0),
                    frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                            bytes(0x82, 0x86, 0x84, 0x41, 0x01, 'x'))));
            readUntilStreamEnds(new DataInputStream(s.getInputStream()), 1);
            Await.until("the connection parked", () -> server.stats().active() == 1 && server.stats().threads() == 0);

            assertThat(made).hasSize(1);
            assertThat(made.getFirst().writer().heldBytes()).as("bytes of write buffer a parked connection holds")
                    .isZero();
        }
    }

    /** Reads frames until one of {@code stream} carries END_STREAM. */
    private static void readUntilStreamEnds(DataInputStream in, int stream) throws IOException {
        while (true) {
            byte[] head = new byte[9];
            in.readFully(head);
            int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
            int type = head[3] & 0xff;
            int id = (head[5] & 0x7f) << 24 | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff;
            in.readFully(new byte[length]);
            boolean ends = (type == FrameType.DATA || type == FrameType.HEADERS) && (head[4] & FrameType.FLAG_END_STREAM) != 0;
            if (id == stream && ends) return;
        }
    }
}
