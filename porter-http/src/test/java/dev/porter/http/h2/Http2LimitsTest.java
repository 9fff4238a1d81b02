package dev.porter.http.h2;

import dev.porter.http.Http2Config;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.porter.http.h2.H2Assert.serves;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Http2Config}: its defaults, its validation, and the limits not exercised by an attack in
 * {@link Http2HardeningTest} or a rule in {@link Rfc9113FramingTest} (which use non-default values of
 * maxConcurrentStreams, streamWindow, maxFrameSize, resetBudget, controlFrameBudget, budgetWindow and
 * maxContinuationFrames).
 */
class Http2LimitsTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        Http2Config d = Http2Config.defaults();
        assertThat(d.enabled()).isTrue();
        assertThat(d.maxConcurrentStreams()).isEqualTo(100);
        assertThat(d.streamWindow()).isEqualTo(65_535);
        assertThat(d.connectionWindow()).isEqualTo(1 << 20);
        assertThat(d.maxFrameSize()).isEqualTo(16_384);
        assertThat(d.resetBudget()).isEqualTo(200);
        assertThat(d.controlFrameBudget()).isEqualTo(1_000);
        assertThat(d.budgetWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.maxContinuationFrames()).isEqualTo(32);
        assertThat(HttpConfig.defaults().http2()).isEqualTo(d);
        assertThat(Http2Config.disabled().enabled()).isFalse();
    }

    @Test
    void rejectsOutOfRangeValues() {
        Http2Config d = Http2Config.defaults();
        assertThatThrownBy(() -> d.withMaxConcurrentStreams(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withWindows(0, 1 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withWindows(65_535, 65_534)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> H2Server.withMaxFrameSize(d, 16_383)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> H2Server.withMaxFrameSize(d, 1 << 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBudgets(0, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBudgets(1, 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBudgets(1, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> H2Server.withMaxContinuationFrames(d, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void disabledServesHttp11Only() throws Exception {
        HttpServer s = H2Server.start(Http2Config.disabled(), new H2Server.Gate());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", s.port()));
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(FrameParser.PREFACE);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 505");
        } finally {
            s.close();
        }
    }

    @Test
    void keepAliveTimeoutCountsFromTheLastStreamsEnd() throws Exception {
        // The stream is still running when the server starts waiting for the next frame; once it ends, the
        // connection is idle and the keep-alive timeout (300 ms here) closes it, with a GOAWAY (§6.8).
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(HttpConfig.builder().keepAliveTimeout(Duration.ofMillis(300)), gate);
        try (H2Client c = H2Client.connect(s)) {
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            Thread.sleep(500);
            gate.open();
            c.await(id);
            long start = System.nanoTime();
            H2Client.Frame g = c.expectGoAway();
            assertThat(g.error()).isEqualTo(Http2Error.NO_ERROR);
            assertThat(g.lastStreamId()).isEqualTo(id);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            s.close();
        }
    }

    @Test
    void connectionWindowIsOpenedAtOnce() {
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(65_535, 256 * 1024), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            H2Client.Frame w = c.expect("connection WINDOW_UPDATE", f -> f.type() == FrameType.WINDOW_UPDATE && f.stream() == 0);
            assertThat(w.increment()).isEqualTo(256 * 1024 - 65_535);
        } finally {
            s.close();
        }
        // At the protocol's default there is nothing to open.
        s = H2Server.start(Http2Config.defaults().withWindows(65_535, 65_535), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            c.roundTrip();
            assertThat(c.frames()).noneMatch(f -> f.type() == FrameType.WINDOW_UPDATE);
            assertThat(c.serverSettings.initialWindowSize()).isEqualTo(Settings.DEFAULT_WINDOW_SIZE);
        } finally {
            s.close();
        }
    }

    @Test
    void smallConnectionWindowIsReopenedAsTheBodiesAreRead() {
        // 1 MB uploaded through a connection window of 65,535 on four streams at once (the handlers read).
        HttpServer s = H2Server.start(Http2Config.defaults().withWindows(65_535, 65_535), new H2Server.Gate());
        try (H2Client c = H2Client.connect(s)) {
            int[] ids = new int[4];
            for (int i = 0; i < ids.length; i++) ids[i] = c.request("POST", "/echo", false);
            long connection = 65_535;
            long[] streams = {65_535, 65_535, 65_535, 65_535};
            int[] sent = new int[4];
            int total = 250_000;
            while (sent[0] + sent[1] + sent[2] + sent[3] < 4 * total) {
                boolean progress = false;
                for (int i = 0; i < 4; i++) {
                    int n = (int) Math.min(Math.min(connection, streams[i]), Math.min(16_384, total - sent[i]));
                    if (n <= 0) continue;
                    c.data(ids[i], new byte[n], sent[i] + n == total);
                    sent[i] += n;
                    connection -= n;
                    streams[i] -= n;
                    progress = true;
                }
                if (!progress) {
                    H2Client.Frame w = c.expect("WINDOW_UPDATE", f -> f.type() == FrameType.WINDOW_UPDATE);
                    for (int i = 0; i < 4; i++) if (w.stream() == ids[i]) streams[i] += w.increment();
                    if (w.stream() == 0) connection += w.increment();
                }
            }
            for (int id : ids) assertThat(c.await(id).body.size()).isEqualTo(total);
            serves(c);
        } finally {
            s.close();
        }
    }
}
