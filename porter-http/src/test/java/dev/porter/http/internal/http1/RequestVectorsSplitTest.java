package dev.porter.http.internal.http1;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.testing.LlhttpRequests.Choice;
import dev.porter.http.testing.LlhttpRequests.Vector;
import dev.porter.http.testing.LlhttpRequests;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.porter.http.testing.LlhttpRequests.ROUTE_ANSWERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds every llhttp request vector ({@link LlhttpRequests}, the bytes {@code ConformanceTest} sends over a socket)
 * to the pure parsers, request after request as the connection does: the head ({@link RequestHead}), its framing
 * ({@link RequestFraming}, RFC 9112 §6.3), then the body (Content-Length bytes, §6.2, or the chunked coding, §7.1)
 * and the next pipelined request (§9.3) unless the connection closes. The input arrives whole, byte by byte, split
 * in two at every index, and in random pieces: every way must give the same requests, bodies and refusal as whole,
 * because a peer controls how its bytes are split and a parser whose answer depends on it can be made to frame one
 * stream two ways. The whole result is also held to the vector's class, as the socket replay judges it, so the pure
 * path and the socket path agree.
 */
class RequestVectorsSplitTest {

    /** The configuration of ConformanceTest's server (TestHttp: the defaults). */
    static final HttpConfig CONFIG = HttpConfig.builder().build();
    static final int RANDOM_SPLITS = 20;
    /** The methods the router knows without a route for them (RFC 9110 §9, RFC 5789); it answers others 501. */
    static final Set<String> ROUTER_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /** One request as a handler would get it: its head, where it ends, and its body or what refused the body. */
    record Message(String method, String target, int version, List<String> fields, int headEnd, String body,
                   int bodyStatus) {
        boolean answered() {
            return bodyStatus == 0;
        }
    }

    /** How the stream of requests ended. */
    enum End {
        /** The input ran out between requests (empty lines at most): the server waits, then closes quietly. */
        CLEAN,
        /** The last request closes the connection (RFC 9112 §9.3, or CONNECT): what follows is never read. */
        CLOSES,
        /** A head, its framing or a body was refused with {@link Result#status}. */
        REFUSED,
        /** The input ran out inside a head or a body: 400 once the peer's end of stream says no more is coming. */
        TRUNCATED
    }

    /** Everything the parsers made of one input. */
    record Result(List<Message> messages, End end, int status, String why) {
        long answered() {
            return messages.stream().filter(Message::answered).count();
        }

