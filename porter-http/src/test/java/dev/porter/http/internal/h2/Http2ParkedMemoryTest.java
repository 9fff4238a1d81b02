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
        // GET / (static table: :method GET, :scheme http, :path /; :authority x as a literal), END_STREAM.
        Http2Connection parked = parkAfter(frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM,
                1, bytes(0x82, 0x86, 0x84, 0x41, 0x01, 'x')));
        assertThat(parked.writer().heldBytes()).as("bytes of write buffer a parked connection holds").isZero();
    }

    @Test
    void aParkedConnectionHoldsNoFieldBlockBuffer() throws Exception {
        // The same request, its field block split over HEADERS and CONTINUATION (RFC 9113 §6.10): collected in the
        // reader's block buffer, kept up to 64 KiB for the connection's next such block, but not while parked.
        Http2Connection parked = parkAfter(
                frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1, bytes(0x82, 0x86)),
                frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1, bytes(0x84, 0x41, 0x01, 'x')));
        assertThat(parked.fieldBlockBytes()).as("bytes of field block buffer a parked connection holds").isZero();
    }

    @Test
    void aConnectionParkedInsideAFieldBlockKeepsWhatItCollected() throws Exception {
        // A client may pause between HEADERS and its CONTINUATION; no stream is open yet, so the connection parks
        // there, and the fragment collected so far must survive the park.
        HttpConfig config = HttpConfig.builder().host("127.0.0.1").port(0).build();
        Protocol h2c = c -> {
            Http2Connection h = (Http2Connection) c.attachment();
            if (h == null) {
                h = new Http2Connection(c, config, (req, res) -> res.send(req.path()), null);
                c.attach(h);
                h.serve(true);
            } else {
                h.serve(false);
            }
        };
        try (Server server = Server.start(config.server(), h2c);
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000); // a server that never answers fails the test instead of hanging it
            OutputStream out = s.getOutputStream();
            out.write(concat(FrameParser.PREFACE, frame(FrameType.SETTINGS, 0, 0),
                    frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1, bytes(0x82, 0x86))));
            Await.until("the connection parked inside the block",
                    () -> server.stats().active() == 1 && server.stats().threads() == 0);
            out.write(frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1, bytes(0x84, 0x41, 0x01, 'x')));
            readUntilStreamEnds(new DataInputStream(s.getInputStream()), 1); // answered, not a COMPRESSION_ERROR
        }
    }

    /** Serves the request in {@code frames} on stream 1 over h2c, waits until the connection parks, and returns it. */
    private static Http2Connection parkAfter(byte[]... frames) throws Exception {
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
            s.setSoTimeout(20_000); // a server that never answers fails the test instead of hanging it
            OutputStream out = s.getOutputStream();
            out.write(concat(FrameParser.PREFACE, frame(FrameType.SETTINGS, 0, 0), concat(frames)));
            readUntilStreamEnds(new DataInputStream(s.getInputStream()), 1);
            Await.until("the connection parked", () -> server.stats().active() == 1 && server.stats().threads() == 0);
            assertThat(made).hasSize(1);
            return made.getFirst();
        }
    }

    /** Reads frames until one of {@code stream} carries END_STREAM; fails on a GOAWAY. */
    private static void readUntilStreamEnds(DataInputStream in, int stream) throws IOException {
        while (true) {
            byte[] head = new byte[9];
            in.readFully(head);
            int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
            int type = head[3] & 0xff;
            int id = (head[5] & 0x7f) << 24 | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff;
            in.readFully(new byte[length]);
            if (type == FrameType.GOAWAY) throw new AssertionError("GOAWAY instead of the answer on stream " + stream);
            boolean ends = (type == FrameType.DATA || type == FrameType.HEADERS) && (head[4] & FrameType.FLAG_END_STREAM) != 0;
            if (id == stream && ends) return;
        }
    }
}
