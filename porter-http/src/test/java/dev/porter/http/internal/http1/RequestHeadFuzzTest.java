package dev.porter.http.internal.http1;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.testing.Splits;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the request parser ({@link RequestHead} then {@link RequestFraming}) on raw bytes, fed straight to the
 * state machine ({@link Feeds}, no socket), under a strict
 * configuration with default limits and a lenient one (bare LF allowed) with small limits. For every input:
 * <ul>
 *   <li>the only failures are {@link HttpException}s with a documented status;</li>
 *   <li>an accepted head is well-formed by an independent reading of the grammar ({@link RequestGrammar}), ends
 *       exactly where the grammar says, and its framing is unambiguous: Content-Length and chunked are never
 *       both accepted, chunked only in HTTP/1.1, exactly one Host in HTTP/1.1;</li>
 *   <li>re-serialising an accepted head canonically and parsing it again gives the same head and framing;</li>
 *   <li>a plain, well-formed GET-like head within the limits is never rejected;</li>
 *   <li>the outcome is the same whole, byte by byte and in random splits.</li>
 * </ul>
 * Replays {@code RequestHeadFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign.
 */
class RequestHeadFuzzTest {

    /** Statuses the parser may answer a request head with (RFC 9110 §15.5, §15.6). */
    static final Set<Integer> HEAD_STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

    static final HttpConfig STRICT = HttpConfig.builder().build();
    static final HttpConfig LENIENT = HttpConfig.builder().lenientLineEnds(true).maxRequestLineLength(64)
            .maxHeaderBytes(256).maxHeaderCount(8).maxBodySize(1000).build();

    @FuzzTest(maxDuration = "10m")
    void acceptsOnlyWellFormedUnambiguousHeads(byte[] input) {
        Outcome strict = parse(input, STRICT);
        Outcome lenient = parse(input, LENIENT);
        check(input, STRICT, strict);
        check(input, LENIENT, lenient);
        // The parser is a state machine over bytes: however the input is split, the outcome is the same.
        for (HttpConfig config : new HttpConfig[] {STRICT, LENIENT}) {
            Feeds.HeadOutcome whole = Feeds.requestHead(input, 0, config, Splits.WHOLE);
            sameOutcome(whole, Feeds.requestHead(input, 0, config, Splits.BYTE_BY_BYTE), "byte by byte");
            sameOutcome(whole, Feeds.requestHead(input, 0, config, Splits.random(java.util.Arrays.hashCode(input))),
                    "random splits");
        }
        if (strict.accepted() && !lenient.accepted()) {
            // Leniency may only add acceptance; only the lenient config's smaller limits may refuse.
            assertThat(lenient.status).as("strict accepted, lenient refused").isIn(413, 414, 431);
        }
    }

    /** What parsing one input gave: a head and framing, end of stream before a request, or a status. */
    record Outcome(RequestHead head, RequestFraming framing, int consumed, int status, String why) {
        boolean accepted() {
            return head != null;
        }
    }

    static Outcome parse(byte[] input, HttpConfig config) {
        Feeds.HeadOutcome fed = Feeds.requestHead(input, 0, config, Splits.WHOLE);
        if (fed.endOfStream()) return new Outcome(null, null, fed.consumed(), 0, "end of stream");
        if (!fed.accepted()) return new Outcome(null, null, -1, fed.status(), fed.why());
        RequestFraming framing = new RequestFraming();
        try {
            framing.analyze(fed.head(), config);
            return new Outcome(fed.head(), framing, fed.consumed(), 0, null);
        } catch (HttpException e) {
            return new Outcome(null, null, -1, e.status().code(), e.getMessage());
        }
    }

    /** The same status, length and head, whatever the split. */
    static void sameOutcome(Feeds.HeadOutcome whole, Feeds.HeadOutcome split, String how) {
        assertThat(split.status()).as("status %s (%s) vs whole (%s)", how, split.why(), whole.why()).isEqualTo(whole.status());
        assertThat(split.consumed()).as("head length %s", how).isEqualTo(whole.consumed());
        // A refusal too: the method decides whether the refusal has a body (none for HEAD, RFC 9110 §9.3.2).
        assertThat(split.head().method).as("method %s", how).isEqualTo(whole.head().method);
        if (!whole.accepted()) return;
        assertThat(split.head().target).isEqualTo(whole.head().target);
        assertThat(split.head().version).isEqualTo(whole.head().version);
        assertThat(split.head().headers.size()).isEqualTo(whole.head().headers.size());
        for (int i = 0; i < whole.head().headers.size(); i++) {
            assertThat(split.head().headers.name(i)).isEqualTo(whole.head().headers.name(i));
            assertThat(split.head().headers.value(i)).isEqualTo(whole.head().headers.value(i));
        }
    }

    private static void check(byte[] input, HttpConfig config, Outcome o) {
        RequestGrammar.Head g = RequestGrammar.head(input, config.lenientLineEnds());
        if (!o.accepted()) {
            if (o.status == 0) {
                // End of stream before any request byte: only empty lines (or nothing) came.
                assertThat(g).as("clean end of stream, yet the grammar sees a head").isNull();
                return;
            }
            assertThat(o.status).as("status of a rejected head (%s)", o.why).isIn(HEAD_STATUSES);
            if (g != null && RequestGrammar.plainlyAcceptable(g, config.maxRequestLineLength(),
                    config.maxHeaderBytes(), config.maxHeaderCount())) {
                fail("a plain well-formed head was refused with " + o.status + " (" + o.why + ")");
            }
            return;
        }
        if (g == null) fail("accepted a head the grammar refuses: " + o.head.method + " " + o.head.target);
        RequestHead h = o.head;
        RequestFraming f = o.framing;
        assertThat(o.consumed).as("head length").isEqualTo(g.length());
        assertThat(h.method).isEqualTo(g.method());
        assertThat(h.target).isEqualTo(g.target());
        assertThat(h.version).isEqualTo(g.version());
        assertThat(h.headers.size()).isEqualTo(g.fields().size());
        for (int i = 0; i < h.headers.size(); i++) {
            assertThat(h.headers.name(i)).isEqualToIgnoringCase(g.fields().get(i)[0]);
            assertThat(h.headers.value(i)).isEqualTo(g.fields().get(i)[1]);
        }
        assertThat(g.requestLineLength()).as("request line length").isLessThanOrEqualTo(config.maxRequestLineLength());
        assertThat(g.fieldBytes()).as("header section bytes").isLessThanOrEqualTo(config.maxHeaderBytes());
        assertThat(h.headers.size()).isLessThanOrEqualTo(config.maxHeaderCount());
        checkFraming(g, f, config);
        reparse(h, f, config);
    }

    /** Content-Length and chunked exclusive; chunked only in 1.1 and last; one Host in 1.1 (RFC 9112 §3.2, §6). */
    private static void checkFraming(RequestGrammar.Head g, RequestFraming f, HttpConfig config) {
        int te = g.count("Transfer-Encoding");
        int cl = g.count("Content-Length");
        assertThat(te > 0 && cl > 0).as("both Transfer-Encoding and Content-Length accepted").isFalse();
        if (te > 0) {
            assertThat(g.version()).as("Transfer-Encoding in HTTP/1.0").isEqualTo(11);
            assertThat(f.chunked).isTrue();
            assertThat(f.contentLength).isEqualTo(-1);
        } else if (cl > 0) {
            assertThat(f.chunked).isFalse();
            for (String[] field : g.fields()) {
                if (!field[0].equalsIgnoreCase("Content-Length")) continue;
                for (String part : field[1].split(",", -1)) {
                    assertThat(Long.parseLong(part.strip())).as("Content-Length value").isEqualTo(f.contentLength);
                }
            }
            assertThat(f.contentLength).isBetween(0L, config.maxBodySize());
        } else {
            assertThat(f.chunked).isFalse();
            assertThat(f.contentLength).isZero();
        }
        int hosts = g.count("Host");
        if (g.version() == 11) assertThat(hosts).as("Host fields in HTTP/1.1").isEqualTo(1);
        else assertThat(hosts).as("Host fields in HTTP/1.0").isLessThanOrEqualTo(1);
        String connection = String.join(",", g.fields().stream()
                .filter(x -> x[0].equalsIgnoreCase("Connection")).map(x -> x[1]).toList());
        boolean close = RequestGrammar.listHas(connection, "close");
        boolean keepAlive = RequestGrammar.listHas(connection, "keep-alive");
        assertThat(f.keepAlive).as("persistence").isEqualTo(g.version() == 11 ? !close : keepAlive && !close);
    }

    /** Writes the head canonically (CRLF, one SP after each colon) and parses it again: the same head and framing. */
    private static void reparse(RequestHead h, RequestFraming f, HttpConfig config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((h.method + " " + h.target + " HTTP/1." + (h.version - 10) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        List<String[]> fields = new ArrayList<>();
        for (int i = 0; i < h.headers.size(); i++) {
            fields.add(new String[] {h.headers.name(i), h.headers.value(i)});
            out.writeBytes((h.headers.name(i) + ": " + h.headers.value(i) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        String method = h.method;
        String target = h.target;
        int version = h.version;
        long length = f.contentLength;
        boolean chunked = f.chunked;
        boolean keepAlive = f.keepAlive;
        // The canonical form may be a few bytes longer (a space after each colon): allow for it in the limits.
        HttpConfig roomy = config.toBuilder().maxHeaderBytes(config.maxHeaderBytes() + 2 * fields.size() + 4).build();
        Outcome again = parse(out.toByteArray(), roomy);
        assertThat(again.accepted()).as("canonical form refused: %s", again.why).isTrue();
        assertThat(again.head.method).isEqualTo(method);
        assertThat(again.head.target).isEqualTo(target);
        assertThat(again.head.version).isEqualTo(version);
        assertThat(again.head.headers.size()).isEqualTo(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            assertThat(again.head.headers.name(i)).isEqualTo(fields.get(i)[0]);
            assertThat(again.head.headers.value(i)).isEqualTo(fields.get(i)[1]);
        }
        assertThat(again.framing.contentLength).isEqualTo(length);
        assertThat(again.framing.chunked).isEqualTo(chunked);
        assertThat(again.framing.keepAlive).isEqualTo(keepAlive);
    }
}
