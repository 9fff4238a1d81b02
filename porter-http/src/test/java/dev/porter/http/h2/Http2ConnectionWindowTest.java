package dev.porter.http.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;
import org.junit.jupiter.api.Test;

import static dev.porter.http.h2.H2Assert.serves;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection's receive window (RFC 9113 §6.9.1) bounds the request bodies one connection can make the server
 * hold: it opens again only as bodies are consumed — read by a handler, or dropped (the stream reset by either side,
 * a handler that answered without reading, padding, DATA on a stream already closed) — never merely because DATA
 * arrived. So 100 streams whose handlers do not read get the connection window between them, not 100 stream
 * windows; and every way a body can be dropped gives its window back, or a well-behaved client would stall
 * (§6.9: flow control must not deadlock).
 */
class Http2ConnectionWindowTest {

    private static final int MIB = 1 << 20;

    @Test
    void unreadBodiesOnAHundredStreamsGetTheConnectionWindowBetweenThem() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults(), gate);
        try (H2Client c = H2Client.connect(s)) {
            WindowedSender sender = new WindowedSender(c);
            int[] ids = new int[100];
            for (int i = 0; i < ids.length; i++) ids[i] = c.request("POST", "/gate", false);
            gate.awaitEntered(ids.length); // none of them reads its body
            long sent = sender.fill(ids, 65_535);
            assertThat(sent).as("body bytes the server let the client send").isEqualTo(MIB);
            assertThat(sender.connectionIncrements()).as("the connection window opened past its start")
                    .isEqualTo(MIB - 65_535);
            // The handlers answer without reading: their bodies are dropped and the window opens again.
            gate.open();
            for (int id : ids) assertThat(c.await(id).status()).isEqualTo(200);
            int id = c.request("POST", "/count", false);
            sender.upload(id, 3L * MIB);
            assertThat(c.await(id).text()).isEqualTo(Long.toString(3L * MIB));
            sender.assertConnectionWindowAtMost(MIB);
        } finally {
            gate.open();
            s.close();
        }
    }

    @Test
    void aBodyLeftUnreadByAStreamTheClientResetsIsGivenBack() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(65_535, 65_535), gate);
        try (H2Client c = H2Client.connect(s)) {
            WindowedSender sender = new WindowedSender(c);
            int stuck = c.request("POST", "/gate", false);
            gate.awaitEntered(1);
            assertThat(sender.sendNow(stuck, 65_535, false)).isEqualTo(65_535);
            c.roundTrip();
            assertThat(sender.connectionWindow()).as("the connection window, used up").isZero();
            // The handler is still inside and never reads; the client gives up on the stream.
            c.rst(stuck, Http2Error.CANCEL);
            int id = c.request("POST", "/count", false);
            sender.upload(id, 200_000);
            assertThat(c.await(id).text()).isEqualTo("200000");
            sender.assertConnectionWindowAtMost(65_535);
        } finally {
            gate.open();
            s.close();
        }
    }

    @Test
    void dataOnAStreamTheServerResetIsCountedAndGivenBack() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(65_535, 65_535), gate);
        try (H2Client c = H2Client.connect(s)) {
            WindowedSender sender = new WindowedSender(c);
            int bad = c.request("POST", "/gate", false, "content-length", "10");
            gate.awaitEntered(1);
            sender.sendNow(bad, 11, false); // more than its content-length: malformed (§8.1.1)
            assertThat(c.expectReset(bad)).isEqualTo(Http2Error.PROTOCOL_ERROR);
            // DATA the client sent before it saw the reset: ignored (§5.1), but it counts against the connection
            // window (§6.9), which must open again for it.
            assertThat(sender.sendNow(bad, 65_535, false)).isEqualTo(65_535 - 11);
            int id = c.request("POST", "/count", false);
            sender.upload(id, 200_000);
            assertThat(c.await(id).text()).isEqualTo("200000");
            sender.assertConnectionWindowAtMost(65_535);
        } finally {
            gate.open();
            s.close();
        }
    }

    @Test
    void aHandlerThatAnswersWithoutReadingLeavesTheConnectionUsable() {
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(65_535, 65_535), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            WindowedSender sender = new WindowedSender(c);
            // A whole body, never read.
            int whole = c.request("POST", "/ignore", false);
            sender.upload(whole, 65_535);
            assertThat(c.await(whole).text()).isEqualTo("ignored");
            int id = c.request("POST", "/count", false);
            sender.upload(id, 200_000);
            assertThat(c.await(id).text()).isEqualTo("200000");
            sender.assertConnectionWindowAtMost(65_535);
            // Part of a body, then the answer and RST_STREAM(NO_ERROR) (§8.1): DATA still in flight is dropped.
            int part = c.request("POST", "/ignore", false);
            assertThat(sender.sendNow(part, 65_535, false)).isPositive();
            assertThat(c.await(part).text()).isEqualTo("ignored");
            id = c.request("POST", "/count", false);
            sender.upload(id, 200_000);
            assertThat(c.await(id).text()).isEqualTo("200000");
            sender.assertConnectionWindowAtMost(65_535);
        } finally {
            s.close();
        }
    }

    @Test
    void paddingIsGivenBackOnTheConnectionAtOnce() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(MIB, 65_535), gate);
        try (H2Client c = H2Client.connect(s)) {
            WindowedSender sender = new WindowedSender(c);
            int id = c.request("POST", "/gate", false);
            gate.awaitEntered(1);
            // Frames of 1 content byte and 256 bytes of padding (its length byte and 255): 257 bytes of flow control
            // each. 1,000 of them are four connection windows, of which the unread body is 1,000 bytes.
            byte[] p = new byte[257];
            p[0] = (byte) 255;
            long flow = 0;
            while (flow < 1000 * 257) {
                if (Settings.DEFAULT_WINDOW_SIZE + sender.connectionIncrements() - flow < p.length) {
                    long before = sender.connectionIncrements();
                    c.roundTrip();
                    assertThat(sender.connectionIncrements()).as("the connection window, given back after %s bytes", flow)
                            .isGreaterThan(before);
                    continue;
                }
                c.frame(FrameType.DATA, FrameType.FLAG_PADDED, id, p);
                flow += p.length;
            }
        } finally {
            gate.open();
            s.close();
        }
    }

    @Test
    void manyConcurrentUploadsOnOneConnectionComplete() {
        HttpServer s = H2Server.start(Http2Config.defaults(), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            WindowedSender sender = new WindowedSender(c);
            int[] ids = new int[32];
            long[] left = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = c.request("POST", "/count", false);
                left[i] = MIB / 2 + i;
            }
            long remaining = Long.MAX_VALUE;
            while (remaining > 0) {
                boolean progress = false;
                remaining = 0;
                for (int i = 0; i < ids.length; i++) {
                    int n = left[i] == 0 ? 0 : sender.sendNow(ids[i], left[i], true);
                    left[i] -= n;
                    remaining += left[i];
                    progress |= n > 0;
                }
                if (remaining > 0 && !progress && c.next() == null) throw new AssertionError("connection closed");
            }
            for (int i = 0; i < ids.length; i++) assertThat(c.await(ids[i]).text()).isEqualTo(Long.toString(MIB / 2 + i));
            sender.assertConnectionWindowAtMost(MIB);
            serves(s);
        } finally {
            s.close();
        }
    }
}
