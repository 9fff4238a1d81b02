package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.Json;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TestRoutes;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every request vector of nodejs/llhttp's strict-mode fixtures ({@code conformance/llhttp-requests.json},
 * MIT, see the README next to it) against the test routes (the paths of {@code porter demo}) over a raw socket,
 * with the rules of {@code ../shared/conformance/replay.py}, made stricter where a raw socket allows it:
 * <ul>
 *   <li>{@code reject}: the first answer is 4xx/5xx (or there is none), it is the only one, and the server closes
 *       the connection by itself;</li>
 *   <li>{@code accept}: every message is answered (404, 405 and 501 count as answers: the vectors test framing,
 *       not routes) with nothing else; the client half-closes after sending so the server ends the connection;</li>
 *   <li>{@code accept-first-then-close}: exactly one answer, then the server closes by itself;</li>
 *   <li>{@code incomplete}: while the client waits, no answer but 400/408 and the connection stays open; after
 *       the client's end of stream, still no success, and the server closes;</li>
 *   <li>{@code accept-or-reject}, {@code server-dependent}: Porter's documented choice ({@link #CHOICES},
 *       docs/http.md) is asserted exactly;</li>
 *   <li>{@code parser-api-only}: llhttp pause/skip callbacks with no meaning for a server: skipped.</li>
 * </ul>
 * Like replay.py, a {@code Host} field is added to HTTP/1.1 vectors that lack one (Porter requires it).
 */
class ConformanceTest {

    /** What happens to the connection after a vector Porter decides for itself. */
    enum After {
        /** The server closes by itself. */
        CLOSES,
        /** The connection stays usable: a pipelined probe request is answered too. */
        STAYS_OPEN,
        /** The vector ends inside a further message the server waits for; the client's end of stream ends it. */
        WAITS
    }

    /** What Porter answers where the RFCs leave the choice open, and what then happens to the connection. */
    record Choice(List<Integer> statuses, After after, String why) {
    }

