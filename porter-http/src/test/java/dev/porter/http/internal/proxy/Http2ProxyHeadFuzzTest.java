package dev.porter.http.internal.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.ClientRequest;
import dev.porter.http.Headers;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.ProxyConfig;
import dev.porter.http.Request;
import dev.porter.http.internal.client.PreparedHeads;
import dev.porter.http.internal.client.PreparedRequest;
import dev.porter.http.internal.h2.AcceptedRequests;
import dev.porter.http.internal.http1.RequestFraming;
import dev.porter.http.internal.http1.RequestHead;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the reverse proxy's HTTP/2 to HTTP/1.1 translation without a socket: a field block as HPACK decodes it
 * (any octets), judged by the HTTP/2 server's request checks ({@link AcceptedRequests}: RFC 9113 §8.2, §8.3), turned
 * into the head the proxy writes to a backend ({@link Outgoing#prepare}, the path {@link Proxy#handle} takes for an
 * http backend), and that head parsed by Porter's own strict HTTP/1.1 parser ({@link RequestHead},
 * {@link RequestFraming}). For every block the server accepts, either the proxy refuses it before writing anything
 * (an {@link IllegalArgumentException}, answered by the proxy itself), or the head is
 * <ul>
 *   <li>exactly one request, every byte of it consumed, accepted with unambiguous framing;</li>
 *   <li>of the same method and target;</li>
 *   <li>carrying the received end-to-end fields in order with the same values, hop-by-hop ones dropped, and nothing
 *       else but one Host, one each of Via, X-Forwarded-For, X-Forwarded-Proto, Forwarded, at most one
 *       X-Forwarded-Host, Cookie (the received ones joined) and Max-Forwards (decremented), and the framing;</li>
 *   <li>framed as the received body: its content-length, chunked for a body of unknown length, none for none.</li>
 * </ul>
 * (The smuggling this guards against: a {@code :method} holding CR LF became two requests at the backend.) The input:
 * a flags byte (extended CONNECT announced, preserve-host, trusted client, a body follows), then fields, each a name
 * then a value: a byte below 0x80 picks from a dictionary, otherwise its low bits give the length of literal octets.
 * Replays {@code Http2ProxyHeadFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign.
 */
class Http2ProxyHeadFuzzTest {

    private static final String[] NAMES = {":method", ":scheme", ":authority", ":path", ":protocol", "host",
            "content-length", "te", "cookie", "connection", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "forwarded", "via", "max-forwards", "expect", "transfer-encoding", "upgrade", "accept", "keep-alive",
            "proxy-connection", "trailer", "x-a", "Host", ":status", "x-real-ip", "content-type"};
    private static final String[] VALUES = {"GET", "POST", "OPTIONS", "TRACE", "CONNECT", "HEAD", "http", "https",
            "localhost", "example.com:8080", "/", "/a?b=c&d=%20e", "*", "0", "1", "5", "trailers", "100-continue",
            "websocket", "a=b", "close", "x-a", "127.0.0.1", "[::1]:8443", "for=198.51.100.1;proto=https", "", "a b",
            "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\nGET", "x\r\nInjected: 1", "/p|q{1}%zz", "caf\u00e9", "\t"};
    private static final URI BACKEND = URI.create("http://127.0.0.1:8080");
    /** Strict (no bare LF), limits out of the way: a head the proxy writes is judged on its grammar and framing. */
    private static final HttpConfig PARSER = HttpConfig.builder().maxRequestLineLength(1 << 20).maxHeaderBytes(1 << 20)
            .maxHeaderCount(10_000).build();
    private static final Set<String> ADDED = Set.of("host", "via", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "forwarded", "cookie", "max-forwards", "content-length", "transfer-encoding");

    @FuzzTest(maxDuration = "10m")
    void eachAcceptedRequestReachesTheBackendAsItself(byte[] input) throws IOException {
        if (input.length == 0) return;
        int flags = input[0] & 0xff;
        boolean preserveHost = (flags & 2) != 0;
        boolean trusted = (flags & 4) != 0;
        boolean hasBody = (flags & 8) != 0;
        List<String> fields = new ArrayList<>();
        int[] pos = {1};
        while (pos[0] < input.length) {
            fields.add(piece(input, pos, NAMES));
            fields.add(pos[0] < input.length ? piece(input, pos, VALUES) : "");
        }
        InputStream body = new ByteArrayInputStream(hasBody ? new byte[] {'x'} : new byte[0]);
        Request req = AcceptedRequests.of(fields, (flags & 1) != 0, body);
        if (req == null) return; // refused by the HTTP/2 server, or not forwarded as a request
        ProxyConfig cfg = ProxyConfig.builder(BACKEND.toString()).preserveHost(preserveHost).build();
        // As Proxy.handle: Max-Forwards 0 is answered here; the body as StreamedBody passes it on.
        long maxForwards = Outgoing.maxForwards(req);
        if (maxForwards == 0) return;
        long sentMaxForwards = maxForwards > 0 ? maxForwards - 1 : -1;
        String target = Outgoing.target(req, cfg.stripPrefix());
        ClientRequest.Body out = StreamedBody.of(req, new StreamedBody[1]);
        PreparedRequest prepared;
        try {
            prepared = Outgoing.prepare(req, new Backend(BACKEND), null, target, out, trusted, cfg, sentMaxForwards);
        } catch (IllegalArgumentException refused) {
            return; // answered by the proxy (refuseUnforwardable), nothing written to the backend
        }
        byte[] head = PreparedHeads.of(prepared);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        RequestHead parsed = new RequestHead(PARSER);
        RequestFraming framing = new RequestFraming();
        int end;
        try {
            end = parsed.parse(head, 0, head.length);
            if (parsed.done()) framing.analyze(parsed, PARSER);
        } catch (HttpException e) {
            fail("the backend refuses the head the proxy wrote (" + e.status().code() + " " + e.getMessage()
                    + ") for an accepted HTTP/2 request " + fields + ":\n" + text);
            return;
        }
        assertThat(parsed.done()).as("a complete head:\n%s", text).isTrue();
        assertThat(end).as("one request, nothing after it:\n%s", text).isEqualTo(head.length);
        assertThat(parsed.method).as("method").isEqualTo(req.method());
        assertThat(parsed.target).as("target").isEqualTo(req.target());
        assertThat(parsed.version).isEqualTo(11);
        checkFields(req, parsed.headers, preserveHost, trusted, sentMaxForwards, text);
        if (req.contentLength() >= 0) {
            assertThat(framing.chunked).as("chunked, for a content-length:\n%s", text).isFalse();
            assertThat(framing.contentLength).as("content-length:\n%s", text).isEqualTo(req.contentLength());
        } else if (hasBody) {
            assertThat(framing.chunked).as("chunked, for a body of unknown length:\n%s", text).isTrue();
        } else {
            assertThat(framing.chunked).as("no body, yet chunked:\n%s", text).isFalse();
            assertThat(framing.contentLength).as("no body:\n%s", text).isZero();
        }
    }

    /** The received fields, in order, less the hop-by-hop ones; then only the fields the proxy itself writes. */
    private static void checkFields(Request req, Headers sent, boolean preserveHost, boolean trusted,
                                    long maxForwards, String text) {
        Headers in = req.headers();
        List<String> listed = HopByHop.listed(in);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            if (HopByHop.drop(name, listed) || added(name, maxForwards) || name.equalsIgnoreCase("expect")) {
                continue;
            }
            expected.add(name.toLowerCase(Locale.ROOT) + ": " + in.value(i));
        }
        List<String> copied = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            String name = sent.name(i).toLowerCase(Locale.ROOT);
            if (!added(name, maxForwards)) copied.add(name + ": " + sent.value(i));
        }
        assertThat(copied).as("end-to-end fields passed on:\n%s", text).isEqualTo(expected);
        assertThat(sent.all("Host")).as("Host:\n%s", text).hasSize(1);
        String host = req.header("Host");
        assertThat(sent.first("Host")).as("Host:\n%s", text)
                .isEqualTo(preserveHost && host != null ? host : BACKEND.getRawAuthority());
        for (String one : new String[] {"Via", "X-Forwarded-For", "X-Forwarded-Proto", "Forwarded"}) {
            assertThat(sent.all(one)).as("%s:\n%s", one, text).hasSize(1);
        }
        assertThat(sent.all("X-Forwarded-Host").size()).as("X-Forwarded-Host:\n%s", text).isLessThanOrEqualTo(1);
        // An empty crumb joined last leaves "; " at the end (RFC 9113 §8.2.3), which HTTP/1.1 reads as whitespace
        // around the value (RFC 9112 §5): the parser strips it.
        List<String> cookies = in.all("cookie");
        assertThat(sent.all("Cookie")).as("Cookie:\n%s", text)
                .isEqualTo(cookies.isEmpty() ? List.of() : List.of(String.join("; ", cookies).stripTrailing()));
        if (maxForwards >= 0) {
            assertThat(sent.all("Max-Forwards")).as("Max-Forwards:\n%s", text).isEqualTo(List.of(Long.toString(maxForwards)));
        }
        if (!trusted) {
            assertThat(sent.first("X-Forwarded-For")).isEqualTo("192.0.2.7");
        }
    }

    /** A field the proxy writes itself (Max-Forwards only when it decrements one; else it is copied as received). */
    private static boolean added(String name, long maxForwards) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ADDED.contains(lower) && (maxForwards >= 0 || !lower.equals("max-forwards"));
    }

    /** A dictionary entry (a byte below 0x80) or literal octets (the low six bits of the byte give their count). */
    private static String piece(byte[] input, int[] pos, String[] dictionary) {
        int b = input[pos[0]++] & 0xff;
        if (b < 0x80) return dictionary[b % dictionary.length];
        int length = Math.min(b & 0x3f, input.length - pos[0]);
        String s = new String(input, pos[0], length, StandardCharsets.ISO_8859_1);
        pos[0] += length;
        return s;
    }
}
