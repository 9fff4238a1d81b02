package dev.porter.http.internal.http1;

import dev.porter.http.HttpClientException;
import dev.porter.http.internal.client.Exchange;
import dev.porter.http.internal.client.ResponseConformanceTest;
import dev.porter.http.testing.Splits;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds every llhttp response case ({@link ResponseConformanceTest#loadCases}, the bytes its raw server sends) to
 * the client's pure parsers, response after response as {@code ResponseConformanceTest} reads them over one
 * connection: the head ({@link ResponseHead}, interim 1xx heads included), the framing ({@link ResponseFraming},
 * RFC 9112 §6.3), the body (Content-Length bytes, §6.2; the chunked coding, §7.1; or everything until the close,
 * §6.3 (8)), then the next response while the connection persists (§9.3). The input arrives whole, byte by byte,
 * split in two at every index, and in random pieces: every way must give the same heads, bodies and failure as
 * whole, since a server (or whatever sits between) decides how the bytes are split. The whole result is also held
 * to the case's expected outcome as the socket replay judges it.
 */
class ResponseVectorsSplitTest {

    /** The limits ResponseConformanceTest gives the parser. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADER_COUNT = 256;
    static final int RANDOM_SPLITS = 20;

    /** One response head and what followed it: its body, or null for an interim (1xx) head. */
    record Message(int version, int code, String reason, List<String> fields, int headEnd, String body) {
    }

    /** How the responses ended. */
    enum End {
        /** No byte of a response: the socket replay counts this as an error ("no response at all"). */
        NO_RESPONSE,
        /** The input ended between responses of a persistent connection. */
        CLEAN,
        /** The last response closes the connection (RFC 9112 §9.3): what follows is never read. */
        CLOSES,
        /** The last body ran until the close (RFC 9112 §6.3 (8)): not counted as complete, like llhttp. */
        UNTIL_CLOSE,
        /** A {@link HttpClientException.MalformedResponse}. */
        MALFORMED,
        /** A {@link HttpClientException.IncompleteResponse}: the input ended inside a response. */
        INCOMPLETE
    }

    /** Everything the parsers made of one input, and the messages completed as llhttp counts them. */
    record Result(List<Message> messages, int complete, End end, String why) {
        @Override
        public String toString() {
            return messages + " (" + complete + " complete) then " + end + (why == null ? "" : " (" + why + ")");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGivesTheSameResultHoweverItsBytesAreSplit() throws IOException {
        return ResponseConformanceTest.loadCases().stream().map(k -> DynamicTest.dynamicTest(k.toString(), () -> {
            byte[] in = k.input();
            String method = k.skipBody() ? "HEAD" : "GET";
            Result whole = parse(in, method, Splits.WHOLE);
            same(whole, parse(in, method, Splits.BYTE_BY_BYTE), "byte by byte");
            for (int at = 1; at < in.length; at++) {
                same(whole, parse(in, method, Splits.atIndex(in.length, at)), "split at " + at);
            }
            for (int seed = 0; seed < RANDOM_SPLITS; seed++) {
                same(whole, parse(in, method, Splits.random(seed)), "random split, seed " + seed);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> wholeInputMeetsTheCasesOutcomeLikeTheSocketReplay() throws IOException {
        return ResponseConformanceTest.loadCases().stream().map(k -> DynamicTest.dynamicTest(k.toString(), () -> {
            Result r = parse(k.input(), k.skipBody() ? "HEAD" : "GET", Splits.WHOLE);
            // ResponseConformanceTest.pipelined: a malformed response, or none at all, is an error; an incomplete
            // one is not (llhttp's outcome without a finish call), and then the completed messages must match.
            boolean error = r.end() == End.MALFORMED || r.end() == End.NO_RESPONSE;
            assertThat(error).as("%s %s: %s", k, k.expectError() ? "must be rejected" : "must be accepted", r)
                    .isEqualTo(k.expectError());
            if (!error) assertThat(r.complete()).as("%s: messages completed: %s", k, r).isEqualTo(k.complete());
        }));
    }

    private static void same(Result whole, Result split, String how) {
        assertThat(split.messages()).as("responses, %s; whole: %s, split: %s", how, whole, split).isEqualTo(whole.messages());
        assertThat(split.complete()).as("completed, %s; whole: %s, split: %s", how, whole, split).isEqualTo(whole.complete());
        assertThat(split.end()).as("end, %s; whole: %s, split: %s", how, whole, split).isEqualTo(whole.end());
    }

    /**
     * Reads responses as ResponseConformanceTest.pipelined does over a socket (one request per response, interim
     * heads counted as messages), with the parsers fed from the array.
     */
    static Result parse(byte[] input, String method, Splits splits) {
        List<Message> messages = new ArrayList<>();
        int complete = 0;
        int pos = 0;
        try {
            while (true) {
                ResponseHead head = new ResponseHead(MAX_HEADER_BYTES, MAX_HEADER_COUNT, false);
                for (int interim = 0; ; interim++) {
                    Feeds.ResponseOutcome fed = Feeds.responseHead(head, input, pos, splits);
                    if (fed.failure() != null) throw (HttpClientException) fed.failure();
                    if (fed.head() == null) {
                        return new Result(messages, complete, complete == 0 ? End.NO_RESPONSE : End.CLEAN, null);
                    }
                    pos = fed.consumed();
                    if (head.status.code() >= 200) break;
                    messages.add(message(head, pos, null));
                    Exchange.checkInterim(head, interim);
                    complete++;
                }
                int headEnd = pos;
                ResponseFraming f = ResponseFraming.of(head, method);
                switch (f.kind()) {
                    case NONE -> messages.add(message(head, headEnd, ""));
                    case LENGTH -> {
                        if (input.length - pos < f.length()) {
                            messages.add(message(head, headEnd, null));
                            throw new HttpClientException.IncompleteResponse("connection closed inside the body", false);
                        }
                        messages.add(message(head, headEnd, text(input, pos, (int) f.length())));
                        pos += (int) f.length();
                    }
                    case CHUNKED -> {
                        ByteArrayOutputStream data = new ByteArrayOutputStream();
                        messages.add(message(head, headEnd, null));
                        pos = Feeds.clientChunked(input, pos, new ChunkedDecoder<>(ClientErrors.INSTANCE,
                                MAX_HEADER_BYTES, MAX_HEADER_COUNT, false), data, splits);
                        messages.set(messages.size() - 1, message(head, headEnd, text(data.toByteArray(), 0, data.size())));
                    }
                    case UNTIL_CLOSE -> {
                        messages.add(message(head, headEnd, text(input, pos, input.length - pos)));
                        return new Result(messages, complete, End.UNTIL_CLOSE, null);
                    }
                }
                complete++;
                if (!f.persistent()) return new Result(messages, complete, End.CLOSES, null);
            }
        } catch (HttpClientException.MalformedResponse e) {
            return new Result(messages, complete, End.MALFORMED, e.getMessage());
        } catch (HttpClientException.IncompleteResponse e) {
            return new Result(messages, complete, End.INCOMPLETE, e.getMessage());
        } catch (HttpClientException e) {
            throw new AssertionError("neither malformed nor incomplete", e);
        }
    }

    private static Message message(ResponseHead head, int headEnd, String body) {
        List<String> fields = new ArrayList<>(head.headers.size());
        for (int i = 0; i < head.headers.size(); i++) fields.add(head.headers.name(i) + ": " + head.headers.value(i));
        return new Message(head.version, head.status.code(), head.status.reason(), fields, headEnd, body);
    }

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
