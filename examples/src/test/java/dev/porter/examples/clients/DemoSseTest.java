package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.Processes;
import dev.porter.http.testing.SseParser;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code GET /sse} of {@link DemoApp} as {@code porter demo} serves it: numbered events at the asked pace, going on
 * from {@code Last-Event-ID}; read by the JDK client and by {@code curl -N} (which is stopped by its
 * {@code --max-time}, as a person would press Ctrl-C). The pace is raised to 20 ms to keep the tests short.
 */
class DemoSseTest {

    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() {
        server = TestHttp.start(DemoApp.router());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void numberedEventsGoingOnFromLastEventId() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Stream<String>> res = client.send(HttpRequest.newBuilder(URI.create(base + "/sse?every=20"))
                    .header("Last-Event-ID", "41").build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(res.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            SseParser parser = new SseParser();
            Iterator<String> lines = res.body().iterator();
            while (parser.events().size() < 3) parser.feed(lines.next() + "\n");
            assertThat(parser.events()).containsExactly(new SseParser.Event("message", "tick 42", "42"),
                    new SseParser.Event("message", "tick 43", "43"), new SseParser.Event("message", "tick 44", "44"));
            res.body().close();
        }
    }

    @Test
    void aPaceOutOfRangeIsRefused() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (String every : List.of("1", "60001", "soon")) {
                assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/sse?every=" + every)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
            }
        }
    }

    @Test
    void curlReadsTheTicksUntilItStops() {
        assumeTrue(Processes.onPath("curl"), "curl is not installed (.ci/run installs it)");
        Processes.Result r = Processes.run(Duration.ofSeconds(30), "curl", "-N", "-sS", "--max-time", "1",
                base + "/sse?every=50");
        assertThat(r.exit()).as("curl stopped by --max-time (28)").isEqualTo(28);
        SseParser parser = new SseParser().feed(r.stdout());
        assertThat(parser.events()).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i < parser.events().size(); i++) {
            assertThat(parser.events().get(i).lastEventId()).isEqualTo(Integer.toString(i + 1));
        }
    }
}
