package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.LlhttpRequests;
import dev.porter.http.testing.LlhttpRequests.Choice;
import dev.porter.http.testing.LlhttpRequests.Vector;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TestRoutes;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static dev.porter.http.testing.LlhttpRequests.CHOICES;
import static dev.porter.http.testing.LlhttpRequests.ROUTE_ANSWERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every request vector of nodejs/llhttp's strict-mode fixtures ({@code conformance/llhttp-requests.json},
 * MIT, see the README next to it) against the test routes (the paths of {@code porter demo}) over a raw socket,
 * with the rules of {@code scripts/conformance-replay.py}, made stricter where a raw socket allows it:
 * <ul>
 *   <li>{@code reject}: the first answer is 4xx/5xx (or there is none), it is the only one, and the server closes
 *       the connection by itself;</li>
 *   <li>{@code accept}: every message is answered (404, 405 and 501 count as answers: the vectors test framing,
 *       not routes) with nothing else; the client half-closes after sending so the server ends the connection;</li>
 *   <li>{@code accept-first-then-close}: exactly one answer, then the server closes by itself;</li>
 *   <li>{@code incomplete}: while the client waits, no answer but 400/408 and the connection stays open; after
 *       the client's end of stream, still no success, and the server closes;</li>
 *   <li>{@code accept-or-reject}, {@code server-dependent}: Porter's documented choice ({@link LlhttpRequests#CHOICES},
 *       docs/http.md) is asserted exactly;</li>
 *   <li>{@code parser-api-only}: llhttp pause/skip callbacks with no meaning for a server: skipped.</li>
 * </ul>
 * Like replay.py, a {@code Host} field is added to HTTP/1.1 vectors that lack one (Porter requires it). The same
 * vectors are fed to the parsers without sockets, split every way, by {@code RequestVectorsSplitTest}.
 */
class ConformanceTest {

    private static final String PROBE = "GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n";

    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = TestHttp.start(TestRoutes.router());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void vectorFileHoldsEveryCase() {
        List<Vector> all = LlhttpRequests.vectors();
        assertThat(all).hasSize(137);
        // Every case Porter decides for itself has a documented choice, and every choice names a real case.
        List<String> open = all.stream().filter(Vector::open).map(Vector::key).toList();
        assertThat(open).containsExactlyInAnyOrderElementsOf(CHOICES.keySet());
    }

    @TestFactory
    Stream<DynamicTest> replaysEveryLlhttpRequestVector() {
        return LlhttpRequests.vectors().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> replay(v)));
    }

    private static void replay(Vector v) {
        String expect = v.expect();
        boolean finish = v.finish();
        byte[] data = v.input();
        int complete = v.complete();
        if ("parser-api-only".equals(expect)) {
            org.junit.jupiter.api.Assumptions.abort("llhttp parser API behaviour (pause/skip), no meaning for a server");
        }
        try (HttpWire wire = HttpWire.connect(server)) {
            switch (expect) {
                case "reject" -> {
                    WireResponse first = wire.send(data).tryReadResponse();
                    if (first != null) {
                        assertThat(first.status()).as("an error answer: %s", first).isGreaterThanOrEqualTo(400);
                        if (!first.closes()) {
                            // Only a well-framed request that no route takes may leave the connection open.
                            assertThat(first.status()).as("kept open only after a routing answer: %s", first)
                                    .isIn(ROUTE_ANSWERS);
                            wire.shutdownOutput();
                        }
                    }
                    HttpWire.Transcript rest = wire.readToEnd();
                    assertThat(rest.closed()).as("server closes after rejecting").isTrue();
                    assertThat(rest.statuses()).as("nothing after the rejection: %s", rest.text()).isEmpty();
                }
                case "accept" -> {
                    wire.send(data);
                    boolean head = new String(data, StandardCharsets.ISO_8859_1).stripLeading().startsWith("HEAD ");
                    for (int k = 0; k < Math.max(1, complete); k++) {
                        WireResponse r = wire.readResponse(head && k == 0);
                        assertThat(r.status()).as("answer %d: %s", k, r).matches(s -> s < 400 || ROUTE_ANSWERS.contains(s));
                    }
                    // A vector may end inside a further message (llhttp counts only complete ones); the client's end
                    // of stream truncates it, which may only earn a 400.
                    HttpWire.Transcript rest = wire.shutdownOutput().readToEnd();
                    assertThat(rest.statuses()).as(rest.text()).allMatch(s -> s == 400);
                    assertThat(rest.closed()).as("server closes after the client's end of stream").isTrue();
                }
                case "accept-first-then-close" -> {
                    HttpWire.Transcript t = wire.send(data).readToEnd();
                    List<Integer> st = t.statuses();
                    assertThat(st).as(t.text()).hasSize(1);
                    assertThat(st.get(0)).as(t.text()).matches(s -> s < 400 || ROUTE_ANSWERS.contains(s));
                    assertThat(t.closed()).as("server closes by itself").isTrue();
                }
                case "incomplete" -> {
                    if (!finish) {
                        // The server must wait for the rest: a short read sees nothing (or 400/408) and no close.
                        HttpWire.Transcript waiting = wire.send(data).readTimeout(java.time.Duration.ofMillis(300)).readToEnd();
                        assertThat(waiting.statuses()).as(waiting.text()).allMatch(s -> s == 400 || s == 408);
                        if (waiting.statuses().isEmpty()) assertThat(waiting.closed()).as("still waiting").isFalse();
                        wire.readTimeout(HttpWire.TIMEOUT);
                    } else {
                        wire.send(data);
                    }
                    HttpWire.Transcript t = wire.shutdownOutput().readToEnd();
                    assertThat(t.statuses()).as(t.text()).allMatch(s -> s == 400 || s == 408);
                    assertThat(t.closed()).as("server closes on a truncated message").isTrue();
                }
                case "accept-or-reject", "server-dependent" -> {
                    Choice c = CHOICES.get(v.key());
                    assertThat(c).as("documented choice for " + v.key()).isNotNull();
                    switch (c.after()) {
                        case CLOSES -> {
                            HttpWire.Transcript t = wire.send(data).readToEnd();
                            assertThat(t.statuses()).as(c.why() + ": " + t.text()).isEqualTo(c.statuses());
                            assertThat(t.closed()).as(c.why() + ": server closes").isTrue();
                        }
                        case STAYS_OPEN -> {
                            HttpWire.Transcript t = wire.send(data).send(PROBE).readToEnd();
                            List<Integer> expected = new java.util.ArrayList<>(c.statuses());
                            expected.add(200);
                            assertThat(t.statuses()).as(c.why() + ": " + t.text()).isEqualTo(expected);
                        }
                        case WAITS -> {
                            HttpWire.Transcript t = wire.send(data).shutdownOutput().readToEnd();
                            assertThat(t.statuses()).as(c.why() + ": " + t.text()).isEqualTo(c.statuses());
                            assertThat(t.closed()).isTrue();
                        }
                    }
                }
                default -> throw new AssertionError("unknown class " + expect);
            }
        }
    }
}
