package dev.porter.http;

import dev.porter.http.ClientRequest.Body;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redirects against Porter's server: every status, method rewriting, limits, and credentials across origins. */
class ClientRedirectTest {

    private static HttpServer origin;
    private static HttpServer other;
    private static HttpClient client;

    /** Reports what the request that arrived looked like. */
    private static void report(Request req, Response res) throws IOException {
        String body = req.bodyString();
        res.send(req.method() + " body=" + body + " auth=" + req.header("Authorization") + " cookie="
                + req.header("Cookie") + " type=" + req.header("Content-Type"));
    }

    private static Router redirects(String otherBase) {
        Router r = new Router();
        for (int code : new int[] {301, 302, 303, 307, 308}) {
            Handler redirect = (req, res) -> res.status(code).header("Location", "/target").send("moved");
            r.get("/r" + code, redirect).post("/r" + code, redirect).route("HEAD", "/r" + code, redirect);
        }
        r.get("/target", ClientRedirectTest::report).post("/target", ClientRedirectTest::report)
                .route("HEAD", "/target", (req, res) -> res.send(""));
        r.get("/away", (req, res) -> res.status(302).header("Location", otherBase + "/target").send(""));
        r.get("/home", (req, res) -> res.status(302).header("Location", "/target").send(""));
        r.get("/relative/deep", (req, res) -> res.status(301).header("Location", "../target").send(""));
        r.get("/shallow", (req, res) -> res.status(302).header("Location", "../../target").send(""));
        r.get("/dotted", (req, res) -> res.status(302).header("Location", "/a/./b/../../target").send(""));
        r.get("/loop", (req, res) -> res.status(302).header("Location", "/loop").send(""));
        r.get("/ftp", (req, res) -> res.status(301).header("Location", "ftp://127.0.0.1/").send(""));
        return r;
    }

    @BeforeAll
    static void start() throws IOException {
        other = HttpServer.start(HttpConfig.defaults(), new Router().get("/target", ClientRedirectTest::report));
        origin = HttpServer.start(HttpConfig.defaults(), redirects("http://127.0.0.1:" + other.port()));
        client = HttpClient.create();
    }

