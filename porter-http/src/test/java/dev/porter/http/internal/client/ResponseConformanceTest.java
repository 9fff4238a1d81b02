package dev.porter.http.internal.client;

import dev.porter.core.Client;
import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClient;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.http1.ResponseFraming;
import dev.porter.http.internal.http1.ResponseHead;
import dev.porter.http.testing.Json;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every response case of llhttp's test fixtures (test resources {@code conformance/}, MIT, see NOTICE)
 * through a raw-socket server that writes the case's bytes after the request head and then closes its side.
 *
 * <p>Each case runs twice: through the public {@link HttpClient} (one request: the first response must be
 * accepted or rejected as the fixture says), and through the client's parser on one connection with one request
 * per response (pipelined cases: every message the fixture completes must complete). The fixture's outcome is
 * llhttp's with no finish call, so a message cut off by the end of the bytes is "incomplete", not an error, and a
 * body that runs until the connection closes is not counted as complete; Porter's {@code IncompleteResponse} and
 * close-delimited bodies are compared the same way.
 *
 * <p>{@link #DIFFERENCES} lists the cases where Porter deliberately differs, each with its reason (also in
 * docs/client.md).
 */
public class ResponseConformanceTest {

    /** What Porter does instead of the fixture's outcome, and why. */
    record Difference(boolean error, String why) {
    }

    static final Map<String, Difference> DIFFERENCES = Map.ofEntries(
            Map.entry("response/connection.md:164", new Difference(false,
                    "data after a 'Connection: close' response is never read: the client closes the connection")),
            Map.entry("response/connection.md:225", new Difference(false,
                    "data after a 'Connection: close' response is never read: the client closes the connection")),
            Map.entry("response/invalid.md:151", new Difference(true,
                    "lenient mode (bare CR as line end): Porter has no lenient mode; a bare CR is rejected")),
            Map.entry("response/invalid.md:304", new Difference(true,
                    "lenient mode (bare LF line ends): Porter requires CRLF")),
            Map.entry("response/invalid.md:348", new Difference(true,
                    "lenient mode (bare LF line ends): Porter requires CRLF")),
            Map.entry("response/lenient-version.md:4", new Difference(true,
                    "lenient mode (any version): Porter accepts HTTP/1.x only")),
            Map.entry("response/sample.md:351", new Difference(true,
                    "lenient mode (bare LF line ends): Porter requires CRLF")),
            Map.entry("response/transfer-encoding.md:389", new Difference(true,
                    "lenient mode (obs-fold): Porter rejects obs-fold in responses as in requests")),
            Map.entry("response/sample.md:40", new Difference(true,
                    "RTSP/1.1 is not HTTP: an HTTP client rejects it")),
            Map.entry("response/sample.md:60", new Difference(true,
                    "ICE/1.1 is not HTTP: an HTTP client rejects it")),
            Map.entry("response/sample.md:645", new Difference(true,
                    "HTTP/0.9 has no status line; a status line claiming 0.9 is rejected (HTTP/1.x only)")));

    public record Case(int index, String key, String title, boolean skipBody, byte[] input, boolean error, int complete) {
        public boolean expectError() {
            Difference d = DIFFERENCES.get(key);
            return d == null ? error : d.error();
        }

        @Override
        public String toString() {
            return "#" + index + " " + key + " " + title;
        }
    }

    /** How a replay ended. @param complete messages completed; @param error the rejection, or null */
    record Outcome(int complete, String error) {
    }

    private static List<Case> cases;

    @BeforeAll
    static void load() throws IOException {
        cases = loadCases();
    }

    /** @return every response case, in the file's order (also fed to the parsers alone by ResponseVectorsSplitTest) */
    public static List<Case> loadCases() throws IOException {
        try (InputStream in = ResponseConformanceTest.class.getResourceAsStream("/conformance/llhttp-responses.json")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> raw = (List<Map<String, Object>>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Case> all = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                Map<String, Object> m = raw.get(i);
                @SuppressWarnings("unchecked")
                Map<String, Object> meta = (Map<String, Object>) m.get("meta");
                all.add(new Case(i, m.get("file") + ":" + m.get("line"), (String) m.get("title"),
                        Boolean.TRUE.equals(meta.get("skipBody")), Base64.getDecoder().decode((String) m.get("input_b64")),
                        "error".equals(m.get("outcome")), ((Long) m.get("messages_complete")).intValue()));
            }
            return all;
        }
    }