    static final Map<String, Choice> CHOICES = Map.ofEntries(
            // Upgrade is ignored (RFC 9110 §7.8: Porter switches to no protocol): the request is answered as plain
            // HTTP/1.1 and the connection goes on as HTTP/1.1, so bytes after the request are the next request.
            // Here they are not HTTP ("Hot diggity dogg"): 400 and close.
            Map.entry("request/connection.md:542", new Choice(List.of(404, 400), After.CLOSES, "Upgrade ignored, garbage after it")),
            Map.entry("request/connection.md:679", new Choice(List.of(404), After.STAYS_OPEN, "Upgrade ignored")),
            Map.entry("request/connection.md:713", new Choice(List.of(404, 400), After.WAITS, "Upgrade ignored, 'efgh' starts a request line")),
            Map.entry("request/connection.md:753", new Choice(List.of(404, 400), After.CLOSES, "Upgrade ignored, garbage after it")),
            Map.entry("request/connection.md:812", new Choice(List.of(404, 400), After.CLOSES, "Upgrade ignored, garbage after it")),
            // CONNECT to a server that is not a proxy: 501 (RFC 9110 §9.1, §9.3.6), and the connection closes:
            // what follows a CONNECT is tunnel data, never a request.
            Map.entry("request/method.md:27", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            Map.entry("request/method.md:62", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            Map.entry("request/method.md:96", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            Map.entry("request/uri.md:188", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            // "PRI * HTTP/1.1": well framed; PRI is a method no route knows, so the router answers 501
            // (RFC 9110 §9.1); the next bytes ("SM") are no request line: 400 and close.
            Map.entry("request/method.md:458", new Choice(List.of(501, 400), After.CLOSES, "PRI *: 501, then SM: 400")),
            // Only HTTP-version = "HTTP/" DIGIT "." DIGIT is HTTP (RFC 9112 §2.3): ICE/1.0, RTSP/1.0 and a request
            // line without a version (HTTP/0.9) are rejected.
            Map.entry("request/method.md:372", new Choice(List.of(400), After.CLOSES, "ICE/1.0 is not HTTP")),
            Map.entry("request/method.md:400", new Choice(List.of(400), After.CLOSES, "RTSP/1.0 is not HTTP")),
            Map.entry("request/method.md:430", new Choice(List.of(400), After.CLOSES, "RTSP/1.0 is not HTTP")),
            Map.entry("request/sample.md:314", new Choice(List.of(400), After.CLOSES, "HTTP/0.9 is not supported")),
            // Targets: any visible ASCII is accepted in a request-target ('"' and '|' are outside RFC 3986 but
            // harmless and common); a fragment is tolerated and dropped (RFC 9110 §4.2.5); userinfo in an
            // absolute-form target is accepted (the handler sees the target as sent). Connection stays open.
            Map.entry("request/uri.md:4", new Choice(List.of(404), After.STAYS_OPEN, "quotes in target accepted")),
            Map.entry("request/uri.md:98", new Choice(List.of(404), After.STAYS_OPEN, "| in query accepted")),
            Map.entry("request/uri.md:165", new Choice(List.of(404), After.STAYS_OPEN, "fragment tolerated")),
            Map.entry("request/uri.md:222", new Choice(List.of(404), After.STAYS_OPEN, "userinfo in absolute-form accepted")));

    private static final Set<Integer> ROUTE_ANSWERS = Set.of(404, 405, 501);
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

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> vectors() throws IOException {
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/llhttp-requests.json")) {
            assertThat(in).as("conformance/llhttp-requests.json on the test classpath").isNotNull();
            return (List<Map<String, Object>>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void vectorFileHoldsEveryCase() throws IOException {
        List<Map<String, Object>> all = vectors();
        assertThat(all).hasSize(137);
        // Every case Porter decides for itself has a documented choice, and every choice names a real case.
        List<String> open = all.stream()
                .filter(v -> Set.of("accept-or-reject", "server-dependent").contains((String) v.get("server_expect")))
                .map(ConformanceTest::key).toList();
        assertThat(open).containsExactlyInAnyOrderElementsOf(CHOICES.keySet());
    }

    @TestFactory
    Stream<DynamicTest> replaysEveryLlhttpRequestVector() throws IOException {
        return vectors().stream().map(v -> DynamicTest.dynamicTest(
                v.get("server_expect") + " " + key(v) + " " + v.get("title"), () -> replay(v)));
    }

    private static String key(Map<String, Object> v) {
        return v.get("file") + ":" + v.get("line");
    }

    private static void replay(Map<String, Object> v) {
        String expect = (String) v.get("server_expect");
        boolean finish = "request-finish".equals(v.get("type"));
        byte[] data = addHost(Base64.getDecoder().decode((String) v.get("input_b64")));
        int complete = ((Long) v.get("messages_complete")).intValue();
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
                    Choice c = CHOICES.get(key(v));
                    assertThat(c).as("documented choice for " + key(v)).isNotNull();
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

    private static final Pattern REQUEST_START = Pattern.compile(
            "(^|\r\n\r\n|\r\n(?=[A-Z]+ /))((?:\r\n)*)([A-Z-]+ [^\r\n]* HTTP/1\\.1\r\n)");
    private static final Pattern HAS_HOST = Pattern.compile("\r\nhost:", Pattern.CASE_INSENSITIVE);

    /** replay.py's add_host: a Host field after every HTTP/1.1 request line of a vector that has none. */
    static byte[] addHost(byte[] d) {
        String s = new String(d, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (s.startsWith("\r\n", i)) i += 2;
        int j = s.indexOf("\r\n", i);
        if (j < 0) return d;
        String first = s.substring(i, j);
        if (first.indexOf('\r') >= 0 || first.indexOf('\n') >= 0) return d;
        if (!first.endsWith("HTTP/1.1") || HAS_HOST.matcher(s).find()) return d;
        Matcher m = REQUEST_START.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(3) + "Host: localhost\r\n"));
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
