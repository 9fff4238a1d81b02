package dev.porter.http.proxy;

import dev.porter.http.Handler;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.Request;
import dev.porter.http.Router;
import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header rules of the proxy, checked on the wire: a raw backend records the bytes the proxy sent, and raw
 * responses show what the proxy passes back. RFC 9110 §7.6.1 (hop-by-hop fields), §7.6.2 (Max-Forwards), §7.6.3
 * (Via); RFC 7239 (Forwarded) and the X-Forwarded-* fields.
 */
class ProxyHeadersTest {

    private RecordingBackend backend;
    private HttpServer server;
    private ProxyHandler proxy;

    private WireResponse through(ProxyConfig.Builder config, String request) throws IOException {
        proxy = ProxyHandler.of(config.build());
        server = TestHttp.start(proxy);
        try (HttpWire wire = HttpWire.connect(server)) {
            return wire.send(request).readResponse();
        }
    }

    private RecordingBackend.Received only() {
        assertThat(backend.received()).hasSize(1);
        return backend.received().get(0);
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
        if (proxy != null) proxy.close();
        if (backend != null) backend.close();
    }

    @Test
    void s7_6_1_hopByHopFieldsAndThoseNamedInConnectionAreNotForwarded() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("hi"));
        WireResponse r = through(ProxyConfig.builder(backend.url()), "GET /a?b=1 HTTP/1.1\r\nHost: site.example\r\n"
                + "Connection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-T\r\nUpgrade: websocket\r\n"
                + "X-End-To-End: kept\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        RecordingBackend.Received got = only();
        assertThat(got.requestLine()).isEqualTo("GET /a?b=1 HTTP/1.1");
        for (String hop : new String[] {"X-Secret-Hop", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade"}) {
            assertThat(got.has(hop)).as(hop).isFalse();
        }
        assertThat(got.field("Connection")).as("Connection (the client engine's own, if any)").isNotEqualTo("keep-alive, X-Secret-Hop");
        assertThat(got.field("X-End-To-End")).isEqualTo("kept");
        assertThat(got.field("Host")).as("Host is preserved").isEqualTo("site.example");
    }

    /**
     * RFC 9112 §3.2.2: a proxy that receives an absolute-form target must ignore the received Host and generate one
     * from the target's authority (userinfo excluded); the forwarded fields name the same host.
     */
    @Test
    void s3_2_2_anAbsoluteFormTargetsAuthorityReplacesTheReceivedHost() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("hi"));
        WireResponse r = through(ProxyConfig.builder(backend.url()),
                "GET http://user@app.example:8080/a?b=1 HTTP/1.1\r\nHost: other.example\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        RecordingBackend.Received got = only();
        assertThat(got.requestLine()).isEqualTo("GET /a?b=1 HTTP/1.1");
        assertThat(got.field("Host")).isEqualTo("app.example:8080");
        assertThat(got.field("X-Forwarded-Host")).isEqualTo("app.example:8080");
        assertThat(got.field("Forwarded")).contains("host=\"app.example:8080\"");
    }

    /**
     * What Porter's server accepts in a target (visible ASCII, docs/http.md: {@code |}, {@code {}}, {@code ^}, a
     * malformed {@code %} escape, as browsers send them in queries) reaches the backend byte for byte, as nginx
     * forwards it: the backend decides about its own resources, the proxy neither refuses nor rewrites them.
     */
    @Test
    void aTargetPortersServerAcceptedGoesToTheBackendAsItCame() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("hi"));
        String target = "/a|b{c}/%2e%2e/../d?q={\"k\":[1,2]}^`|x&bad=%ZZ";
        WireResponse r = through(ProxyConfig.builder(backend.url()), "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(only().requestLine()).isEqualTo("GET " + target + " HTTP/1.1");
    }

    /**
     * A target HTTP/1.1 cannot carry (a filter in front may rewrite the path into one; Porter's own servers refuse
     * such targets, over HTTP/2 too) is a 400 whose line does not name the backend.
     */
    @Test
    void aRequestThatCannotBeForwardedIs400WithoutTheBackendsAddress() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("hi"));
        proxy = ProxyHandler.of(ProxyConfig.builder(backend.url()).build());
        Handler spaced = (req, res) -> proxy.handle(new Request.Wrapper(req) {
            @Override
            public String rawPath() {
                return "/a b";
            }
        }, res);
        server = TestHttp.start(spaced);
        WireResponse r;
        try (HttpWire wire = HttpWire.connect(server)) {
            r = wire.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
        }
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("Bad Request: the request cannot be forwarded\n");
        assertThat(backend.received()).isEmpty();
    }

    /** RFC 9112 §3.2.4: OPTIONS for the server as a whole ("*") is forwarded as such, not as OPTIONS of "/". */
    @Test
    void s3_2_4_optionsAsteriskIsForwardedInAsteriskForm() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok(""));
        WireResponse r = through(ProxyConfig.builder(backend.url()), "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(only().requestLine()).isEqualTo("OPTIONS * HTTP/1.1");
    }

    @Test
    void s7_6_1_hopByHopFieldsOfTheResponseAreNotPassedBack() throws IOException {
        backend = RecordingBackend.answering("HTTP/1.1 200 OK\r\nConnection: X-Backend-Hop\r\nX-Backend-Hop: 1\r\n"
                + "Keep-Alive: timeout=5\r\nTrailer: X-T\r\nUpgrade: h2c\r\nProxy-Connection: keep-alive\r\n"
                + "X-App: yes\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: 1\r\n\r\n");
        WireResponse r = through(ProxyConfig.builder(backend.url()), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("ok");
        for (String hop : new String[] {"X-Backend-Hop", "Keep-Alive", "Trailer", "Upgrade", "Proxy-Connection"}) {
            assertThat(r.has(hop)).as(hop).isFalse();
        }
        assertThat(r.header("X-App")).isEqualTo("yes");
    }

    @Test
    void theBackendsFieldsCrossOnceAsSentWithItsDateAndServerInsteadOfTheProxys() throws IOException {
        // The head is relayed as bytes: lower-case names, a listed name in another case, OWS around a value.
        backend = RecordingBackend.answering("HTTP/1.1 200 OK\r\nserver: backend/1\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT"
                + "\r\nconnection: keep-alive, X-HOP\r\nx-hop: 1\r\nX-Spaced: \t a  b \t\r\nSet-Cookie: a=1\r\n"
                + "Set-Cookie: b=2\r\ncontent-length: 2\r\n\r\nok");
        WireResponse r = through(ProxyConfig.builder(backend.url()), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("OK");
        assertThat(r.text()).isEqualTo("ok");
        assertThat(r.headers("Server")).containsExactly("backend/1");
        assertThat(r.headers("Date")).containsExactly("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(r.has("X-Hop")).isFalse();
        assertThat(r.header("X-Spaced")).isEqualTo("a  b");
        assertThat(r.headers("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(r.headers("Content-Length")).containsExactly("2");
        assertThat(r.header("Via")).isEqualTo("1.1 porter");
    }

    @Test
    void anUnusualReasonPhraseCrossesAsSent() throws IOException {
        backend = RecordingBackend.answering("HTTP/1.1 404 Gone Fishing\r\nContent-Length: 0\r\n\r\n");
        WireResponse r = through(ProxyConfig.builder(backend.url()), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.reason()).isEqualTo("Gone Fishing");
    }

    @Test
    void s7_6_3_viaIsAppendedBothWays() throws IOException {
        backend = RecordingBackend.answering("HTTP/1.1 200 OK\r\nVia: 1.1 cache\r\nContent-Length: 0\r\n\r\n");
        WireResponse r = through(ProxyConfig.builder(backend.url()).via("edge"),
                "GET / HTTP/1.1\r\nHost: x\r\nVia: 1.0 first, 1.1 second\r\n\r\n");
        assertThat(only().field("Via")).isEqualTo("1.0 first, 1.1 second, 1.1 edge");
        assertThat(r.header("Via")).isEqualTo("1.1 cache, 1.1 edge");
    }

    @Test
    void forwardedFieldsFromAnUntrustedPeerAreReplaced() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok(""));
        through(ProxyConfig.builder(backend.url()), "GET / HTTP/1.1\r\nHost: app.example:8080\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n"
                + "Forwarded: for=6.6.6.6\r\n\r\n");
        RecordingBackend.Received got = only();
        assertThat(got.field("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(got.field("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(got.field("X-Forwarded-Host")).isEqualTo("app.example:8080");
        // RFC 7239 §4: a host with a port is no token, so it is quoted.
        assertThat(got.field("Forwarded")).isEqualTo("for=127.0.0.1;host=\"app.example:8080\";proto=http");
        assertThat(got.head()).doesNotContain("6.6.6.6").doesNotContain("evil.example");
    }

    @Test
    void forwardedFieldsFromATrustedPeerAreKeptAndAppendedTo() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok(""));
        through(ProxyConfig.builder(backend.url()).trustedProxy("127.0.0.0/8"), "GET / HTTP/1.1\r\nHost: inner\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: app.example\r\n"
                + "Forwarded: for=203.0.113.7;proto=https\r\n\r\n");
        RecordingBackend.Received got = only();
        assertThat(got.field("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(got.field("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(got.field("X-Forwarded-Host")).isEqualTo("app.example");
        assertThat(got.field("Forwarded")).isEqualTo("for=203.0.113.7;proto=https, for=127.0.0.1;host=inner;proto=http");
    }

    @Test
    void anIpv6ClientIsForwardedInItsShortFormBracketedInForwarded() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("hi"));
        proxy = ProxyHandler.of(ProxyConfig.builder(backend.url()).build());
        server = HttpServer.start(HttpConfig.builder().host("::1").port(0).build(), proxy);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("::1", server.port()), 10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        }
        // RFC 5952 §4 as nginx writes $remote_addr (not the JDK's 0:0:0:0:0:0:0:1); RFC 7239 §6 brackets and quotes it.
        assertThat(only().field("X-Forwarded-For")).isEqualTo("::1");
        assertThat(only().field("Forwarded")).startsWith("for=\"[::1]\";");
    }

    @Test
    void aTrustedRangeThatDoesNotHoldThePeerIsNotTrusted() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok(""));
        through(ProxyConfig.builder(backend.url()).trustedProxy("10.0.0.0/8").trustedProxy("::1"),
                "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n");
        assertThat(only().field("X-Forwarded-For")).isEqualTo("127.0.0.1");
    }

    @Test
    void hostIsTheBackendsWhenNotPreserved() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok(""));
        through(ProxyConfig.builder(backend.url()).preserveHost(false), "GET / HTTP/1.1\r\nHost: public.example\r\n\r\n");
        assertThat(only().field("Host")).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(only().field("X-Forwarded-Host")).isEqualTo("public.example");
    }

    @Test
    void s7_6_2_maxForwardsIsDecrementedAndZeroIsAnsweredByTheProxy() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok(""));
        WireResponse r = through(ProxyConfig.builder(backend.url()), "OPTIONS / HTTP/1.1\r\nHost: x\r\nMax-Forwards: 3\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(only().field("Max-Forwards")).isEqualTo("2");
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse last = wire.send("OPTIONS / HTTP/1.1\r\nHost: x\r\nMax-Forwards: 0\r\n\r\n").readResponse();
            assertThat(last.status()).isEqualTo(200);
            WireResponse trace = wire.send("TRACE / HTTP/1.1\r\nHost: x\r\nMax-Forwards: 0\r\n\r\n").readResponse();
            assertThat(trace.status()).isEqualTo(405);
        }
        assertThat(backend.received()).as("requests with Max-Forwards: 0 stay at the proxy").hasSize(1);
    }

    @Test
    void theFramingIsTheProxysOwn() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok(""));
        proxy = ProxyHandler.of(ProxyConfig.builder(backend.url()).build());
        server = TestHttp.start(proxy);
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            assertThat(wire.readResponse().status()).as("the proxy's own 100 Continue").isEqualTo(100);
            assertThat(wire.send("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
        RecordingBackend.Received got = only();
        assertThat(new String(got.body())).isEqualTo("abcde");
        assertThat(got.has("Expect")).as("the expectation was met by the proxy").isFalse();
    }

    @Test
    void aMountedProxyStripsItsPrefixAndTakesEveryMethod() throws IOException {
        backend = RecordingBackend.answering(RecordingBackend.ok("proxied"));
        proxy = ProxyHandler.of(ProxyConfig.builder(backend.url()).stripPrefix("/api").build());
        server = TestHttp.start(new Router().get("/", (req, res) -> res.send("home")).mountAll("/api/", proxy));
        try (HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("home");
            assertThat(wire.send("DELETE /api/users/7?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("proxied");
            assertThat(wire.send("PURGE /api HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
        assertThat(backend.received()).extracting(RecordingBackend.Received::requestLine)
                .containsExactly("DELETE /users/7?x=1 HTTP/1.1", "PURGE / HTTP/1.1");
    }

    @Test
    void theStrippedPrefixMatchesPercentEscapesInEitherCaseAsTheRouterDoes() throws IOException {
        // The Router matches /d%c3%a9p%c3%b4t/ to a mount at /d%C3%A9p%C3%B4t/ (RFC 3986 §6.2.2.1); the prefix must
        // then be stripped too, not forwarded whole to a backend that knows nothing of it.
        backend = RecordingBackend.answering(RecordingBackend.ok("proxied"));
        proxy = ProxyHandler.of(ProxyConfig.builder(backend.url()).stripPrefix("/d%C3%A9p%C3%B4t").build());
        server = TestHttp.start(new Router().mountAll("/d%C3%A9p%C3%B4t/", proxy));
        try (HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send("GET /d%c3%a9p%c3%b4t/a%2fb HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("proxied");
            assertThat(wire.send("GET /d%C3%A9p%C3%B4t HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("proxied");
        }
        assertThat(backend.received()).extracting(RecordingBackend.Received::requestLine)
                .containsExactly("GET /a%2fb HTTP/1.1", "GET / HTTP/1.1");
    }
}
