package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.Processes;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A 5-second wrk run (2 threads, 64 keep-alive connections) against {@link DemoApp} ({@code porter demo}) on
 * loopback: every request answered 2xx, no socket error. wrk's own timeout is raised to 10 s so a loaded build machine cannot turn slow
 * answers into "errors"; what is asserted is correctness under load, not speed.
 */
class WrkTest {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    @Test
    void servesFiveSecondsOfWrkWithoutErrors() {
        assumeTrue(Processes.onPath("wrk"), "wrk is not installed (.ci/run installs it); skipping the load run");
        try (HttpServer server = TestHttp.start(DemoApp.router())) {
            Processes.Result r = Processes.run(Duration.ofSeconds(60), "wrk", "-t2", "-c64", "-d5s", "--timeout", "10s",
                    "http://127.0.0.1:" + server.port() + "/plaintext");
            assertThat(r.exit()).as(r.toString()).isZero();
            Matcher requests = REQUESTS.matcher(r.stdout());
            assertThat(requests.find()).as(r.stdout()).isTrue();
            long total = Long.parseLong(requests.group(1));
            assertThat(total).as(r.stdout()).isPositive();
            Matcher errors = SOCKET_ERRORS.matcher(r.stdout());
            if (errors.find()) {
                // wrk prints this line only when there were errors; then every count must still be zero.
                for (int g = 1; g <= 4; g++) assertThat(errors.group(g)).as(r.stdout()).isEqualTo("0");
            }
            assertThat(r.stdout()).as("wrk reports non-2xx answers only when there are some").doesNotContain("Non-2xx");
            // Connections persist: the only reconnects allowed are those forced by the per-connection request limit.
            long limit = HttpConfig.defaults().maxRequestsPerConnection();
            assertThat(server.stats().accepted()).as("connections opened: " + r.stdout()).isBetween(64L, 64 + total / limit);
        }
    }
}
