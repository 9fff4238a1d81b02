package dev.porter.http.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static dev.porter.http.h2.H2Assert.connectionError;
import static dev.porter.http.h2.H2Assert.serves;
import static dev.porter.http.h2.H2Assert.streamError;
import static dev.porter.http.h2.H2Client.bytes;
import static dev.porter.http.h2.H2Client.request;
import static dev.porter.http.internal.h2.FrameType.DATA;
import static dev.porter.http.internal.h2.FrameType.FLAG_ACK;
import static dev.porter.http.internal.h2.FrameType.FLAG_END_HEADERS;
import static dev.porter.http.internal.h2.FrameType.FLAG_END_STREAM;
import static dev.porter.http.internal.h2.FrameType.FLAG_PADDED;
import static dev.porter.http.internal.h2.FrameType.FLAG_PRIORITY;
import static dev.porter.http.internal.h2.FrameType.GOAWAY;
import static dev.porter.http.internal.h2.FrameType.HEADERS;
import static dev.porter.http.internal.h2.FrameType.PING;
import static dev.porter.http.internal.h2.FrameType.PRIORITY;
import static dev.porter.http.internal.h2.FrameType.PUSH_PROMISE;
import static dev.porter.http.internal.h2.FrameType.RST_STREAM;
import static dev.porter.http.internal.h2.FrameType.SETTINGS;
import static dev.porter.http.internal.h2.FrameType.WINDOW_UPDATE;
import static dev.porter.http.internal.h2.Http2Error.COMPRESSION_ERROR;
import static dev.porter.http.internal.h2.Http2Error.FLOW_CONTROL_ERROR;
import static dev.porter.http.internal.h2.Http2Error.FRAME_SIZE_ERROR;
import static dev.porter.http.internal.h2.Http2Error.PROTOCOL_ERROR;
import static dev.porter.http.internal.h2.Http2Error.STREAM_CLOSED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9113 §3–§6 over a real loopback connection: the preface, frames, stream states and identifiers, flow
 * control, error handling and every frame type's rules, one test per requirement a server can be tested on, each
 * named after its section. The requests themselves (§8) are in {@link Rfc9113HttpTest}.
 */
class Rfc9113FramingTest {

    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = H2Server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static H2Client connect(int... settings) {
        return H2Client.connect(server, settings);
    }

    // ---- §3 starting HTTP/2 ----------------------------------------------------------------------------------

