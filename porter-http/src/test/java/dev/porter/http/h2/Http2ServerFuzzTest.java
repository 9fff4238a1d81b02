package dev.porter.http.h2;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.HpackDecoder;
import dev.porter.http.internal.h2.Http2Exception;
import dev.porter.http.internal.h2.Settings;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes a live HTTP/2 server: each input is sent over a real loopback connection after a valid client preface
 * (the magic and an empty SETTINGS frame), then the client half-closes and reads until the server closes.
 * Whatever the bytes:
 * <ul>
 *   <li>the server answers only with well-formed frames: SETTINGS first, known types, no PUSH_PROMISE (§8.4),
 *       CONTINUATION only inside a field block (§6.10), field blocks that decode (its HPACK encoder stays in step
 *       whatever the input did to SETTINGS_HEADER_TABLE_SIZE) into valid response heads (§8.3.2, §8.2);</li>
 *   <li>it ends the connection within a few seconds: a GOAWAY, stream resets, or simply the close after the
 *       client's end of input; never a hang;</li>
 *   <li>it stays up: a new connection is served normally after each input.</li>
 * </ul>
 * The server's timeouts are short (300 ms) so that an input leaving a response stalled on a shut window ends
 * quickly. The committed seeds (requests, bodies, trailers, resets, floods, settings changes) replay in about a
 * second; {@code scripts/fuzz 10 Http2ServerFuzzTest#arbitraryFramesNeverCrashTheServer} runs a campaign.
 */
class Http2ServerFuzzTest {

    /** Longest the server may take to end a connection after the client's input ended. */
    private static final int CLOSE_WITHIN_MILLIS = 5_000;

    private static HttpServer server;
    private static boolean detectorsLoaded = true;

    @BeforeAll
    static void start() {
        H2Server.Gate gate = new H2Server.Gate();
        gate.open();
        HttpConfig.Builder config = HttpConfig.builder().bodyReadTimeout(Duration.ofMillis(300))
                .writeTimeout(Duration.ofMillis(300)).keepAliveTimeout(Duration.ofSeconds(2)).maxHeaderBytes(4096)
                .http2(Http2Config.defaults().withMaxConcurrentStreams(16));
        server = TestHttp.start(config, H2Server.routes(gate));
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    @FuzzTest(maxDuration = "10m")
    void arbitraryFramesNeverCrashTheServer(byte[] input) throws IOException {
        allowLoopbackConnections();
        byte[] received = exchange(input);
        checkFrames(received);
        try (H2Client c = H2Client.connect(server)) {
            H2Client.Exchange x = c.get("/hello");
            assertThat(x.text()).as("the server after this input").isEqualTo("hello");
        }
    }

    /** Sends the preface and {@code input}, half-closes, and reads until the server closes. */
    private static byte[] exchange(byte[] input) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(CLOSE_WITHIN_MILLIS);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(FrameParser.PREFACE);
            all.writeBytes(H2Client.rawFrame(FrameType.SETTINGS, 0, 0, new byte[0]));
            all.writeBytes(input);
            try {
                out.write(all.toByteArray());
                s.shutdownOutput();
            } catch (SocketException e) {
                // The server already closed (a connection error early in the input): read what it said.
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                fail("the server did not close within " + CLOSE_WITHIN_MILLIS + " ms after the input ended; it sent "
                        + got.size() + " bytes");
            } catch (SocketException e) {
                // A reset after the server closed with our bytes unread: what arrived before it is checked.
            }
            s.setOption(StandardSocketOptions.SO_LINGER, 0);
            return got.toByteArray();
        }
    }

    /** Checks that the server's bytes are a well-formed sequence of frames (the last may be cut by a reset). */
    private static void checkFrames(byte[] b) {
        HpackDecoder decoder = new HpackDecoder(Settings.DEFAULT_HEADER_TABLE_SIZE, Integer.MAX_VALUE);
        int pos = 0;
        int blockStream = 0;
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        boolean first = true;
        while (b.length - pos >= FrameParser.HEADER_LENGTH) {
            int len = (b[pos] & 0xff) << 16 | (b[pos + 1] & 0xff) << 8 | b[pos + 2] & 0xff;
            int type = b[pos + 3] & 0xff;
            int flags = b[pos + 4] & 0xff;
            int stream = H2Client.readInt(b, pos + 5) & 0x7fffffff;
            if (b.length - pos - FrameParser.HEADER_LENGTH < len) break;
            int p = pos + FrameParser.HEADER_LENGTH;
            assertThat(FrameType.isKnown(type)).as("frame type %s", type).isTrue();
            assertThat(type).as("server push (§8.4)").isNotEqualTo(FrameType.PUSH_PROMISE);
            if (first) assertThat(type).as("the server preface starts with SETTINGS (§3.4)").isEqualTo(FrameType.SETTINGS);
            first = false;
            if (blockStream != 0) {
                assertThat(type).as("inside a field block (§6.10)").isEqualTo(FrameType.CONTINUATION);
                assertThat(stream).isEqualTo(blockStream);
            }
            if (type == FrameType.HEADERS || type == FrameType.CONTINUATION) {
                if (type == FrameType.CONTINUATION) assertThat(blockStream).as("CONTINUATION after HEADERS").isNotZero();
                int start = p;
                int end = p + len;
                if (type == FrameType.HEADERS && (flags & FrameType.FLAG_PADDED) != 0) {
                    end -= b[p] & 0xff;
                    start++;
                }
                if (type == FrameType.HEADERS && (flags & FrameType.FLAG_PRIORITY) != 0) start += 5;
                block.write(b, start, end - start);
                blockStream = stream;
                if ((flags & FrameType.FLAG_END_HEADERS) != 0) {
                    byte[] whole = block.toByteArray();
                    java.util.List<String[]> fields = new java.util.ArrayList<>();
                    try {
                        decoder.decode(whole, 0, whole.length, stream, (n, v) -> fields.add(new String[] {n, v}));
                    } catch (Http2Exception e) {
                        fail("the server's field block on stream " + stream + " does not decode: " + e);
                    }
                    H2Client.checkResponseFields(fields);
                    block.reset();
                    blockStream = 0;
                }
            }
            if (type == FrameType.DATA || type == FrameType.HEADERS || type == FrameType.RST_STREAM) {
                assertThat(stream).as("%s on stream 0", FrameType.name(type)).isNotZero();
                assertThat(stream % 2).as("only client streams (odd)").isEqualTo(1);
            }
            if (type == FrameType.SETTINGS || type == FrameType.PING || type == FrameType.GOAWAY) {
                assertThat(stream).as("%s on a stream", FrameType.name(type)).isZero();
            }
            pos = p + len;
        }
    }

    /**
     * Jazzer's SSRF detector flags every connect, and its permission lasts one fuzz test invocation; this test
     * only connects to its own loopback server.
     */
    private static void allowLoopbackConnections() {
        if (!detectorsLoaded) return;
        try {
            BugDetectors.allowNetworkConnections((host, port) -> port == server.port()
                    && (host.equals("127.0.0.1") || host.equals("localhost")));
        } catch (IllegalStateException e) {
            // The detectors are not loaded (regression runs turn Jazzer's hooks off): nothing to allow.
            detectorsLoaded = false;
        }
    }
}
