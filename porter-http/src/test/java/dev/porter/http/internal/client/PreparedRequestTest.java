package dev.porter.http.internal.client;

import dev.porter.http.ClientConfig;
import dev.porter.http.ClientRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PreparedRequest} writes the bytes {@link RequestWriter} writes for the same request (the proxy's header
 * tests check the wire; this checks the two encoders agree field for field), and refuses what a
 * {@link ClientRequest} refuses.
 */
class PreparedRequestTest {

    private static final URI BASE = URI.create("http://127.0.0.1:8080");
    private static final ClientConfig CONFIG = ClientConfig.builder().userAgent(null).decompress(false).build();

    /** The head {@link RequestWriter} makes for the same method, target, fields and body. */
    private static String viaClientRequest(String method, String target, ClientRequest.Body body, String... fields)
            throws Exception {
        ClientRequest.Builder b = ClientRequest.builder(method, URI.create(BASE + target)).body(body);
        for (int i = 0; i < fields.length; i += 2) b.header(fields[i], fields[i + 1]);
        ClientRequest req = b.build();
        List<String> lines = RequestWriter.head(req, Route.of(req.uri()), CONFIG, false, false);
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append("\r\n");
        return sb.append("\r\n").toString();
    }

    private static String prepared(String method, String target, ClientRequest.Body body, String... fields)
            throws Exception {
        PreparedRequest p = new PreparedRequest(Route.of(BASE), BASE, method, target, body);
        for (int i = 0; i < fields.length; i += 2) p.field(fields[i], fields[i + 1]);
        return new String(p.encode(), StandardCharsets.ISO_8859_1);
    }

    private static void assertSame(String method, String target, ClientRequest.Body body, String... fields)
            throws Exception {
        assertThat(prepared(method, target, body, fields)).isEqualTo(viaClientRequest(method, target, body, fields));
    }

    @Test
    void aGetWithoutHostGetsTheRoutesAuthorityFirst() throws Exception {
        assertSame("GET", "/plaintext", ClientRequest.Body.empty(), "Accept", "*/*", "Via", "1.1 porter");
        assertThat(prepared("GET", "/", ClientRequest.Body.empty())).startsWith("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n");
    }

    @Test
    void aHostFieldKeepsItsPlaceAndNoOtherIsAdded() throws Exception {
        assertSame("GET", "/a?b=c&d=%20e", ClientRequest.Body.empty(), "Accept", "text/html", "Host", "example.com",
                "X-Forwarded-For", "127.0.0.1");
        assertThat(prepared("GET", "/", ClientRequest.Body.empty(), "Host", "example.com")).doesNotContain("8080");
    }

    @Test
    void bodiesAreFramedAsTheClientFramesThem() throws Exception {
        assertSame("POST", "/upload", ClientRequest.Body.of(new byte[5]), "Content-Type", "text/plain");
        assertSame("POST", "/upload", ClientRequest.Body.empty()); // Content-Length: 0 for POST (RFC 9110 §8.6)
        assertSame("DELETE", "/thing", ClientRequest.Body.empty());
        assertSame("PUT", "/stream", ClientRequest.Body.ofStream(new java.io.ByteArrayInputStream(new byte[3])));
        assertThat(prepared("PUT", "/s", ClientRequest.Body.ofStream(new java.io.ByteArrayInputStream(new byte[3]))))
                .contains("Transfer-Encoding: chunked\r\n");
    }

    @Test
    void aTargetOfVisibleAsciiGoesAsItCameAndOthersAsAUriMakesThem() throws Exception {
        // '|' is not a URI character and %zz no percent-encoding, but Porter's server accepts both (visible ASCII):
        // the proxy passes them on as received, as nginx does.
        assertThat(prepared("GET", "/a|b?q={1}", ClientRequest.Body.empty())).startsWith("GET /a|b?q={1} HTTP/1.1\r\n");
        assertThat(prepared("GET", "/a%zz", ClientRequest.Body.empty())).startsWith("GET /a%zz HTTP/1.1\r\n");
        assertSame("GET", "/a%41b/c;d=e@f:g", ClientRequest.Body.empty());
        // What the server never accepts (a handler in front may have rewritten it) still goes through URI's rules.
        assertThatThrownBy(() -> prepared("GET", "/a b", ClientRequest.Body.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldsAreValidatedAsABuilderValidatesThem() throws Exception {
        PreparedRequest p = new PreparedRequest(Route.of(BASE), BASE, "GET", "/", ClientRequest.Body.empty());
        assertThatThrownBy(() -> p.field("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a token");
        assertThatThrownBy(() -> p.field("X-A", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> p.field("Content-Length", "5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.field("transfer-encoding", "chunked")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFirstConnectionFieldIsNoted() throws Exception {
        PreparedRequest p = new PreparedRequest(Route.of(BASE), BASE, "GET", "/", ClientRequest.Body.empty());
        p.field("Accept", "*/*").field("connection", "close").field("Connection", "keep-alive");
        assertThat(p.connection).isEqualTo("close");
    }
}
