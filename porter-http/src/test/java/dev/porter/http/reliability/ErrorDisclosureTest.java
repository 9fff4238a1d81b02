package dev.porter.http.reliability;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client learns when things go wrong: a handler's exception becomes a bare 500 (no message, class name,
 * stack trace or file-system path), a parse error says which rule was broken and nothing of the server, and a
 * handler cannot split a response with CR/LF in a header (the attempt is refused before any byte is sent).
 */
class ErrorDisclosureTest {

    private static final String SECRET_PATH = "/home/porter/secret/config.properties";
    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        Router router = new Router()
                .get("/runtime", (req, res) -> {
                    throw new IllegalStateException("cannot read " + SECRET_PATH);
                })
                .get("/io", (req, res) -> {
                    throw new FileNotFoundException(SECRET_PATH + " (No such file or directory)");
                })
                .get("/unchecked", (req, res) -> {
                    throw new UncheckedIOException(new NoSuchFileException(SECRET_PATH));
                })
                .get("/split", (req, res) -> res.header("X-Name", req.query("v")).send("never sent"))
                .get("/split-name", (req, res) -> res.header("X-A\r\nSet-Cookie", "x").send("never sent"));
        server = HttpServer.start(HttpConfig.defaults(), router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void handlerExceptionsBecomeABare500() throws IOException {
        for (String path : new String[] {"/runtime", "/io", "/unchecked"}) {
            RawHttp.Reply reply = get(path);
            assertThat(reply.status()).as(path).isEqualTo(500);
            assertThat(reply.text()).as(path).isEqualTo("Internal Server Error\n");
        }
    }

    @Test
    void headerValuesWithLineBreaksCannotSplitAResponse() throws IOException {
        RawHttp.Reply reply = get("/split?v=a%0D%0ASet-Cookie:%20stolen=1");
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.fields()).doesNotContainKey("set-cookie").doesNotContainKey("x-name");
        assertThat(get("/split-name").fields()).doesNotContainKey("set-cookie");
    }

    @Test
    void parseErrorsNameTheRuleAndNothingElse() throws IOException {
        try (Socket s = RawHttp.connect(server.port())) {
            s.getOutputStream().write("GET /\u0001 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Reply reply = RawHttp.read(RawHttp.in(s));
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.text()).isEqualTo("invalid character in request-target\n");
        }
    }

    private static RawHttp.Reply get(String target) throws IOException {
        try (Socket s = RawHttp.connect(server.port())) {
            s.getOutputStream().write(RawHttp.get(target));
            RawHttp.Reply reply = RawHttp.read(RawHttp.in(s));
            assertThat(reply).isNotNull();
            String all = reply.text() + reply.fields();
            assertThat(all).doesNotContain(SECRET_PATH).doesNotContain("Exception").doesNotContain("\tat ")
                    .doesNotContain("dev.porter");
            return reply;
        }
    }
}
