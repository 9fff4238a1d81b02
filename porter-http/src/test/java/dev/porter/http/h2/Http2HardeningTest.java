package dev.porter.http.h2;

import dev.porter.core.testing.LogCapture;
import dev.porter.http.AccessLog;
import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.porter.http.h2.H2Assert.connectionError;
import static dev.porter.http.h2.H2Assert.serves;
import static dev.porter.http.h2.H2Client.request;
import static dev.porter.http.internal.h2.FrameType.FLAG_END_HEADERS;
import static dev.porter.http.internal.h2.FrameType.FLAG_END_STREAM;
import static dev.porter.http.internal.h2.FrameType.HEADERS;
import static dev.porter.http.internal.h2.Http2Error.ENHANCE_YOUR_CALM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The known attacks on HTTP/2 servers, each against a live server configured with a small (non-default) limit, so
 * that each test also shows the limit is configurable: the attacking connection is stopped (GOAWAY
 * ENHANCE_YOUR_CALM, or its stream reset), and the server stays up — another connection, or another stream on the
 * same connection where the defence is per stream, is served normally.
 */
class Http2HardeningTest {

    /** The budgets used below: small, so an attack is a few dozen frames. */
    private static final Http2Config SMALL = Http2Config.defaults().withBudgets(20, 50, Duration.ofSeconds(10));

    private static HttpServer start(Http2Config h2, H2Server.Gate gate) {
        return H2Server.start(h2, gate);
    }

    // ---- rapid reset (CVE-2023-44487) and friends ------------------------------------------------------------

