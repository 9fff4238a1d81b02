package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path parameters reach handlers through the public {@link Request} API only, raw and decoded, whatever
 * {@link Request.Wrapper} a filter puts around the request before or after routing. Over real sockets.
 */
class PathParamsTest {

    @TempDir
    static Path site;
    private static HttpServer server;

    /** Wraps every request, as a filter behind a proxy would, before the router has matched anything. */
    private static final Filter FORWARDED = (req, res, next) -> next.handle(new Request.Wrapper(req) {
        @Override
        public InetSocketAddress remoteAddress() {
            String client = req.header("X-Forwarded-For");
            return client == null ? req.remoteAddress() : new InetSocketAddress(client, 0);
        }
    }, res);

    /** Wraps the request after the router matched: it runs inside one route's handler. */
    private static final Filter AUDITED = (req, res, next) -> next.handle(new Request.Wrapper(req) {
        @Override
        public String header(String name) {
            return name.equals("X-Audited") ? "yes" : super.header(name);
        }
    }, res);

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(site.resolve("a b.txt"), "spaced");
        Router router = new Router()
                .filter(FORWARDED)
                .get("/users/{id}/files/*", PathParamsTest::describe)
                .get("/audited/{id}", AUDITED.then(PathParamsTest::describe))
                .get("/exact", PathParamsTest::describe)
                .mount("/static", StaticFiles.of(site));
        server = TestHttp.start(router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void describe(Request req, Response res) throws IOException {
        res.send("id=" + req.pathParam("id") + " rawId=" + req.rawPathParam("id")
                + " rest=" + req.pathParam("*") + " rawRest=" + req.rawPathParam(PathParams.REST)
                + " params=" + req.pathParams() + " names=" + req.pathParams().names()
                + " client=" + req.remoteAddress().getHostString() + " audited=" + req.header("X-Audited"));
    }

    private static WireResponse get(String target, String... fields) {
        try (HttpWire wire = HttpWire.connect(server)) {
            String head = "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", fields) + "\r\n";
            return wire.send(head).readResponse();
        }
    }

    @Test
    void handlerSeesEachValueDecodedAndAsSent() {
        String body = get("/users/J%C3%BCrgen/files/a%20b/c%2Fd").text();
        assertThat(body).startsWith("id=Jürgen rawId=J%C3%BCrgen rest=a b/c/d rawRest=a%20b/c%2Fd "
                + "params={id=Jürgen, *=a b/c/d} names=[id, *] ");
    }

    @Test
    void filterThatWrapsTheRequestBeforeRoutingKeepsThePathParams() {
        String body = get("/users/7/files/x", "X-Forwarded-For: 10.9.8.7\r\n").text();
        assertThat(body).contains("id=7 rawId=7 rest=x rawRest=x ")
                .as("the handler sees the filter's wrapper too").contains(" client=10.9.8.7 ");
    }

    @Test
    void filterThatWrapsTheRequestAfterRoutingKeepsThePathParams() {
        String body = get("/audited/a%2Bb").text();
        assertThat(body).startsWith("id=a+b rawId=a%2Bb rest=null rawRest=null params={id=a+b} ")
                .endsWith(" audited=yes");
    }

    @Test
    void exactRouteBindsNothing() {
        assertThat(get("/exact").text()).startsWith("id=null rawId=null rest=null rawRest=null params={} names=[] ");
    }

    @Test
    void staticFilesBehindAWrappingFilterServeTheRawRestOfTheMount() {
        assertThat(get("/static/a%20b.txt").text()).isEqualTo("spaced");
        assertThat(get("/static/x%2F..%2Fa%20b.txt").status()).as("an encoded slash in the rest").isEqualTo(400);
    }

    @Test
    void noneBindsNothing() {
        assertThat(PathParams.NONE.isEmpty()).isTrue();
        assertThat(PathParams.NONE.get("*")).isNull();
        assertThat(PathParams.NONE.raw("id")).isNull();
        assertThat(PathParams.NONE.names()).isEmpty();
        assertThat(PathParams.NONE).hasToString("{}");
    }

    @Test
    void valuesCompareByNameAndContent() {
        PathParams a = new PathParams(new String[] {"id"}, new String[] {"a%20b"}, new String[] {"a b"});
        PathParams b = new PathParams(new String[] {"id"}, new String[] {"a%20b"}, new String[] {"a b"});
        PathParams c = new PathParams(new String[] {"id"}, new String[] {"a+b"}, new String[] {"a+b"});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.get("id")).isEqualTo("a b");
        assertThat(a.raw("id")).isEqualTo("a%20b");
        assertThat(a.get("other")).isNull();
    }
}
