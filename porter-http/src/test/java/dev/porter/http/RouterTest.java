package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link Router} and the {@link Request} views it hands to handlers, over real sockets. */
class RouterTest {

    private static final List<String> trace = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    @BeforeAll
    static void start() {
        Router router = new Router()
                .filter((req, res, next) -> {
                    trace.add("outer>" + req.path());
                    res.header("X-Outer", "1");
                    next.handle(req, res);
                    trace.add("outer<" + res.status().code());
                })
                .filter((req, res, next) -> {
                    if (req.path().startsWith("/admin") && !"secret".equals(req.header("Authorization"))) {
                        res.send(Status.UNAUTHORIZED, "no\n");
                        return;
                    }
                    next.handle(req, res);
                })
                .get("/users/{id}", (req, res) -> res.send("user " + req.pathParam("id")))
                .get("/users/{id}/posts/{post}", (req, res) -> res.send(req.pathParam("id") + "/" + req.pathParam("post")))
                .get("/users/me", (req, res) -> res.send("me"))
                .put("/users/{id}", (req, res) -> res.send("put " + req.pathParam("id")))
                .delete("/users/{id}", (req, res) -> res.send("deleted"))
                .get("/files/*", (req, res) -> res.send("file " + req.pathParam("*")))
                .patch("/patch", (req, res) -> res.send("patched"))
                .route("PROPFIND", "/dav", (req, res) -> res.send("dav"))
                .get("/admin", (req, res) -> res.send("admin"))
                .get("/echo", RouterTest::echo)
                .post("/echo", RouterTest::echo)
                .post("/echo/{name}", RouterTest::echo);
        server = TestHttp.start(router);
    }

    private static void echo(Request req, Response res) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("method=").append(req.method()).append('\n');
        sb.append("target=").append(req.target()).append('\n');
        sb.append("path=").append(req.path()).append('\n');
        sb.append("rawPath=").append(req.rawPath()).append('\n');
        sb.append("rawQuery=").append(req.rawQuery()).append('\n');
        for (Map.Entry<String, List<String>> e : req.queryParams().entrySet()) {
            sb.append("q:").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        sb.append("version=").append(req.version()).append('\n');
        sb.append("x-mixed=").append(req.header("x-MIXED-case")).append('\n');
        sb.append("remote=").append(req.remoteAddress().getAddress().getHostAddress()).append('\n');
        sb.append("length=").append(req.contentLength()).append('\n');
        sb.append("body=").append(req.bodyString()).append('\n');
        res.send(sb.toString());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WireResponse send(String method, String target) {
        try (HttpWire wire = HttpWire.connect(server)) {
            return wire.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse("HEAD".equals(method));
        }
    }

    @Test
    void bindsAndDecodesPathParameters() {
        assertThat(send("GET", "/users/42").text()).isEqualTo("user 42");
        assertThat(send("GET", "/users/J%C3%BCrgen%20K").text()).isEqualTo("user Jürgen K");
        assertThat(send("GET", "/users/7/posts/9").text()).isEqualTo("7/9");
    }

    @Test
    void prefersAnExactPathOverAPattern() {
        assertThat(send("GET", "/users/me").text()).isEqualTo("me");
    }

    @Test
    void bindsTheRestOfThePathToTheWildcard() {
        assertThat(send("GET", "/files/a/b/c.txt").text()).isEqualTo("file a/b/c.txt");
        assertThat(send("GET", "/files/").text()).isEqualTo("file ");
    }

    @Test
    void answers404WhenNoRouteMatchesThePath() {
        assertThat(send("GET", "/nowhere").status()).isEqualTo(404);
        assertThat(send("GET", "/users/").status()).as("an empty segment binds nothing").isEqualTo(404);
        assertThat(send("GET", "/users/1/2").status()).isEqualTo(404);
    }

    @Test
    void answers405WithAllowWhenTheMethodDoesNotMatch() {
        WireResponse r = send("POST", "/users/42");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, PUT, DELETE, HEAD, OPTIONS");
        assertThat(send("DELETE", "/patch").header("Allow")).isEqualTo("PATCH, OPTIONS");
    }

    @Test
    void answers501ForAMethodNoRouteKnows() {
        assertThat(send("MKCOL", "/users/42").status()).isEqualTo(501);
        assertThat(send("PROPFIND", "/dav").text()).as("a routed extension method works").isEqualTo("dav");
        assertThat(send("PROPFIND", "/users/42").status()).as("known to the router, not here").isEqualTo(405);
    }

    @Test
    void answersOptionsAutomaticallyWithAllow() {
        WireResponse r = send("OPTIONS", "/users/42");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Allow")).isEqualTo("GET, PUT, DELETE, HEAD, OPTIONS");
        assertThat(r.header("Content-Length")).isEqualTo("0");
    }

    @Test
    void answersServerWideOptionsForTheAsterisk() {
        WireResponse r = send("OPTIONS", "*");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Allow")).contains("GET", "PUT", "DELETE", "PATCH", "PROPFIND", "POST", "HEAD", "OPTIONS");
    }

    @Test
    void answers405ForTheAsteriskWithAnyOtherMethod() {
        WireResponse r = send("GET", "*");
        assertThat(r.status()).as("RFC 9112 §3.2.4: * only means something to OPTIONS").isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("OPTIONS");
    }

    @Test
    void answersHeadWithTheGetHandlersHeaders() {
        WireResponse get = send("GET", "/users/42");
        WireResponse head = send("HEAD", "/users/42");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
        assertThat(send("HEAD", "/users/me").header("Content-Length")).isEqualTo("2");
    }

    @Test
    void runsFiltersInOrderAroundEveryRequestIncluding404() {
        trace.clear();
        WireResponse ok = send("GET", "/users/1");
        WireResponse missing = send("GET", "/missing");
        assertThat(ok.header("X-Outer")).isEqualTo("1");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(trace).containsExactly("outer>/users/1", "outer<200", "outer>/missing");
    }

    @Test
    void letsAFilterAnswerInsteadOfTheHandler() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse denied = wire.send("GET /admin HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.header("X-Outer")).isEqualTo("1");
            WireResponse allowed = wire.send("GET /admin HTTP/1.1\r\nHost: x\r\nAuthorization: secret\r\n\r\n").readResponse();
            assertThat(allowed.text()).isEqualTo("admin");
        }
    }