    @Test
    void s3_3_priorKnowledgeAndHttp11ShareThePort() throws Exception {
        serves(server);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("hello");
        }
    }

    @Test
    void s3_4_serverPrefaceIsSettingsFirst() {
        try (H2Client c = H2Client.open(server)) {
            c.send(FrameParser.PREFACE).settings();
            H2Client.Frame first = c.next();
            assertThat(first.type()).isEqualTo(SETTINGS);
            assertThat(first.ack()).isFalse();
            // What Porter announces: its stream limit, no push (§8.4), its header list limit.
            assertThat(c.serverSettings.maxConcurrentStreams()).isEqualTo(100);
            assertThat(c.serverSettings.enablePush()).isFalse();
            assertThat(c.serverSettings.maxHeaderListSize()).isEqualTo(HttpConfig.defaults().maxHeaderBytes());
        }
    }

    @Test
    void s3_4_invalidPrefaceIsConnectionError() throws Exception {
        // On the cleartext port a wrong preface is answered either as HTTP/1.1 (505: it is not a request this
        // server speaks) or, once HTTP/2 was recognized from its first line, with GOAWAY PROTOCOL_ERROR.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 505")) {
                assertThat(answer[3]).as("a SETTINGS then GOAWAY, or a 505: %s", text).isEqualTo((byte) SETTINGS);
                assertThat(text).contains("preface");
            }
        }
        try (H2Client c = H2Client.open(server)) {
            // The whole 24-byte preface, then the magic broken in a frame position: an HTTP/2 connection error.
            c.send(FrameParser.PREFACE).send("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            connectionError(c, PROTOCOL_ERROR);
        }
        serves(server);
    }

    @Test
    void s3_4_prefaceMustBeFollowedBySettings() {
        try (H2Client c = H2Client.open(server)) {
            // §3.4: the preface is the magic AND a SETTINGS frame; a PING first is an invalid preface.
            c.send(FrameParser.PREFACE).ping(1);
            connectionError(c, PROTOCOL_ERROR);
        }
        serves(server);
    }

    @Test
    void s3_4_emptySettingsIsAValidPreface() {
        try (H2Client c = connect()) {
            serves(c);
        }
    }

    // ---- §4 frames -------------------------------------------------------------------------------------------

    @Test
    void s4_1_undefinedFlagsAreIgnored() {
        try (H2Client c = connect()) {
            // PING with every flag but ACK set: still a PING to answer.
            c.frame(PING, 0xfe, 0, new byte[8]);
            c.expect("PING ACK", f -> f.type() == PING && f.ack());
            int id = c.newStream();
            c.headersFrame(id, FLAG_END_HEADERS | FLAG_END_STREAM | 0x02 | 0x10 | 0x40 | 0x80, c.block(request("GET", "/hello")));
            assertThat(c.await(id).status()).isEqualTo(200);
        }
    }

    @Test
    void s4_1_reservedBitIsIgnored() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] frame = H2Client.rawFrame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, c.block(request("GET", "/hello")));
            frame[5] |= (byte) 0x80; // the R bit of the stream identifier
            c.send(frame);
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.text()).isEqualTo("hello");
        }
    }

    @Test
    void s4_2_frameOverMaxFrameSizeIsFrameSizeError() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false);
            c.data(id, new byte[16_385], true);
            connectionError(c, FRAME_SIZE_ERROR);
        }
        try (H2Client c = connect()) {
            // A field block carrier over the limit can only be a connection error (§4.2).
            int id = c.newStream();
            c.frame(HEADERS, FLAG_END_HEADERS, id, new byte[16_385]);
            connectionError(c, FRAME_SIZE_ERROR);
        }
        serves(server);
    }

    @Test
    void s4_2_maxSizeFramesAreAccepted() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false);
            byte[] body = new byte[16_384];
            Arrays.fill(body, (byte) 'a');
            c.data(id, body, false).data(id, body, true);
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.body.size()).isEqualTo(2 * 16_384);
        }
    }

    @Test
    void s4_2_dataFramesFitThePeersMaxFrameSize() {
        // H2Client fails on any frame over the size it announced; here, the default and a larger one.
        try (H2Client c = connect()) {
            H2Client.Exchange x = c.get("/size/40000");
            assertThat(x.body.size()).isEqualTo(40_000);
            assertThat(x.dataFrames).isGreaterThanOrEqualTo(3);
        }
        try (H2Client c = connect(Settings.MAX_FRAME_SIZE, 32_768, Settings.INITIAL_WINDOW_SIZE, 1 << 20)) {
            c.roundTrip(); // our SETTINGS are applied
            H2Client.Exchange x = c.get("/size/60000");
            assertThat(x.body.size()).isEqualTo(60_000);
            assertThat(x.dataFrames).as("frames of up to 32 KiB").isEqualTo(2);
        }
    }

    @Test
    void s4_2_configuredMaxFrameSizeIsAnnouncedAndAccepted() {
        HttpServer big = H2Server.start(H2Server.withMaxFrameSize(Http2Config.defaults(), 65_536), new H2Server.Gate());
        try (H2Client c = H2Client.connect(big)) {
            assertThat(c.serverSettings.maxFrameSize()).isEqualTo(65_536);
            int id = c.request("POST", "/echo", false);
            c.data(id, new byte[40_000], true);
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.body.size()).isEqualTo(40_000);
            c.data(c.request("POST", "/echo", false), new byte[65_537], true);
            connectionError(c, FRAME_SIZE_ERROR);
        } finally {
            big.close();
        }
    }

    @Test
    void s4_3_undecodableFieldBlockIsCompressionError() {
        try (H2Client c = connect()) {
            // Indexed field 0 (RFC 7541 §6.1): no such entry.
            c.headersFrame(c.newStream(), FLAG_END_HEADERS | FLAG_END_STREAM, bytes(0x80));
            connectionError(c, COMPRESSION_ERROR);
        }
        try (H2Client c = connect()) {
            // An index past both tables.
            c.headersFrame(c.newStream(), FLAG_END_HEADERS | FLAG_END_STREAM, bytes(0xff, 0x7f));
            connectionError(c, COMPRESSION_ERROR);
        }
        serves(server);
    }

    @Test
    void s4_3_tableSizeUpdateOverTheLimitIsCompressionError() {
        try (H2Client c = connect()) {
            // RFC 7541 §6.3: a dynamic table size update to 4097, above our SETTINGS_HEADER_TABLE_SIZE of 4096.
            c.headersFrame(c.newStream(), FLAG_END_HEADERS | FLAG_END_STREAM, bytes(0x3f, 0xe2, 0x1f, 0x82, 0x86, 0x84));
            connectionError(c, COMPRESSION_ERROR);
        }
        try (H2Client c = connect()) {
            // RFC 7541 §4.2: a size update after a field.
            c.headersFrame(c.newStream(), FLAG_END_HEADERS | FLAG_END_STREAM, bytes(0x82, 0x20, 0x86, 0x84));
            connectionError(c, COMPRESSION_ERROR);
        }
    }

    @Test
    void s4_3_fieldBlockMustBeContiguous() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 3));
            c.headers(c.newStream(), true, request("GET", "/hello"));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    // ---- §5.1 stream states ----------------------------------------------------------------------------------

    @Test
    void s5_1_idleStreamDataIsProtocolError() {
        try (H2Client c = connect()) {
            c.data(1, "x", true);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s5_1_idleStreamRstStreamIsProtocolError() {
        try (H2Client c = connect()) {
            c.rst(1, Http2Error.CANCEL);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s5_1_idleStreamWindowUpdateIsProtocolError() {
        try (H2Client c = connect()) {
            c.windowUpdate(1, 100);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s5_1_idleStreamContinuationIsProtocolError() {
        try (H2Client c = connect()) {
            c.continuation(1, true, c.block(request("GET", "/hello")));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s5_1_idleStreamPriorityIsAllowed() {
        try (H2Client c = connect()) {
            c.priority(5, 0, 16);
            c.roundTrip();
            serves(c);
        }
    }

    @Test
    void s5_1_noResetOnAnIdleStream() {
        // A stream error on an idle stream cannot be answered with RST_STREAM (§5.1): a connection error instead.
        try (H2Client c = connect()) {
            c.frame(PRIORITY, 0, 9, new byte[4]);
            connectionError(c, FRAME_SIZE_ERROR);
        }
        try (H2Client c = connect()) {
            c.windowUpdate(3, 0);
            connectionError(c, PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            // Even identifiers are the server's, which never opens one: always idle.
            serves(c);
            c.priority(2, 2, 16);
            connectionError(c, PROTOCOL_ERROR);
        }
        serves(server);
    }

    @Test
    void s5_1_halfClosedRemoteDataIsStreamClosed() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.data(id, "late", false);
            streamError(c, id, STREAM_CLOSED);
            gate.open();
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s5_1_halfClosedRemoteHeadersIsStreamClosed() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.headers(id, true, "x-late", "trailer");
            streamError(c, id, STREAM_CLOSED);
            gate.open();
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s5_1_closedStreamDataIsStreamClosed() {
        try (H2Client c = connect()) {
            int id = c.request("GET", "/hello", true);
            c.await(id);
            c.data(id, "late", true);
            // Half-closed (remote) until the server's exchange is over (a stream error), then closed (either).
            H2Assert.streamOrConnectionError(c, id, STREAM_CLOSED);
        }
    }

    @Test
    void s5_1_closedStreamHeadersIsStreamClosed() {
        try (H2Client c = connect()) {
            int id = c.request("GET", "/hello", true);
            c.await(id);
            c.headers(id, true, request("GET", "/hello"));
            // Half-closed (remote) until the server's exchange is over (a stream error), then closed (either).
            H2Assert.streamOrConnectionError(c, id, STREAM_CLOSED);
        }
    }

    @Test
    void s5_1_framesAfterClientResetAreStreamClosed() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("POST", "/gate", false);
            gate.awaitEntered(1);
            c.rst(id, Http2Error.CANCEL);
            c.data(id, "after the reset", true);
            streamError(c, id, STREAM_CLOSED);
            gate.open();
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s5_1_1_streamIdMustBeOdd() {
        try (H2Client c = connect()) {
            c.headers(2, true, request("GET", "/hello"));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s5_1_1_streamIdMustIncrease() {
        try (H2Client c = connect()) {
            c.headers(5, true, request("GET", "/hello"));
            c.await(5);
            c.headers(3, true, request("GET", "/hello"));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s5_1_1_skippedIdsAreClosed() {
        try (H2Client c = connect()) {
            c.headers(7, true, request("GET", "/hello"));
            assertThat(c.await(7).status()).isEqualTo(200);
            c.headers(9, true, request("GET", "/hello"));
            assertThat(c.await(9).status()).isEqualTo(200);
        }
    }

    @Test
    void s5_1_2_streamsOverTheLimitAreRefused() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults().withMaxConcurrentStreams(2), gate);
        try (H2Client c = H2Client.connect(s)) {
            assertThat(c.serverSettings.maxConcurrentStreams()).isEqualTo(2);
            int a = c.request("GET", "/gate", true);
            int b = c.request("GET", "/gate", true);
            gate.awaitEntered(2);
            int refused = c.request("GET", "/gate", true);
            streamError(c, refused, Http2Error.REFUSED_STREAM);
            assertThat(gate.entered()).as("a refused stream is never processed (§8.7)").isEqualTo(2);
            gate.open();
            assertThat(c.await(a).text()).isEqualTo("released");
            assertThat(c.await(b).text()).isEqualTo("released");
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s5_1_2_aStreamAnsweredInFullNoLongerCountsWhileItsHandlerRuns() throws Exception {
        // §5.1.2 counts open and half-closed streams only: once the request and the response have both ended the
        // stream is closed, and a client (Chromium, with a page of hundreds of assets) opens the next one at once.
        // Counting it until its handler's thread ended refused that one (RST_STREAM REFUSED_STREAM).
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults().withMaxConcurrentStreams(2), gate);
        try (H2Client c = H2Client.connect(s)) {
            int a = c.request("GET", "/answer-then-gate", true);
            int b = c.request("GET", "/answer-then-gate", true);
            assertThat(c.await(a).text()).isEqualTo("answered");
            assertThat(c.await(b).text()).isEqualTo("answered");
            gate.awaitEntered(2); // both handlers still running, their streams closed
            int next = c.request("GET", "/hello", true);
            H2Client.Exchange x = c.await(next);
            assertThat(x.reset).as("reset").isNull();
            assertThat(x.text()).isEqualTo("hello");
            gate.open();
        } finally {
            s.close();
        }
    }

    // ---- §5.2, §6.9 flow control -----------------------------------------------------------------------------

    @Test
    void s5_2_serverRespectsTheStreamWindow() {
        try (H2Client c = connect(Settings.INITIAL_WINDOW_SIZE, 100)) {
            c.autoWindow = false;
            int id = c.request("GET", "/size/1000", true);
            c.expect(HEADERS, id);
            assertThat(c.framesWithin(Duration.ofMillis(300))).isNotNull();
            assertThat(c.exchange(id).body.size()).as("a 100-byte window").isEqualTo(100);
            c.windowUpdate(id, 400);
            c.framesWithin(Duration.ofMillis(300));
            assertThat(c.exchange(id).body.size()).isEqualTo(500);
            c.windowUpdate(id, 500);
            H2Client.Exchange x = c.await(id);
            assertThat(x.body.size()).isEqualTo(1000);
            assertThat(x.text()).matches("x{1000}");
        }
    }

    @Test
    void s5_2_serverRespectsTheConnectionWindow() {
        try (H2Client c = connect(Settings.INITIAL_WINDOW_SIZE, 1 << 20)) {
            c.autoWindow = false;
            int a = c.request("GET", "/size/50000", true);
            int b = c.request("GET", "/size/50000", true);
            c.framesWithin(Duration.ofMillis(400));
            assertThat(c.exchange(a).body.size() + c.exchange(b).body.size()).as("the connection's 65,535 bytes")
                    .isEqualTo(65_535);
            c.windowUpdate(0, 100_000 - 65_535);
            c.await(a);
            c.await(b);
            assertThat(c.exchange(a).body.size() + c.exchange(b).body.size()).isEqualTo(100_000);
        }
    }

    @Test
    void s5_2_streamedResponseFollowsWindowUpdates() {
        try (H2Client c = connect(Settings.INITIAL_WINDOW_SIZE, 1500)) {
            // Every DATA byte is given back at once: many small windows in a row.
            H2Client.Exchange x = c.get("/stream/30000");
            assertThat(x.body.size()).isEqualTo(30_000);
        }
    }

    @Test
    void s6_9_windowUpdateOfZeroOnAStreamIsStreamError() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.windowUpdate(id, 0);
            streamError(c, id, PROTOCOL_ERROR);
            gate.open();
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s6_9_windowUpdateOfZeroOnTheConnectionIsConnectionError() {
        try (H2Client c = connect()) {
            c.windowUpdate(0, 0);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_9_windowUpdateNotFourBytesIsFrameSizeError() {
        try (H2Client c = connect()) {
            c.frame(WINDOW_UPDATE, 0, 0, bytes(0, 0, 1));
            connectionError(c, FRAME_SIZE_ERROR);
        }
    }

    @Test
    void s6_9_1_connectionWindowOverflowIsFlowControlError() {
        try (H2Client c = connect()) {
            c.windowUpdate(0, Integer.MAX_VALUE);
            connectionError(c, FLOW_CONTROL_ERROR);
        }
    }

    @Test
    void s6_9_1_streamWindowOverflowIsFlowControlError() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.windowUpdate(id, Integer.MAX_VALUE);
            streamError(c, id, FLOW_CONTROL_ERROR);
            gate.open();
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s6_9_1_dataBeyondTheStreamWindowIsFlowControlError() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(1000, 1 << 20), gate);
        try (H2Client c = H2Client.connect(s)) {
            assertThat(c.serverSettings.initialWindowSize()).isEqualTo(1000);
            // The handler reads nothing, so the window is not given back.
            int id = c.request("POST", "/gate", false);
            gate.awaitEntered(1);
            c.data(id, new byte[1000], false).data(id, new byte[1], true);
            streamError(c, id, FLOW_CONTROL_ERROR);
            gate.open();
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void s6_9_1_dataBeyondTheConnectionWindowIsFlowControlError() {
        // A frame larger than the whole window overruns it however fast the handler reads: frames of 128 KiB
        // against a connection window of 65,535.
        Http2Config h2 = H2Server.withMaxFrameSize(Http2Config.defaults(), 131_072).withWindows(1 << 20, 65_535);
        HttpServer s = H2Server.start(h2, new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("POST", "/echo", false);
            c.data(id, new byte[65_536], true);
            connectionError(c, FLOW_CONTROL_ERROR);
        } finally {
            s.close();
        }
    }

    @Test
    void s6_9_1_paddingCountsAgainstTheWindow() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(1000, 1 << 20), gate);
        try (H2Client c = H2Client.connect(s)) {
            // The handler reads nothing, so the window is not given back.
            int id = c.request("POST", "/gate", false);
            gate.awaitEntered(1);
            // 1 + 744 + 255 = 1000 bytes of flow control for 744 bytes of content: exactly the window.
            byte[] p = new byte[1000];
            p[0] = (byte) 255;
            c.frame(DATA, FLAG_PADDED, id, p);
            c.data(id, new byte[1], true);
            streamError(c, id, FLOW_CONTROL_ERROR);
            gate.open();
        } finally {
            s.close();
        }
    }

    @Test
    void s6_9_1_serverGivesTheWindowBackAsTheBodyIsRead() {
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(1000, 1 << 20), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("POST", "/echo", false);
            // 10,000 bytes through a 1,000-byte window: only possible if the server sends WINDOW_UPDATEs.
            int sent = 0;
            long window = 1000;
            while (sent < 10_000) {
                while (window == 0) {
                    H2Client.Frame w = c.expect("WINDOW_UPDATE for stream " + id,
                            f -> f.type() == WINDOW_UPDATE && f.stream() == id);
                    window += w.increment();
                }
                int n = (int) Math.min(window, Math.min(300, 10_000 - sent));
                c.data(id, new byte[n], sent + n == 10_000);
                sent += n;
                window -= n;
            }
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.body.size()).isEqualTo(10_000);
        } finally {
            s.close();
        }
    }

    @Test
    void s6_9_2_initialWindowSizeChangeAppliesToOpenStreams() {
        try (H2Client c = connect(Settings.INITIAL_WINDOW_SIZE, 0)) {
            c.autoWindow = false;
            int id = c.request("GET", "/size/1000", true);
            c.expect(HEADERS, id);
            c.framesWithin(Duration.ofMillis(200));
            assertThat(c.exchange(id).body.size()).as("a window of 0").isZero();
            c.settings(Settings.INITIAL_WINDOW_SIZE, 1000);
            assertThat(c.await(id).body.size()).isEqualTo(1000);
        }
    }

    @Test
    void s6_9_2_windowCanGoNegative() {
        try (H2Client c = connect(Settings.INITIAL_WINDOW_SIZE, 500)) {
            c.autoWindow = false;
            int id = c.request("GET", "/size/1000", true);
            c.expect(HEADERS, id);
            c.framesWithin(Duration.ofMillis(200));
            assertThat(c.exchange(id).body.size()).isEqualTo(500);
            c.settings(Settings.INITIAL_WINDOW_SIZE, 100); // the stream's window: 0 - 400 = -400
            c.windowUpdate(id, 400);                      // back to 0: nothing may be sent
            c.framesWithin(Duration.ofMillis(200));
            assertThat(c.exchange(id).body.size()).isEqualTo(500);
            c.windowUpdate(id, 500);
            assertThat(c.await(id).body.size()).isEqualTo(1000);
        }
    }

    @Test
    void s6_9_2_initialWindowSizeOverMaximumIsFlowControlError() {
        try (H2Client c = connect()) {
            c.settings(Settings.INITIAL_WINDOW_SIZE, 0x80000000);
            connectionError(c, FLOW_CONTROL_ERROR);
        }
    }

    @Test
    void s6_9_2_initialWindowChangeOverflowingAStreamIsFlowControlError() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.windowUpdate(id, Integer.MAX_VALUE - 65_535); // the stream's window is now 2^31-1
            c.roundTrip();
            c.settings(Settings.INITIAL_WINDOW_SIZE, 65_536);
            connectionError(c, FLOW_CONTROL_ERROR);
            gate.open();
        } finally {
            s.close();
        }
    }

    // ---- §5.3 priority ---------------------------------------------------------------------------------------

    @Test
    void s5_3_2_priorityIsAcceptedAndIgnored() {
        try (H2Client c = connect()) {
            c.priority(3, 0, 200);
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            byte[] p = new byte[5 + block.length];
            H2Client.writeInt(p, 0, 0x80000003); // exclusive on stream 3 (idle)
            p[4] = 42;
            System.arraycopy(block, 0, p, 5, block.length);
            c.frame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM | FLAG_PRIORITY, id, p);
            c.priority(id, 3, 1);
            assertThat(c.await(id).text()).isEqualTo("hello");
        }
    }

    @Test
    void s5_3_1_streamDependingOnItselfIsProtocolError() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.priority(id, id, 16);
            streamError(c, id, PROTOCOL_ERROR);
            gate.open();
            serves(c);
        } finally {
            s.close();
        }
    }

    // ---- §5.4 error handling ---------------------------------------------------------------------------------

    @Test
    void s5_4_1_connectionErrorSendsGoAwayWithLastStreamThenCloses() {
        try (H2Client c = connect()) {
            int id = c.request("GET", "/hello", true);
            c.await(id);
            c.data(0, "x", false);
            H2Client.Frame g = connectionError(c, PROTOCOL_ERROR);
            assertThat(g.lastStreamId()).as("the last stream processed").isEqualTo(id);
        }
    }

    @Test
    void s5_4_2_streamErrorLeavesOtherStreamsAlone() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int waiting = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            int bad = c.request("GET", "/hello", true, "Connection", "close");
            streamError(c, bad, PROTOCOL_ERROR);
            serves(c);
            gate.open();
            assertThat(c.await(waiting).text()).isEqualTo("released");
        } finally {
            s.close();
        }
    }

    @Test
    void s5_4_2_noResetInAnswerToAReset() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.rst(id, Http2Error.CANCEL);
            c.roundTrip();
            gate.open(); // the handler now answers a stream that no longer exists
            c.framesWithin(Duration.ofMillis(300));
            c.roundTrip();
            assertThat(c.frames()).noneMatch(f -> f.stream() == id);
        } finally {
            s.close();
        }
    }

    // ---- §5.5 extending HTTP/2 -------------------------------------------------------------------------------

    @Test
    void s5_5_unknownFrameTypesAreIgnored() {
        try (H2Client c = connect()) {
            c.frame(0x20, 0xff, 0, new byte[10]);
            int id = c.request("POST", "/echo", false);
            c.frame(0xfa, 0, id, bytes(1, 2, 3));
            c.data(id, "body", true);
            assertThat(c.await(id).text()).isEqualTo("body");
        }
    }

    @Test
    void s5_5_unknownErrorCodesAreAccepted() throws Exception {
        // §7: unknown error codes MUST NOT trigger any special behavior.
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.frame(RST_STREAM, 0, id, bytes(0, 0, 0x12, 0x34));
            c.roundTrip();
            gate.open();
            serves(c);
            c.frame(GOAWAY, 0, 0, bytes(0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff));
            c.expectClosed();
            assertThat(c.frames()).noneMatch(f -> f.type() == GOAWAY);
        } finally {
            s.close();
        }
    }

    @Test
    void s5_5_unknownFrameInsideAFieldBlockIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 3));
            c.frame(0x20, 0, id, new byte[4]);
            c.continuation(id, true, Arrays.copyOfRange(block, 3, block.length));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    // ---- §6.1 DATA -------------------------------------------------------------------------------------------

    @Test
    void s6_1_dataOnStreamZeroIsProtocolError() {
        try (H2Client c = connect()) {
            c.data(0, "x", true);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_1_paddingIsRemoved() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false);
            byte[] p = new byte[1 + 4 + 10];
            p[0] = 10;
            System.arraycopy("body".getBytes(StandardCharsets.US_ASCII), 0, p, 1, 4);
            c.frame(DATA, FLAG_PADDED | FLAG_END_STREAM, id, p);
            assertThat(c.await(id).text()).isEqualTo("body");
        }
    }

    @Test
    void s6_1_paddingNotShorterThanThePayloadIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.request("POST", "/echo", false);
            c.frame(DATA, FLAG_PADDED | FLAG_END_STREAM, id, bytes(4, 0, 0, 0));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    // ---- §6.2 HEADERS ----------------------------------------------------------------------------------------

    @Test
    void s6_2_headersOnStreamZeroIsProtocolError() {
        try (H2Client c = connect()) {
            c.headers(0, true, request("GET", "/hello"));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_2_paddedHeadersAreAccepted() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            byte[] p = new byte[1 + block.length + 20];
            p[0] = 20;
            System.arraycopy(block, 0, p, 1, block.length);
            c.frame(HEADERS, FLAG_PADDED | FLAG_END_HEADERS | FLAG_END_STREAM, id, p);
            assertThat(c.await(id).text()).isEqualTo("hello");
        }
    }

    @Test
    void s6_2_paddingLongerThanTheFragmentIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            c.frame(HEADERS, FLAG_PADDED | FLAG_END_HEADERS | FLAG_END_STREAM, id, bytes(5, 0x82, 0x84));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    // ---- §6.3 PRIORITY ---------------------------------------------------------------------------------------

    @Test
    void s6_3_priorityOnStreamZeroIsProtocolError() {
        try (H2Client c = connect()) {
            c.frame(PRIORITY, 0, 0, new byte[5]);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_3_priorityNotFiveBytesIsFrameSizeError() {
        try (H2Client c = connect()) {
            int id = c.request("GET", "/hello", true);
            c.await(id);
            c.frame(PRIORITY, 0, id, new byte[4]);
            // A stream error (§6.3) on that stream.
            streamError(c, id, FRAME_SIZE_ERROR);
            serves(c);
        }
    }

    // ---- §6.4 RST_STREAM -------------------------------------------------------------------------------------

    @Test
    void s6_4_rstStreamOnStreamZeroIsProtocolError() {
        try (H2Client c = connect()) {
            c.rst(0, Http2Error.CANCEL);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_4_rstStreamNotFourBytesIsFrameSizeError() {
        try (H2Client c = connect()) {
            int id = c.request("GET", "/hello", true);
            c.await(id);
            c.frame(RST_STREAM, 0, id, new byte[3]);
            connectionError(c, FRAME_SIZE_ERROR);
        }
    }

    @Test
    void s6_4_rstStreamCancelsTheHandler() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.rst(id, Http2Error.CANCEL);
            c.roundTrip();
            gate.open();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (gate.failed.get() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(gate.failed.get()).as("the handler's response fails: the stream is gone").isEqualTo(1);
            serves(c);
        } finally {
            s.close();
        }
    }

    // ---- §6.5 SETTINGS ---------------------------------------------------------------------------------------

    @Test
    void s6_5_settingsAckRequired() {
        try (H2Client c = H2Client.open(server)) {
            c.send(FrameParser.PREFACE).settings(Settings.MAX_FRAME_SIZE, 20_000);
            c.expect("SETTINGS ACK", f -> f.type() == SETTINGS && f.ack());
            c.settings(Settings.HEADER_TABLE_SIZE, 1000);
            c.expect("SETTINGS ACK", f -> f.type() == SETTINGS && f.ack());
        }
    }

    @Test
    void s6_5_settingsAckWithPayloadIsFrameSizeError() {
        try (H2Client c = connect()) {
            c.frame(SETTINGS, FLAG_ACK, 0, new byte[6]);
            connectionError(c, FRAME_SIZE_ERROR);
        }
    }

    @Test
    void s6_5_settingsOnAStreamIsProtocolError() {
        try (H2Client c = connect()) {
            c.frame(SETTINGS, 0, 1, new byte[0]);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_5_settingsLengthNotAMultipleOfSixIsFrameSizeError() {
        try (H2Client c = connect()) {
            c.frame(SETTINGS, 0, 0, new byte[5]);
            connectionError(c, FRAME_SIZE_ERROR);
        }
    }

    @Test
    void s6_5_2_enablePushOtherThanZeroOrOneIsProtocolError() {
        try (H2Client c = connect()) {
            c.settings(Settings.ENABLE_PUSH, 2);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_5_2_maxFrameSizeOutOfRangeIsProtocolError() {
        try (H2Client c = connect()) {
            c.settings(Settings.MAX_FRAME_SIZE, 16_383);
            connectionError(c, PROTOCOL_ERROR);
        }
        try (H2Client c = connect()) {
            c.settings(Settings.MAX_FRAME_SIZE, 1 << 24);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_5_2_unknownSettingsAreIgnored() {
        try (H2Client c = connect(0x99, 7, 0xffff, 1)) {
            c.expect("SETTINGS ACK", f -> f.type() == SETTINGS && f.ack());
            serves(c);
        }
    }

    @Test
    void s6_5_2_headerTableSizeIsRespected() {
        // Once the server acknowledged, H2Client's decoder allows no larger table and requires the server's
        // encoder to signal the change at the start of its next block (RFC 7541 §4.2).
        try (H2Client c = connect(Settings.HEADER_TABLE_SIZE, 0)) {
            c.roundTrip();
            for (int i = 0; i < 3; i++) serves(c);
        }
        try (H2Client c = connect()) {
            for (int i = 0; i < 3; i++) serves(c); // the server's table fills with its usual fields
            c.settings(Settings.HEADER_TABLE_SIZE, 100);
            c.roundTrip();
            for (int i = 0; i < 3; i++) serves(c);
        }
    }

    @Test
    void s6_5_3_settingsAreProcessedInOrder() {
        try (H2Client c = connect()) {
            c.autoWindow = false;
            // The last value wins: a window of 10.
            c.settings(Settings.INITIAL_WINDOW_SIZE, 0, Settings.INITIAL_WINDOW_SIZE, 10);
            c.expect("SETTINGS ACK", f -> f.type() == SETTINGS && f.ack());
            int id = c.request("GET", "/size/100", true);
            c.expect(HEADERS, id);
            c.framesWithin(Duration.ofMillis(200));
            assertThat(c.exchange(id).body.size()).isEqualTo(10);
        }
    }

    // ---- §6.6 PUSH_PROMISE -----------------------------------------------------------------------------------

    @Test
    void s6_6_pushPromiseFromAClientIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.request("GET", "/hello", true);
            c.await(id);
            byte[] p = new byte[4 + 1];
            H2Client.writeInt(p, 0, 2);
            p[4] = (byte) 0x82;
            c.frame(PUSH_PROMISE, FLAG_END_HEADERS, id, p);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    // ---- §6.7 PING -------------------------------------------------------------------------------------------

    @Test
    void s6_7_pingIsAnsweredWithTheSameData() {
        try (H2Client c = connect()) {
            c.ping(0x0102030405060708L);
            H2Client.Frame ack = c.expect("PING ACK", f -> f.type() == PING);
            assertThat(ack.ack()).isTrue();
            assertThat(ack.stream()).isZero();
            assertThat(ack.pingData()).isEqualTo(0x0102030405060708L);
        }
    }

    @Test
    void s6_7_pingAckIsNotAnswered() {
        try (H2Client c = connect()) {
            c.frame(PING, FLAG_ACK, 0, new byte[8]);
            c.roundTrip();
            assertThat(c.frames()).filteredOn(f -> f.type() == PING).hasSize(1);
        }
    }

    @Test
    void s6_7_pingOnAStreamIsProtocolError() {
        try (H2Client c = connect()) {
            c.frame(PING, 0, 1, new byte[8]);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_7_pingNotEightBytesIsFrameSizeError() {
        try (H2Client c = connect()) {
            c.frame(PING, 0, 0, new byte[7]);
            connectionError(c, FRAME_SIZE_ERROR);
        }
    }

    // ---- §6.8 GOAWAY -----------------------------------------------------------------------------------------

    @Test
    void s6_8_goAwayOnAStreamIsProtocolError() {
        try (H2Client c = connect()) {
            c.frame(GOAWAY, 0, 1, new byte[8]);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_8_gracefulStopDrainsInFlightStreams() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            Thread stopper = Thread.ofVirtual().start(() -> s.stop(Duration.ofSeconds(10)));
            H2Client.Frame g = c.expect("GOAWAY", f -> f.type() == GOAWAY);
            assertThat(g.error()).isEqualTo(Http2Error.NO_ERROR);
            assertThat(g.lastStreamId()).as("streams up to the one in flight were (or may be) processed").isEqualTo(id);
            // A stream the client opens now is past the last stream id: ignored, never processed.
            c.trySend(H2Client.rawFrame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, c.newStream(), c.block(request("GET", "/hello"))));
            gate.open();
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.text()).isEqualTo("released");
            c.expectClosed();
            assertThat(c.frames()).noneMatch(f -> f.stream() > id);
            stopper.join(10_000);
            assertThat(gate.entered()).isEqualTo(1);
        } finally {
            s.close();
        }
    }

    @Test
    void s6_8_gracefulStopWaitsForWindowUpdatesOfInFlightStreams() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s, Settings.INITIAL_WINDOW_SIZE, 100)) {
            int id = c.request("GET", "/size/100000", true);
            c.expect(HEADERS, id);
            Thread stopper = Thread.ofVirtual().start(() -> s.stop(Duration.ofSeconds(10)));
            // The response needs a thousand window updates, all sent after the stop began.
            H2Client.Exchange x = c.await(id);
            assertThat(x.body.size()).isEqualTo(100_000);
            c.expectClosed();
            stopper.join(10_000);
        } finally {
            s.close();
        }
    }

    @Test
    void s6_8_clientGoAwayLetsInFlightStreamsFinish() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            c.goAway(0, Http2Error.NO_ERROR);
            c.roundTrip();
            gate.open();
            assertThat(c.await(id).text()).isEqualTo("released");
            c.expectClosed();
        } finally {
            s.close();
        }
    }

    // ---- §6.10 CONTINUATION ----------------------------------------------------------------------------------

    @Test
    void s6_10_continuationFramesCompleteTheFieldBlock() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/headers", "x-long", "v".repeat(100)));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOfRange(block, 0, 10));
            c.continuation(id, false, Arrays.copyOfRange(block, 10, 20));
            c.continuation(id, false, new byte[0]);
            c.continuation(id, true, Arrays.copyOfRange(block, 20, block.length));
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.text()).contains("x-long: " + "v".repeat(100));
        }
    }

    @Test
    void s6_10_continuationOnAnotherStreamIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 3));
            c.continuation(id + 2, true, Arrays.copyOfRange(block, 3, block.length));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_10_otherFrameInsideAFieldBlockIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 3));
            c.ping(7);
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_10_continuationAfterEndHeadersIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            c.headersFrame(id, FLAG_END_HEADERS, c.block(request("POST", "/echo")));
            c.continuation(id, true, c.block("x-more", "1"));
            connectionError(c, PROTOCOL_ERROR);
        }
    }

    @Test
    void s6_10_continuationOnStreamZeroIsProtocolError() {
        try (H2Client c = connect()) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 3));
            c.continuation(0, true, Arrays.copyOfRange(block, 3, block.length));
            connectionError(c, PROTOCOL_ERROR);
        }
    }
}