    @AfterAll
    static void unload() {
        cases = null;
    }

    @Test
    void everyCaseIsLoadedAndEveryDifferenceNamesARealCase() {
        assertThat(cases).hasSize(85);
        assertThat(cases.stream().map(Case::key).toList()).containsAll(DIFFERENCES.keySet());
    }

    @TestFactory
    Stream<DynamicTest> everyCaseThroughTheHttpClient() {
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.toString(), () -> {
            Outcome o;
            try (RawServer server = RawServer.replying(k.input())) {
                o = viaClient(k, server.url("/"));
            }
            System.out.println("client: " + k + " -> " + o);
            if (k.expectError()) {
                assertThat(o.error()).as("%s must be rejected", k).isNotNull();
            } else {
                assertThat(o.error()).as("%s must be accepted", k).isNull();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseThroughTheParserWithOneRequestPerResponse() {
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.toString(), () -> {
            Outcome o;
            try (RawServer server = RawServer.replying(k.input())) {
                o = pipelined(k, server.port());
            }
            System.out.println("parser: " + k + " -> " + o);
            if (k.expectError()) {
                assertThat(o.error()).as("%s must be rejected", k).isNotNull();
            } else {
                assertThat(o.error()).as("%s must be accepted", k).isNull();
                assertThat(o.complete()).as("%s: messages completed", k).isEqualTo(k.complete());
            }
        }));
    }

    private static Outcome viaClient(Case k, String url) throws IOException {
        ClientConfig config = ClientConfig.builder().followRedirects(false).readTimeout(Duration.ofSeconds(5)).build();
        try (HttpClient client = HttpClient.create(config);
             ClientResponse res = client.send(ClientRequest.builder(k.skipBody() ? "HEAD" : "GET", url).build())) {
            res.body().transferTo(OutputStream.nullOutputStream());
            return new Outcome(1, null);
        } catch (HttpClientException.MalformedResponse e) {
            return new Outcome(0, e.getMessage());
        } catch (HttpClientException.IncompleteResponse e) {
            return new Outcome(0, null);
        }
    }

    /**
     * Sends a request, reads its response (skipping 1xx, which count as messages like in llhttp), and goes on
     * with the next request while the connection persists and the server sent more.
     */
    private static Outcome pipelined(Case k, int port) throws IOException {
        String method = k.skipBody() ? "HEAD" : "GET";
        byte[] request = (method + " / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ConnectionConfig cc = ConnectionConfig.defaults().withReadTimeout(Duration.ofSeconds(5)).withIdleTimeout(Duration.ofSeconds(5));
        int complete = 0;
        try (Connection c = Client.connect("127.0.0.1", port, Duration.ofSeconds(5), cc)) {
            while (true) {
                c.write(request, 0, request.length);
                c.flush();
                ResponseHead head = new ResponseHead(64 * 1024, 256, false);
                for (int interim = 0; ; interim++) {
                    if (!Exchange.readHead(c, head)) return new Outcome(complete, complete == 0 ? "no response at all" : null);
                    if (head.status.code() >= 200) break;
                    Exchange.checkInterim(head, interim);
                    complete++;
                }
                ResponseFraming f = ResponseFraming.of(head, method);
                ResponseBody body = new ResponseBody(c, f, 64 * 1024, 256, reusable -> { }, 0, null, Duration.ofSeconds(5));
                body.transferTo(OutputStream.nullOutputStream());
                if (f.kind() == ResponseFraming.Kind.UNTIL_CLOSE) return new Outcome(complete, null);
                complete++;
                if (!f.persistent()) return new Outcome(complete, null);
            }
        } catch (HttpClientException.MalformedResponse e) {
            return new Outcome(complete, e.getMessage());
        } catch (HttpClientException.IncompleteResponse e) {
            return new Outcome(complete, null);
        }
    }
}
