package dev.porter.http.h2;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.HttpVersion;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.FrameWriter;
import dev.porter.http.internal.h2.Http2Error;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection whose requests come back to back waits for the client without a timer, watched by the core
 * (docs/http2.md, "Performance"): once its streams end it is nudged with a PING (RFC 9113 §6.7: the client must
 * answer), whose ACK wakes it to park as any idle connection; a client that does not answer keeps it until the
 * keep-alive timeout, which ends it with a GOAWAY as for a parked one (§9.1).
 */
class Http2HotConnectionTest {

    /** More back-to-back requests than make a connection hot. */
    private static final int REQUESTS = 30;

    @Test
    void aHotConnectionParksOnceItsClientAnswersTheNudge() throws Exception {
        try (HttpServer server = H2Server.start();
             HttpClient client = HttpClient.create(ClientConfig.builder()
                     .httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build())) {
            String url = "http://127.0.0.1:" + server.port() + "/hello";
            for (int i = 0; i < REQUESTS; i++) {
                try (ClientResponse res = client.get(url)) {
                    assertThat(res.bodyString()).isEqualTo("hello");
                }
            }
            await("the hot connection parked", () -> server.stats().active() == 1 && server.stats().threads() == 0, server);
            try (ClientResponse res = client.get(url)) {
                assertThat(res.bodyString()).as("resumed on the same connection").isEqualTo("hello");
            }
            assertThat(server.stats().active()).isEqualTo(1);
        }
    }

    @Test
    void s9_1_aHotConnectionWhoseClientIgnoresTheNudgeSaysGoAwayWhenItsKeepAliveEnds() throws Exception {
        try (HttpServer server = H2Server.start(HttpConfig.builder().keepAliveTimeout(Duration.ofSeconds(1)),
                new H2Server.Gate())) {
            try (H2Client c = H2Client.connect(server)) {
                for (int i = 0; i < REQUESTS; i++) assertThat(c.get("/hello").text()).isEqualTo("hello");
                H2Client.Frame goAway = c.expectGoAway(); // and then the close; this client never answers PINGs
                assertThat(goAway.error()).isEqualTo(Http2Error.NO_ERROR);
                assertThat(goAway.lastStreamId()).isEqualTo(2 * REQUESTS - 1);
                assertThat(c.find(f -> f.type() == FrameType.PING && !f.ack())).as("the nudge").isNotNull();
            }
            await("closed", () -> server.stats().active() == 0, server);
        }
    }

    @Test
    void s6_8_aGracefulStopReachesAHotConnectionWithAStreamRunningThroughTheNudge() throws Exception {
        H2Server.Gate gate = new H2Server.Gate();
        HttpServer s = H2Server.start(HttpConfig.builder(), gate);
        try (H2Client c = H2Client.connect(s)) {
            for (int i = 0; i < REQUESTS; i++) assertThat(c.get("/hello").text()).isEqualTo("hello");
            int id = c.request("GET", "/gate", true);
            gate.awaitEntered(1);
            Thread stopper = Thread.ofVirtual().start(() -> s.stop(Duration.ofSeconds(10)));
            // The reader waits untimed while the stream runs: the stop has the client nudged, and its answer wakes it.
            H2Client.Frame nudge = c.expect("the nudge", f -> f.type() == FrameType.PING && !f.ack());
            byte[] ack = new byte[17];
            FrameWriter.ping(ack, 0, nudge.pingData(), true);
            c.send(ack);
            H2Client.Frame g = c.expect("GOAWAY", f -> f.type() == FrameType.GOAWAY);
            assertThat(g.error()).isEqualTo(Http2Error.NO_ERROR);
            assertThat(g.lastStreamId()).isEqualTo(id);
            gate.open();
            H2Client.Exchange x = c.await(id);
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.text()).isEqualTo("released");
            c.expectClosed();
            stopper.join(10_000);
        } finally {
            s.close();
        }
    }

    private static void await(String what, BooleanSupplier condition, HttpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + "; stats: " + server.stats());
            Thread.sleep(20);
        }
    }
}
