package dev.porter.http.h2;

import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.porter.http.h2.H2Assert.malformed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 to HTTP/1.1 request smuggling through the proxy: HPACK carries any octet, so a pseudo-header field with a
 * space or a CRLF, forwarded as the request line or Host of an HTTP/1.1 request, would make the backend read a
 * request the client chose. Each such request is malformed (RFC 9113 §8.3) and never reaches the backend.
 */
class Http2ProxySmugglingTest {

    private static final List<String> seen = new CopyOnWriteArrayList<>();
    private static HttpServer backend;
    private static ProxyHandler proxy;
    private static HttpServer server;

    @BeforeAll
    static void start() {
        backend = TestHttp.start((req, res) -> {
            seen.add(req.method() + " " + req.target() + " host=" + req.header("Host"));
            res.send("ok");
        });
        proxy = ProxyHandler.of(ProxyConfig.builder("http://127.0.0.1:" + backend.port()).build());
        server = TestHttp.start(proxy);
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    @AfterAll
    static void stop() {
        server.close();
        proxy.close();
        backend.close();
    }

    private static int send(H2Client c, String... fields) {
        int id = c.newStream();
        c.headers(id, true, fields);
        return id;
    }

    @Test
    void aMethodCarryingARequestLineIsNeverForwarded() {
        try (H2Client c = H2Client.connect(server)) {
            malformed(c, send(c, ":method", "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\nGET", ":scheme", "http",
                    ":authority", "localhost", ":path", "/x"));
            malformed(c, send(c, ":method", "GET /smuggled", ":scheme", "http", ":authority", "localhost", ":path", "/x"));
            assertThat(c.get("/after").status()).isEqualTo(200);
        }
        assertThat(seen).as("requests the backend read").noneMatch(s -> s.contains("smuggled")).hasSize(1);
    }

    @Test
    void anAuthorityOrHostThatIsNoHostIsNeverForwarded() {
        try (H2Client c = H2Client.connect(server)) {
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "a b", ":path", "/x"));
            malformed(c, send(c, ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", "/x",
                    "host", "other.test"));
        }
        assertThat(seen).isEmpty();
    }
}
