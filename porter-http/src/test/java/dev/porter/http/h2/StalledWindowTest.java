package dev.porter.http.h2;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.StaticFiles;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that never opens its flow-control window (SETTINGS_INITIAL_WINDOW_SIZE 0, no WINDOW_UPDATE) asks for a
 * body: the server sends the response's HEADERS, cannot send DATA, and at its write timeout must end the stream
 * with RST_STREAM (or the connection with GOAWAY) so that the client is not left waiting for the rest of the body
 * for ever (RFC 9113 §5.4.2, §6.9). Checked for each way a handler sends a body: {@code send(byte[])},
 * {@code stream()}, and {@code sendFile} ({@link StaticFiles}). Raw frames, hand-encoded (HPACK static table and
 * literals only), so that the client does exactly this and nothing more.
 */
class StalledWindowTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, GOAWAY = 7;

    @TempDir
    Path dir;

    record Frame(int type, int flags, int stream, byte[] payload) {}

    @ParameterizedTest
    @ValueSource(strings = {"/bytes", "/stream", "/static/blob.bin"})
    void aClientThatNeverOpensItsWindowGetsTheStreamResetAtTheWriteTimeout(String path) throws IOException {
        Files.write(dir.resolve("blob.bin"), InteropServers.randomBytes(100_000, 31));
        Router router = new Router()
                .get("/bytes", (req, res) -> res.send(InteropServers.patternBytes(100_000)))
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.stream()) {
                        out.write(InteropServers.patternBytes(100_000));
                    }
                })
                .mount("/static", StaticFiles.of(dir));
        try (HttpServer server = TestHttp.start(HttpConfig.builder().writeTimeout(Duration.ofSeconds(1)), router);
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write(PREFACE);
            out.write(frame(SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0})); // SETTINGS_INITIAL_WINDOW_SIZE = 0
            out.write(frame(HEADERS, 0x5, 1, request(path))); // END_STREAM | END_HEADERS
            out.flush();
            List<Frame> seen = new ArrayList<>();
            DataInputStream in = new DataInputStream(s.getInputStream());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Frame end = null;
            while (end == null && System.nanoTime() < deadline) {
                Frame f;
                try {
                    f = read(in);
                } catch (SocketTimeoutException quiet) {
                    continue;
                } catch (EOFException closed) {
                    break;
                }
                seen.add(f);
                if (f.type() == SETTINGS && (f.flags() & 1) == 0) out.write(frame(SETTINGS, 1, 0, new byte[0])); // ACK
                if ((f.type() == RST_STREAM && f.stream() == 1) || f.type() == GOAWAY) end = f;
            }
            List<String> summary = seen.stream().map(f -> type(f.type()) + "(stream " + f.stream() + ", " + f.payload().length + " bytes)").toList();
            assertThat(seen).as("frames: " + summary).anyMatch(f -> f.type() == HEADERS && f.stream() == 1);
            assertThat(seen).as("no DATA may pass a window of 0: " + summary).noneMatch(f -> f.type() == DATA && f.payload().length > 0);
            assertThat(end).as("RST_STREAM on stream 1 or GOAWAY within 10 s of a 1 s write timeout; frames seen: " + summary).isNotNull();
        }
    }

    /** GET {@code path}: {@code :method GET}, {@code :scheme http} (static table 2, 6), {@code :path} and {@code :authority} as literals. */
    private static byte[] request(String path) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x82);
        b.write(0x86);
        literal(b, 4, path); // literal without indexing, name :path (static index 4)
        literal(b, 1, "localhost"); // :authority (static index 1)
        return b.toByteArray();
    }

    private static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        if (v.length > 126) throw new IllegalArgumentException("value too long for this encoder");
        b.write(nameIndex); // 0000xxxx: literal without indexing, indexed name (4-bit prefix, index < 15)
        b.write(v.length); // no Huffman, 7-bit length
        b.writeBytes(v);
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    private static Frame read(DataInputStream in) throws IOException {
        byte[] h = new byte[9];
        in.readFully(h);
        int length = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | (h[2] & 0xff);
        int stream = (h[5] & 0x7f) << 24 | (h[6] & 0xff) << 16 | (h[7] & 0xff) << 8 | (h[8] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(h[3] & 0xff, h[4] & 0xff, stream, payload);
    }

    private static String type(int t) {
        return switch (t) {
            case DATA -> "DATA";
            case HEADERS -> "HEADERS";
            case RST_STREAM -> "RST_STREAM";
            case SETTINGS -> "SETTINGS";
            case 6 -> "PING";
            case GOAWAY -> "GOAWAY";
            case 8 -> "WINDOW_UPDATE";
            default -> "type " + t;
        };
    }
}
