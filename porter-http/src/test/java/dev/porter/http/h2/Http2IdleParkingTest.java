package dev.porter.http.h2;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.Http2Error;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle HTTP/2 connections park like HTTP/1.1 ones: with no stream open and nothing arriving for the idle linger,
 * a connection gives back its thread and buffers, and resumes with its state (HPACK tables, settings, stream ids)
 * when the client sends again. A parked connection whose keep-alive ends says GOAWAY before it closes (RFC 9113
 * §9.1).
 */
class Http2IdleParkingTest {

    private static final int CONNECTIONS = Integer.getInteger("h2park.n", 100);

    @Test
    void idleConnectionsHoldNoThreadAndResumeWithTheirState() throws Exception {
        try (HttpServer server = H2Server.start(HttpConfig.builder(), new H2Server.Gate())) {
            List<H2Client> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    H2Client c = H2Client.connect(server);
                    clients.add(c);
                    assertThat(c.get("/hello").text()).isEqualTo("hello");
                }
                await("every idle HTTP/2 connection parked",
                        () -> server.stats().active() == CONNECTIONS && server.stats().threads() == 0, server);
                for (H2Client c : clients) {
                    // Three more requests on the resumed connection: new stream ids, and header blocks that refer to
                    // the dynamic tables both sides built before the park.
                    for (int r = 0; r < 3; r++) {
                        H2Client.Exchange e = c.get("/hello");
                        assertThat(e.status()).isEqualTo(200);
                        assertThat(e.text()).isEqualTo("hello");
                    }
                }
                await("parked again", () -> server.stats().active() == CONNECTIONS && server.stats().threads() == 0,
                        server);
            } finally {
                for (H2Client c : clients) c.close();
            }
            await("all closed", () -> server.stats().active() == 0, server);
        }
    }

    @Test
    void s9_1_aParkedConnectionSaysGoAwayWhenItsKeepAliveEnds() throws Exception {
        try (HttpServer server = H2Server.start(HttpConfig.builder().keepAliveTimeout(Duration.ofSeconds(1)),
                new H2Server.Gate())) {
            try (H2Client c = H2Client.connect(server)) {
                assertThat(c.get("/hello").text()).isEqualTo("hello");
                H2Client.Frame goAway = c.expectGoAway(); // and then the close
                assertThat(goAway.error()).isEqualTo(Http2Error.NO_ERROR);
                assertThat(goAway.lastStreamId()).isEqualTo(1);
            }
            await("closed", () -> server.stats().active() == 0, server);
        }
    }

    private static void await(String what, BooleanSupplier condition, HttpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": " + server.stats());
            Thread.sleep(20);
        }
    }
}