        @Override
        public String toString() {
            return messages + " then " + end + (status == 0 ? "" : " " + status + " (" + why + ")");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyVectorGivesTheSameResultHoweverItsBytesAreSplit() {
        return LlhttpRequests.vectors().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            byte[] in = v.input();
            Result whole = parse(in, Splits.WHOLE);
            same(whole, parse(in, Splits.BYTE_BY_BYTE), "byte by byte");
            for (int k = 1; k < in.length; k++) {
                same(whole, parse(in, Splits.atIndex(in.length, k)), "split at " + k);
            }
            for (int seed = 0; seed < RANDOM_SPLITS; seed++) {
                same(whole, parse(in, Splits.random(seed)), "random split, seed " + seed);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> wholeInputMeetsTheVectorsExpectationLikeTheSocketReplay() {
        return LlhttpRequests.vectors().stream().filter(v -> !v.parserApiOnly())
                .map(v -> DynamicTest.dynamicTest(v.toString(), () -> expectation(v, parse(v.input(), Splits.WHOLE))));
    }

    private static void same(Result whole, Result split, String how) {
        assertThat(split.messages()).as("requests, %s; whole: %s, split: %s", how, whole, split).isEqualTo(whole.messages());
        assertThat(split.end()).as("end, %s; whole: %s, split: %s", how, whole, split).isEqualTo(whole.end());
        assertThat(split.status()).as("refusal, %s; whole: %s, split: %s", how, whole, split).isEqualTo(whole.status());
    }

    /**
     * ConformanceTest's rules in terms of the parsers' result. The socket sees one answer per request read whole
     * (a route's: the vectors test framing, not routes, so 404, 405 and 501 count as answers), then the refusal
     * if there is one, which closes the connection; a truncated message earns a 400 once the client's end of
     * stream arrives.
     */
    private static void expectation(Vector v, Result r) {
        String what = v + ": " + r;
        long answered = r.answered();
        switch (v.expect()) {
            // The first answer is an error and nothing follows it; it comes before the client's end of stream (the
            // socket replay waits for it with the connection open), so it cannot be the 400 for a truncated head.
            // A request the parser takes can only be refused by the router: 501 for a method it does not know
            // (RFC 9110 §9.1).
            case "reject" -> {
                if (answered == 0) {
                    assertThat(r.end()).as("refused without waiting for more: " + what).isEqualTo(End.REFUSED);
                    return;
                }
                assertThat(answered).as(what).isEqualTo(1);
                assertThat(ROUTER_METHODS).as("routed, so the router must refuse the method: " + what)
                        .doesNotContain(r.messages().get(0).method());
                assertThat(r.end()).as("nothing after the router's refusal: " + what).isIn(End.CLEAN, End.CLOSES);
            }
            // Every message llhttp completes is answered; after them, nothing but a 400. A refusal the socket
            // replay counts as an answer (501 for a transfer coding Porter cannot decode, RFC 9112 §6.1) may
            // stand for the last one.
            case "accept" -> {
                int n = Math.max(1, v.complete());
                if (answered == n - 1 && r.end() == End.REFUSED && ROUTE_ANSWERS.contains(r.status())) return;
                assertThat(answered).as(what).isEqualTo(n);
                if (r.status() != 0) assertThat(r.status()).as(what).isEqualTo(400);
            }
            // One answer, then the server closes by itself: the request ends the connection (RFC 9112 §9.3).
            case "accept-first-then-close" -> {
                if (answered == 0 && r.end() == End.REFUSED && ROUTE_ANSWERS.contains(r.status())) return;
                assertThat(answered).as(what).isEqualTo(1);
                assertThat(r.end()).as(what).isEqualTo(End.CLOSES);
            }
            // No success: the server waits for the rest, and the end of stream earns a 400 at most.
            case "incomplete" -> {
                assertThat(answered).as(what).isZero();
                assertThat(r.status()).as(what).isEqualTo(400);
            }
            case "accept-or-reject", "server-dependent" -> chosen(v, r, what);
            default -> throw new AssertionError("unknown class " + v.expect());
        }
    }

    /** Porter's documented choice: one route answer per request read, then the refusal if any, then the end. */
    private static void chosen(Vector v, Result r, String what) {
        Choice c = LlhttpRequests.CHOICES.get(v.key());
        assertThat(c).as("documented choice for " + v.key()).isNotNull();
        List<Integer> statuses = c.statuses();
        int routed = r.end() == End.REFUSED || r.end() == End.TRUNCATED ? statuses.size() - 1 : statuses.size();
        assertThat(r.answered()).as(what).isEqualTo(routed);
        if (routed < statuses.size()) assertThat(r.status()).as(what).isEqualTo(statuses.get(routed));
        End expected = switch (c.after()) {
            case CLOSES -> routed < statuses.size() ? End.REFUSED : End.CLOSES;
            case STAYS_OPEN -> End.CLEAN;
            case WAITS -> End.TRUNCATED;
        };
        assertThat(r.end()).as(what).isEqualTo(expected);
    }

    /** Parses {@code input} request by request as the server does (HttpExchangeFuzzTest.predict's steps). */
    static Result parse(byte[] input, Splits splits) {
        List<Message> messages = new ArrayList<>();
        int pos = 0;
        while (true) {
            Feeds.HeadOutcome fed = Feeds.requestHead(input, pos, CONFIG, splits);
            if (fed.endOfStream()) return new Result(messages, End.CLEAN, 0, null);
            if (!fed.accepted()) return refused(messages, fed.status(), fed.why());
            RequestHead head = fed.head();
            RequestFraming framing = new RequestFraming();
            try {
                framing.analyze(head, CONFIG);
            } catch (HttpException e) {
                return refused(messages, e.status().code(), e.getMessage());
            }
            pos = fed.consumed();
            int headEnd = pos;
            String body;
            int status = 0;
            String why = null;
            if (framing.chunked) {
                Feeds.ChunkedOutcome c = Feeds.chunked(input, pos, CONFIG.lenientLineEnds(), CONFIG.maxBodySize(),
                        CONFIG.maxHeaderBytes(), CONFIG.maxHeaderCount(), 8192, splits);
                body = c.accepted() ? text(c.data(), 0, c.data().length) : null;
                status = c.status();
                why = c.why();
                pos = c.end();
            } else if (input.length - pos < framing.contentLength) {
                body = null;
                status = 400;
                why = TRUNCATED + " inside the body";
            } else {
                body = text(input, pos, (int) framing.contentLength);
                pos += (int) framing.contentLength;
            }
            messages.add(new Message(head.method, head.target, head.version, fields(head), headEnd, body, status));
            if (status != 0) return refused(messages, status, why);
            if (!framing.keepAlive || framing.closeAfter) return new Result(messages, End.CLOSES, 0, null);
        }
    }

    /** How Feeds and the chunked decoder name an end of stream inside a message (400 either way). */
    private static final String TRUNCATED = "connection closed";

    private static Result refused(List<Message> messages, int status, String why) {
        End end = why != null && why.startsWith(TRUNCATED) ? End.TRUNCATED : End.REFUSED;
        return new Result(messages, end, status, why);
    }

    private static List<String> fields(RequestHead head) {
        List<String> out = new ArrayList<>(head.headers.size());
        for (int i = 0; i < head.headers.size(); i++) out.add(head.headers.name(i) + ": " + head.headers.value(i));
        return out;
    }

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
