package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keep-alive connection reuses its request, response and head objects (and the strings of a repeated head) for
 * every request: nothing of one exchange may show in the next. Each test sends several requests on one connection,
 * the later ones differing from the earlier in what a reused object would carry over.
 */
class ConnectionReuseTest {

    private static HttpServer server;

    @BeforeAll
    static void start() {
        Router router = new Router()
                .get("/custom", (req, res) -> res.status(201).header("X-Custom", "yes").send("custom"))
                .get("/nothing", (req, res) -> { })
                .get("/q", (req, res) -> res.send(req.path() + " a=" + req.query("a") + " raw=" + req.rawQuery()))
                .get("/v", (req, res) -> res.send("v=" + req.header("X-V") + " host=" + req.header("Host")))
                .get("/users/{id}", (req, res) -> res.send("user " + req.pathParam("id")))
                .post("/len", (req, res) -> res.send(req.bodyString().length() + " bytes"))
                .get("/len", (req, res) -> res.send(req.bodyString().length() + " bytes"))
                .get("/stream", (req, res) -> {
                    try (var out = res.stream()) {
                        out.write("streamed".getBytes());
                    }
                });
        server = TestHttp.start(router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Test
    void aResponseLeavesNoStatusHeaderOrFramingToTheNext() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse first = wire.send(get("/custom")).readResponse();
            assertThat(first.status()).isEqualTo(201);
            assertThat(first.header("X-Custom")).isEqualTo("yes");
            WireResponse chunked = wire.send(get("/stream")).readResponse();
            assertThat(chunked.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(chunked.text()).isEqualTo("streamed");
            WireResponse second = wire.send(get("/nothing")).readResponse();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.has("X-Custom")).isFalse();
            assertThat(second.has("Transfer-Encoding")).isFalse();
            assertThat(second.header("Content-Length")).isEqualTo("0");
        }
    }

    @Test
    void aHeadOrHttp10RequestDoesNotShapeTheNextResponse() {
        try (HttpWire wire = HttpWire.connect(server)) {
            WireResponse head = wire.send("HEAD /custom HTTP/1.1\r\nHost: x\r\n\r\n").readResponse(true);
            assertThat(head.header("Content-Length")).isEqualTo("6");
            assertThat(wire.send(get("/custom")).readResponse().text()).isEqualTo("custom");
            WireResponse old = wire.send("GET /custom HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
            assertThat(old.header("Connection")).isEqualTo("keep-alive");
            WireResponse again = wire.send(get("/custom")).readResponse();
            assertThat(again.has("Connection")).as("an HTTP/1.1 response persists silently").isFalse();
        }
    }

    @Test
    void aRepeatedTargetOrFieldIsReadAfreshWhenItsBytesChange() {
        try (HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send(get("/q?a=1")).readResponse().text()).isEqualTo("/q a=1 raw=a=1");
            assertThat(wire.send(get("/q?a=1")).readResponse().text()).isEqualTo("/q a=1 raw=a=1");
            assertThat(wire.send(get("/q?a=2")).readResponse().text()).isEqualTo("/q a=2 raw=a=2");
            assertThat(wire.send(get("/q")).readResponse().text()).isEqualTo("/q a=null raw=null");
            // Same length, same position, other bytes: the value (and the name, unknown to the parser) are new.
            assertThat(wire.send("GET /v HTTP/1.1\r\nHost: x\r\nX-V: aaa\r\n\r\n").readResponse().text())
                    .isEqualTo("v=aaa host=x");
            assertThat(wire.send("GET /v HTTP/1.1\r\nHost: y\r\nX-V: bbb\r\n\r\n").readResponse().text())
                    .isEqualTo("v=bbb host=y");
            assertThat(wire.send("GET /v HTTP/1.1\r\nHost: y\r\nX-W: bbb\r\n\r\n").readResponse().text())
                    .isEqualTo("v=null host=y");
            assertThat(wire.send("GET /v HTTP/1.1\r\nX-V: ccc\r\nHost: z\r\n\r\n").readResponse().text())
                    .isEqualTo("v=ccc host=z");
            assertThat(wire.send(get("/users/7")).readResponse().text()).isEqualTo("user 7");
            assertThat(wire.send(get("/users/8")).readResponse().text()).isEqualTo("user 8");
        }
    }

    @Test
    void aBodyIsNotSeenByTheNextRequestWithoutOne() {
        try (HttpWire wire = HttpWire.connect(server)) {
            String post = "POST /len HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
            assertThat(wire.send(post).readResponse().text()).isEqualTo("5 bytes");
            assertThat(wire.send(get("/len")).readResponse().text()).isEqualTo("0 bytes");
            assertThat(wire.send(post).readResponse().text()).isEqualTo("5 bytes");
        }
    }
}