    @AfterAll
    static void stop() {
        client.close();
        origin.close();
        other.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + origin.port() + path;
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303})
    void changesPostToGetWithoutBody(int code) throws IOException {
        ClientRequest req = ClientRequest.builder("POST", url("/r" + code)).header("Content-Type", "text/plain")
                .body(Body.of("payload")).build();
        try (ClientResponse res = client.send(req)) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.uri().getPath()).isEqualTo("/target");
            assertThat(res.bodyString()).startsWith("GET body= ").contains("type=null");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void keepsMethodAndBody(int code) throws IOException {
        ClientRequest req = ClientRequest.builder("POST", url("/r" + code)).header("Content-Type", "text/plain")
                .body(Body.of("payload")).build();
        try (ClientResponse res = client.send(req)) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.bodyString()).startsWith("POST body=payload ").contains("type=text/plain");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void followsEveryKindForGetAndHead(int code) throws IOException {
        try (ClientResponse res = client.get(url("/r" + code))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.bodyString()).startsWith("GET ");
        }
        try (ClientResponse res = client.send(ClientRequest.head(url("/r" + code)))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.uri().getPath()).isEqualTo("/target");
        }
    }

    @Test
    void returnsA307WhoseStreamedBodyCannotBeSentAgain() throws IOException {
        ClientRequest req = ClientRequest.post(url("/r307"), Body.ofStream(new ByteArrayInputStream("once".getBytes())));
        try (ClientResponse res = client.send(req)) {
            assertThat(res.statusCode()).isEqualTo(307);
            assertThat(res.header("Location")).isEqualTo("/target");
        }
    }

    @Test
    void resolvesRelativeLocations() throws IOException {
        try (ClientResponse res = client.get(url("/relative/deep"))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.uri().getPath()).isEqualTo("/target");
        }
    }

    @Test
    void removesDotSegmentsFromTheLocationAsRfc3986Says() throws IOException {
        // RFC 3986 §5.2.2 and §5.2.4: ".." above the root is dropped ("../../target" from "/shallow" is "/target"),
        // and dot segments of an absolute path are removed too; a server such as nginx answers 400 to "/../target".
        for (String path : new String[] {"/shallow", "/dotted"}) {
            try (ClientResponse res = client.get(url(path))) {
                assertThat(res.uri().getRawPath()).as(path).isEqualTo("/target");
                assertThat(res.statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    @Test
    void aLocationWithRawUtf8OrSpacesIsPercentEncodedAsBrowsersDo() throws Exception {
        // Servers send Location: /ä as its UTF-8 bytes, and spaces unencoded; browsers and curl percent-encode them
        // (WHATWG URL). Read as Latin-1 the UTF-8 bytes became /%C3%83%C2%A4, and a space was a MalformedResponse.
        try (dev.porter.http.testing.RawServer raw = dev.porter.http.testing.RawServer.start(s -> {
            String head;
            while ((head = dev.porter.http.testing.RawServer.readHead(s.getInputStream())) != null) {
                String path = head.substring(4, head.indexOf(' ', 4));
                byte[] answer;
                if (path.startsWith("/from/")) {
                    byte[] location = switch (path) {
                        case "/from/utf8" -> "/\u00e4?q=\u20ac".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        case "/from/space" -> "/a b?q=c d".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        default -> "/%zz<x>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    };
                    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                    b.writeBytes("HTTP/1.1 302 Found\r\nContent-Length: 0\r\nLocation: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    b.writeBytes(location);
                    b.writeBytes("\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    answer = b.toByteArray();
                } else {
                    answer = ("HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path)
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                }
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
            }
        })) {
            try (ClientResponse res = client.get(raw.url("/from/utf8"))) {
                assertThat(res.bodyString()).isEqualTo("/%C3%A4?q=%E2%82%AC");
            }
            try (ClientResponse res = client.get(raw.url("/from/space"))) {
                assertThat(res.bodyString()).isEqualTo("/a%20b?q=c%20d");
            }
            try (ClientResponse res = client.get(raw.url("/from/other"))) {
                assertThat(res.bodyString()).isEqualTo("/%25zz%3Cx%3E");
            }
        }
    }

    @Test
    void dropsCredentialsWhenTheRedirectLeavesTheOrigin() throws IOException {
        ClientRequest away = ClientRequest.builder("GET", url("/away")).header("Authorization", "Bearer secret")
                .header("Cookie", "session=1").build();
        try (ClientResponse res = client.send(away)) {
            assertThat(res.uri().getPort()).isEqualTo(other.port());
            assertThat(res.bodyString()).contains("auth=null").contains("cookie=null");
        }
        ClientRequest home = ClientRequest.builder("GET", url("/home")).header("Authorization", "Bearer secret")
                .header("Cookie", "session=1").build();
        try (ClientResponse res = client.send(home)) {
            assertThat(res.bodyString()).contains("auth=Bearer secret").contains("cookie=session=1");
        }
    }

    @Test
    void stopsAtTheRedirectLimit() {
        try (HttpClient limited = HttpClient.create(ClientConfig.builder().maxRedirects(3).build())) {
            assertThatThrownBy(() -> limited.get(url("/loop")))
                    .isInstanceOf(HttpClientException.TooManyRedirects.class).hasMessageContaining("more than 3 redirects");
        }
    }

    @Test
    void returnsTheRedirectWhenNotFollowing() throws IOException {
        try (HttpClient manual = HttpClient.create(ClientConfig.builder().followRedirects(false).build());
             ClientResponse res = manual.get(url("/r301"))) {
            assertThat(res.statusCode()).isEqualTo(301);
            assertThat(res.bodyString()).isEqualTo("moved");
        }
    }

    @Test
    void redirectHopsReuseTheConnection() throws IOException {
        long before = origin.stats().accepted();
        try (HttpClient fresh = HttpClient.create()) {
            for (int i = 0; i < 5; i++) {
                try (ClientResponse res = fresh.get(url("/r302"))) {
                    assertThat(res.statusCode()).isEqualTo(200);
                }
            }
            assertThat(fresh.stats().connectionsOpened()).isEqualTo(1);
            assertThat(fresh.stats().exchanges()).isEqualTo(10);
        }
        assertThat(origin.stats().accepted() - before).isEqualTo(1);
    }

    @Test
    void refusesARedirectToASchemeWithoutATransport() {
        // (A redirect from http to https is followed: HttpsTest.)
        assertThatThrownBy(() -> client.get(url("/ftp"))).isInstanceOf(HttpClientException.UnsupportedScheme.class);
    }
}