    @Test
    void decodesQueryParameters() {
        String body = send("GET", "/echo?a=1&b=x+y&c=%E2%82%AC&a=2&flag&=v&d=").text();
        assertThat(body).contains("q:a=[1, 2]\n", "q:b=[x y]\n", "q:c=[€]\n", "q:flag=[]\n", "q:d=[]\n");
        assertThat(body).contains("rawQuery=a=1&b=x+y&c=%E2%82%AC&a=2&flag&=v&d=\n");
    }

    @Test
    void answers400ForMalformedPercentEncoding() {
        assertThat(send("GET", "/echo?a=%zz").status()).isEqualTo(400);
        assertThat(send("GET", "/users/%zz").status()).as("Request.path() (called by a filter) cannot decode it").isEqualTo(400);
    }

    @Test
    void exposesTheRequestAsReceived() {
        try (HttpWire wire = HttpWire.connect(server)) {
            String body = wire.send("POST /echo/a%20b?q=1 HTTP/1.1\r\nHost: x\r\nX-Mixed-Case: yes\r\nContent-Length: 4\r\n\r\nbody")
                    .readResponse().text();
            assertThat(body).isEqualTo("""
                    method=POST
                    target=/echo/a%20b?q=1
                    path=/echo/a b
                    rawPath=/echo/a%20b
                    rawQuery=q=1
                    q:q=[1]
                    version=HTTP/1.1
                    x-mixed=yes
                    remote=127.0.0.1
                    length=4
                    body=body
                    """);
        }
    }

    @Test
    void routesAnAbsoluteFormTargetByItsPath() {
        String body = send("GET", "http://example.com/echo?x=1").text();
        assertThat(body).contains("path=/echo\n", "q:x=[1]\n", "target=http://example.com/echo?x=1\n");
        assertThat(send("GET", "http://example.com").status()).as("an empty path is /").isEqualTo(404);
    }

    @Test
    void dropsAFragmentFromTheTarget() {
        String body = send("GET", "/echo?x=1#frag").text();
        assertThat(body).contains("path=/echo\n", "rawQuery=x=1\n");
    }