    @Test
    void rapidReset_cancelBudgetEndsTheConnection() {
        HttpServer s = start(SMALL, new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            for (int i = 0; i < 30; i++) {
                int id = c.newStream();
                byte[] h = H2Client.rawFrame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, c.block(request("GET", "/hello")));
                byte[] r = new byte[13];
                dev.porter.http.internal.h2.FrameWriter.rstStream(r, 0, id, Http2Error.CANCEL);
                if (!c.trySend(concat(h, r))) break;
            }
            connectionError(c, ENHANCE_YOUR_CALM);
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void rapidReset_resetsWithinTheBudgetAreFine() {
        HttpServer s = start(SMALL, new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            for (int i = 0; i < 15; i++) {
                int id = c.request("GET", "/hello", true);
                c.rst(id, Http2Error.CANCEL);
            }
            c.roundTrip();
            serves(c);
        } finally {
            s.close();
        }
    }

    @Test
    void rapidReset_cancelledHandlersStillHoldTheirSlots() throws Exception {
        // A reset frees nothing until the handler returns: the concurrency limit bounds the work in progress,
        // whatever the rate of resets. The streams refused meanwhile count against the budget.
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = start(SMALL.withMaxConcurrentStreams(5), gate);
        try (H2Client c = H2Client.connect(s)) {
            for (int i = 0; i < 40; i++) {
                int id = c.newStream();
                byte[] h = H2Client.rawFrame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, c.block(request("GET", "/gate")));
                byte[] r = new byte[13];
                dev.porter.http.internal.h2.FrameWriter.rstStream(r, 0, id, Http2Error.CANCEL);
                if (!c.trySend(concat(h, r))) break;
            }
            connectionError(c, ENHANCE_YOUR_CALM);
            assertThat(gate.entered()).as("handlers started").isLessThanOrEqualTo(5);
            gate.open();
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void madeYouReset_serverResetsStillHoldTheSlots() throws Exception {
        // CVE-2025-8671: the client makes the server reset streams (here with WINDOW_UPDATE 0 on each) to bypass a
        // budget that counts only the client's resets. Porter's slots are held until the handler returns.
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = start(SMALL.withMaxConcurrentStreams(5), gate);
        try (H2Client c = H2Client.connect(s)) {
            for (int i = 0; i < 40; i++) {
                int id = c.newStream();
                byte[] h = H2Client.rawFrame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, id, c.block(request("GET", "/gate")));
                byte[] w = H2Client.rawFrame(FrameType.WINDOW_UPDATE, 0, id, new byte[4]);
                if (!c.trySend(concat(h, w))) break;
            }
            connectionError(c, ENHANCE_YOUR_CALM);
            assertThat(gate.entered()).as("handlers started").isLessThanOrEqualTo(5);
            gate.open();
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void manyStreams_concurrencyLimitBoundsTheWork() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = start(Http2Config.defaults().withMaxConcurrentStreams(8), gate);
        try (H2Client c = H2Client.connect(s)) {
            String[] paths = new String[100];
            Arrays.fill(paths, "/gate");
            List<Integer> ids = Arrays.stream(c.getTogether(paths)).boxed().toList();
            gate.awaitEntered(8);
            for (int id : ids.subList(8, ids.size())) {
                assertThat(c.expectReset(id)).as("stream %s", id).isEqualTo(Http2Error.REFUSED_STREAM);
            }
            assertThat(gate.entered()).isEqualTo(8);
            gate.open();
            for (int id : ids.subList(0, 8)) assertThat(c.await(id).text()).isEqualTo("released");
            serves(c);
            serves(s);
        } finally {
            s.close();
        }
    }

    // ---- field blocks: CONTINUATION flood (CVE-2024-27316), HPACK bomb ---------------------------------------

    @Test
    void continuationFlood_framesPerBlockAreLimited() {
        HttpServer s = start(H2Server.withMaxContinuationFrames(Http2Config.defaults(), 5), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 1));
            for (int i = 0; i < 10; i++) {
                if (!c.trySend(H2Client.rawFrame(FrameType.CONTINUATION, 0, id, new byte[] {0x40 | 0}))) break;
            }
            connectionError(c, ENHANCE_YOUR_CALM);
        } finally {
            s.close();
        }
        // Five are fine.
        s = start(H2Server.withMaxContinuationFrames(Http2Config.defaults(), 5), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 1));
            for (int i = 1; i < 5; i++) c.continuation(id, false, new byte[0]);
            c.continuation(id, true, Arrays.copyOfRange(block, 1, block.length));
            assertThat(c.await(id).text()).isEqualTo("hello");
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void continuationFlood_blockSizeIsLimited() {
        // With a header limit of 4 KiB, a block may not grow past 4 KiB plus one frame: big CONTINUATION frames
        // are cut off long before the frame count limit (32 by default).
        HttpServer s = H2Server.start(HttpConfig.builder().maxHeaderBytes(4096), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            assertThat(c.serverSettings.maxHeaderListSize()).isEqualTo(4096);
            int id = c.newStream();
            c.headersFrame(id, FLAG_END_STREAM, c.block(request("GET", "/hello")));
            int sent = 0;
            while (sent < 20 && c.trySend(H2Client.rawFrame(FrameType.CONTINUATION, 0, id, new byte[16_384]))) sent++;
            connectionError(c, ENHANCE_YOUR_CALM);
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void continuationFlood_defaultLimitOf32Frames() {
        HttpServer s = H2Server.start();
        try (H2Client c = H2Client.connect(s)) {
            int id = c.newStream();
            byte[] block = c.block(request("GET", "/hello"));
            c.headersFrame(id, FLAG_END_STREAM, Arrays.copyOf(block, 1));
            for (int i = 0; i < 40; i++) {
                if (!c.trySend(H2Client.rawFrame(FrameType.CONTINUATION, 0, id, new byte[] {0x40 | 0}))) break;
            }
            connectionError(c, ENHANCE_YOUR_CALM);
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void hpackBomb_headerListOverTheLimitIs431() {
        HttpServer s = H2Server.start(HttpConfig.builder().maxHeaderBytes(2048), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            // One 3,000-byte entry in the dynamic table, referenced 200 times in a block of about 3 KiB: 600 KB of
            // fields once decoded.
            String big = "b".repeat(3000);
            String[] fields = request("GET", "/hello");
            List<String> all = new ArrayList<>(Arrays.asList(fields));
            for (int i = 0; i < 200; i++) {
                all.add("x-bomb");
                all.add(big);
            }
            byte[] block = c.block(all.toArray(String[]::new));
            assertThat(block.length).isLessThan(4000);
            int id = c.newStream();
            c.headersFrame(id, FLAG_END_HEADERS | FLAG_END_STREAM, block);
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(431);
            // The HPACK context is intact: the entry is still referenced correctly by later blocks.
            int again = c.request("GET", "/headers", true, "x-bomb", big);
            H2Client.Exchange y = c.await(again);
            assertThat(y.status()).isEqualTo(431);
            serves(c);
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void hpackBomb_refusedStreamsStillCountAgainstTheConcurrencyLimit() {
        // Streams answered 431 still hold a slot until their answer is out; a client that never opens its window
        // must not get more of them at once than the limit.
        HttpServer s = start(Http2Config.defaults().withMaxConcurrentStreams(2), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s, Settings.INITIAL_WINDOW_SIZE, 0)) {
            c.autoWindow = false;
            String big = "b".repeat(3000);
            List<String> all = new ArrayList<>(Arrays.asList(request("GET", "/hello")));
            for (int i = 0; i < 20; i++) {
                all.add("x-bomb");
                all.add(big);
            }
            int[] ids = new int[5];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = c.newStream();
                c.headersFrame(ids[i], FLAG_END_HEADERS | FLAG_END_STREAM, c.block(all.toArray(String[]::new)));
            }
            for (int i = 2; i < ids.length; i++) assertThat(c.expectReset(ids[i])).isEqualTo(Http2Error.REFUSED_STREAM);
            assertThat(c.expect(HEADERS, ids[0]).field(":status")).isEqualTo("431");
            assertThat(c.expect(HEADERS, ids[1]).field(":status")).isEqualTo("431");
            c.roundTrip();
            assertThat(c.frames()).filteredOn(f -> f.type() == HEADERS).hasSize(2);
        } finally {
            s.close();
        }
    }

    // ---- control frame floods --------------------------------------------------------------------------------

    @Test
    void settingsFlood() {
        flood(H2Client.rawFrame(FrameType.SETTINGS, 0, 0, new byte[0]));
    }

    @Test
    void pingFlood() {
        flood(H2Client.pingFrame(42));
    }

    @Test
    void priorityFlood() {
        flood(H2Client.rawFrame(FrameType.PRIORITY, 0, 3, new byte[] {0, 0, 0, 0, 16}));
    }

    @Test
    void unknownFrameFlood() {
        flood(H2Client.rawFrame(0x33, 0, 0, new byte[8]));
    }

    @Test
    void emptyDataFlood() {
        HttpServer s = start(SMALL, new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("POST", "/echo", false);
            byte[] empty = H2Client.rawFrame(FrameType.DATA, 0, id, new byte[0]);
            for (int i = 0; i < 60; i++) {
                if (!c.trySend(empty)) break;
            }
            connectionError(c, ENHANCE_YOUR_CALM);
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void emptyContinuationFlood() {
        // The CONTINUATION frame limit is high here: the control-frame budget stops empty ones first.
        HttpServer s = start(H2Server.withMaxContinuationFrames(SMALL, 1000), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            int id = c.newStream();
            c.headersFrame(id, FLAG_END_STREAM, new byte[0]);
            byte[] empty = H2Client.rawFrame(FrameType.CONTINUATION, 0, id, new byte[0]);
            for (int i = 0; i < 60; i++) {
                if (!c.trySend(empty)) break;
            }
            connectionError(c, ENHANCE_YOUR_CALM);
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void controlFrameBudgetIsPerWindow() throws Exception {
        HttpServer s = start(Http2Config.defaults().withBudgets(20, 30, Duration.ofMillis(300)), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 25; i++) c.ping(i);
                c.roundTrip(); // 26 of 30
                Thread.sleep(400);
            }
            serves(c);
        } finally {
            s.close();
        }
    }

    /** Sends {@code frame} 60 times against a budget of 50: GOAWAY ENHANCE_YOUR_CALM, the server stays up. */
    private static void flood(byte[] frame) {
        HttpServer s = start(SMALL, new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < 60; i++) b.writeBytes(frame);
            c.trySend(b.toByteArray());
            connectionError(c, ENHANCE_YOUR_CALM);
            serves(s);
        } finally {
            s.close();
        }
    }

    // ---- flow control abuse ----------------------------------------------------------------------------------

    @Test
    void zeroWindowStall_streamIsResetAtTheWriteTimeout() {
        HttpServer s = H2Server.start(HttpConfig.builder().writeTimeout(Duration.ofMillis(300)), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s, Settings.INITIAL_WINDOW_SIZE, 0)) {
            c.autoWindow = false;
            int stalled = c.request("GET", "/size/100", true);
            c.expect(HEADERS, stalled);
            long start = System.nanoTime();
            Http2Error e = c.expectReset(stalled);
            assertThat(e).isIn(Http2Error.INTERNAL_ERROR, Http2Error.CANCEL);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            // The connection and its other streams are unharmed: a stream whose window is opened is served.
            int other = c.request("GET", "/hello", true);
            c.windowUpdate(other, 100);
            assertThat(c.await(other).text()).isEqualTo("hello");
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void zeroWindowStall_aStalledStreamDoesNotBlockOthers() {
        HttpServer s = H2Server.start(HttpConfig.builder().writeTimeout(Duration.ofSeconds(5)), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s, Settings.INITIAL_WINDOW_SIZE, 0)) {
            c.autoWindow = false;
            int stalled = c.request("GET", "/size/100000", true);
            c.expect(HEADERS, stalled);
            for (int i = 0; i < 5; i++) {
                int other = c.request("GET", "/size/1000", true);
                c.windowUpdate(other, 1000);
                assertThat(c.await(other).body.size()).isEqualTo(1000);
            }
            assertThat(c.exchange(stalled).done()).isFalse();
        } finally {
            s.close();
        }
    }

    @Test
    void zeroWindowStall_connectionWindowNeverOpened() {
        HttpServer s = H2Server.start(HttpConfig.builder().writeTimeout(Duration.ofMillis(300)), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s, Settings.INITIAL_WINDOW_SIZE, 1 << 20)) {
            c.autoWindow = false;
            int stalled = c.request("GET", "/size/100000", true);
            assertThat(c.expectReset(stalled)).isIn(Http2Error.INTERNAL_ERROR, Http2Error.CANCEL);
            assertThat(c.exchange(stalled).body.size()).isEqualTo(65_535);
            c.roundTrip();
            serves(s);
        } finally {
            s.close();
        }
    }

    @Test
    void tinyWindowFlood() {
        // A window of 1 byte, opened one byte at a time: the server answers in 1-byte frames (it never sends more
        // than the window, and queues nothing: the handler waits), serves everyone else meanwhile, and a flood of
        // tiny updates with nothing to send costs it no more than reading them. When the client stops opening
        // the window, the write timeout resets the stream.
        HttpServer s = H2Server.start(HttpConfig.builder().writeTimeout(Duration.ofMillis(500)), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s, Settings.INITIAL_WINDOW_SIZE, 1)) {
            c.autoWindow = false;
            int id = c.request("GET", "/size/100000", true);
            c.expect(HEADERS, id);
            for (int i = 0; i < 300; i++) {
                H2Client.Frame d = c.expect(FrameType.DATA, id);
                assertThat(d.payload()).hasSize(1);
                c.windowUpdate(id, 1);
            }
            serves(s);
            ByteArrayOutputStream updates = new ByteArrayOutputStream();
            for (int i = 0; i < 10_000; i++) updates.writeBytes(c.windowUpdateFrame(0, 1));
            c.send(updates.toByteArray());
            c.roundTrip();
            assertThat(c.expectReset(id)).isEqualTo(Http2Error.INTERNAL_ERROR);
            assertThat(c.exchange(id).body.size()).isEqualTo(301);
            int other = c.request("GET", "/hello", true);
            c.windowUpdate(other, 4);
            assertThat(c.await(other).text()).isEqualTo("hello");
        } finally {
            s.close();
        }
    }

    @Test
    void slowReader_serverBuffersAtMostTheWindow() {
        // The response is 10 MB; the client reads nothing. The handler blocks in its write, the connection holds
        // no more than the window in flight: the server stays responsive.
        HttpServer s = H2Server.start();
        try (H2Client c = H2Client.connect(s)) {
            c.autoWindow = false;
            int id = c.request("GET", "/size/10000000", true);
            c.expect(HEADERS, id);
            c.framesWithin(Duration.ofMillis(300));
            assertThat(c.exchange(id).body.size()).isEqualTo(65_535);
            serves(s);
        } finally {
            s.close();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    /**
     * A client that resets its connection while a stream's answer is written (an abandoned download): the usual
     * end of a transfer, not a handler failure, so nothing is logged as one.
     */
    @Test
    void aClientResettingTheConnectionDuringAnAnswerIsNotAHandlerFailure() throws Exception {
        java.util.concurrent.BlockingQueue<AccessLog.Entry> ended = new java.util.concurrent.LinkedBlockingQueue<>();
        HttpServer s = H2Server.start(HttpConfig.builder().accessLog(ended::add), new H2Server.Gate());
        try (s; LogCapture log = LogCapture.of("dev.porter.http.HttpServer")) {
            try (H2Client c = H2Client.connect(s, Settings.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE)) {
                c.windowUpdate(0, Integer.MAX_VALUE - 65_535);
                c.request("GET", "/stream/2000000000", true);
                for (int i = 0; i < 20; i++) c.next(); // the answer flows
            } // closed with SO_LINGER 0: a reset
            AccessLog.Entry e = ended.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).as("the stream ended").isNotNull();
            assertThat(log.failures()).as("a client going away is not a handler failure").isEmpty();
        }
    }
}