    @Test
    void refusesMalformedRoutes() {
        Router r = new Router();
        assertThatThrownBy(() -> r.get("users", (req, res) -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.get("/a/*/b", (req, res) -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.route("GE T", "/", (req, res) -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.route("GET", "/", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesARouteThatCouldNeverBeReached() {
        // Each of these was accepted and then silently answered by another route, or by none.
        Handler h = (req, res) -> { };
        assertThatThrownBy(() -> new Router().get("/dup", h).get("/dup", h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /dup");
        assertThatThrownBy(() -> new Router().get("/u/{a}", h).get("/u/{b}", h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /u/{b}");
        assertThatThrownBy(() -> new Router().mount("/s", h).get("/s/*", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().mountAll("/p", h).mountAll("/p/", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().get("/u/{}", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().get("/u/{a}/{a}", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().get("/search?q", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().get("/page#top", h)).isInstanceOf(IllegalArgumentException.class);
        // The same path for other methods, and a GET route beside an every-method mount, are no duplicates.
        new Router().get("/dup", h).post("/dup", h).get("/u/{a}", h).put("/u/{b}", h).get("/p/*", h).mountAll("/p/", h);
    }

    @Test
    void matchesALiteralWithSpacesOrNonAsciiAsClientsSendIt() {
        // A request target holds such characters percent-encoded (RFC 3986 §2.1), as curl and browsers send them.
        Router r = new Router().get("/café", (req, res) -> res.send("exact"))
                .get("/über/{x}", (req, res) -> res.send("pattern " + req.pathParam("x")))
                .get("/a b", (req, res) -> res.send("space"))
                .get("/pre%20encoded", (req, res) -> res.send("as written"));
        try (HttpServer s = TestHttp.start(r); HttpWire wire = HttpWire.connect(s)) {
            assertThat(wire.send("GET /caf%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("exact");
            assertThat(wire.send("GET /%C3%BCber/1 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("pattern 1");
            assertThat(wire.send("GET /a%20b HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("space");
            assertThat(wire.send("GET /pre%20encoded HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("as written");
        }
    }

    @Test
    void matchesPercentEncodingWhateverTheCaseOfItsHexDigits() {
        // RFC 3986 §2.1: "%2f" and "%2F" are equivalent; §6.2.2.1 normalises them to upper case. Python's quote() and
        // many hand-written clients send lower case; a route must not miss them (a 404 for the same resource).
        Router r = new Router().get("/café", (req, res) -> res.send("exact"))
                .get("/caf%c3%a9s", (req, res) -> res.send("written lower"))
                .get("/über/{x}", (req, res) -> res.send("pattern " + req.rawPathParam("x") + " " + req.pathParam("x")))
                .mount("/d%C3%A9p%C3%B4t/", (req, res) -> res.send("mounted " + req.pathParam("*")))
                .get("/Upper", (req, res) -> res.send("upper"));
        try (HttpServer s = TestHttp.start(r); HttpWire wire = HttpWire.connect(s)) {
            assertThat(wire.send("GET /caf%c3%a9 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("exact");
            assertThat(wire.send("GET /caf%C3%a9 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("exact");
            assertThat(wire.send("GET /caf%C3%A9s HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("written lower");
            assertThat(wire.send("GET /%c3%bcber/%c3%a9 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text())
                    .as("the bound value stays as sent").isEqualTo("pattern %c3%a9 é");
            assertThat(wire.send("GET /d%c3%a9p%c3%b4t/x HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("mounted x");
            // Only the escapes' hex digits: a path's own letters stay case-sensitive (RFC 3986 §6.2.2.1).
            assertThat(wire.send("GET /upper HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(404);
            assertThat(wire.send("GET /caf%C3%A9S HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(404);
        }
    }

    @Test
    void refusesAMethodTheParserWouldAnswer501() {
        // The request parser answers 501 to a method token over 24 characters, so such a route could never match.
        Router r = new Router();
        r.route("UPDATEREDIRECTREF", "/", (req, res) -> { });
        assertThatThrownBy(() -> r.route("M".repeat(25), "/", (req, res) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24");
    }

    @Test
    void mountAllTakesEveryMethodUnderItsPrefixAndLeavesOtherPathsAlone() {
        Router r = new Router().get("/p/exact", (req, res) -> res.send("exact"))
                .mountAll("/p/", (req, res) -> res.send(req.method() + " " + req.pathParam("*")));
        try (HttpServer s = TestHttp.start(r); HttpWire wire = HttpWire.connect(s)) {
            assertThat(wire.send("PURGE /p/a/b HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("PURGE a/b");
            assertThat(wire.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").readResponse().text()).isEqualTo("POST ");
            assertThat(wire.send("GET /p/exact HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("exact");
            assertThat(wire.send("PURGE /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(404);
        }
        assertThatThrownBy(() -> new Router().mountAll("p/", (req, res) -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
