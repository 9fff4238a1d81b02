package dev.porter.http.testing;

import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Router;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The routes porter-http's server tests send their requests to. The paths are those of {@code porter demo}, so a
 * test reads like a request to it, but each is answered in the plainest way: these tests need an answer, a body
 * read through the server's framing, and the header fields as parsed, not the demo app's behaviour. The demo app
 * itself ({@code dev.porter.examples.DemoApp}: content types, large bodies streamed back) is tested with real
 * clients in the examples module, which can depend on it.
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!} (13 bytes)</li>
 *   <li>{@code GET /json}: {@code {"message":"Hello, World!"}} (27 bytes)</li>
 *   <li>{@code GET /}: one line of text</li>
 *   <li>{@code POST /}: the body back, read whole if its length is declared, streamed back if it is chunked</li>
 *   <li>{@code POST /echo}: the header fields received, one per line as {@code Name: Value}</li>
 * </ul>
 */
public final class TestRoutes {

    private TestRoutes() {
    }

    /** @return a fresh router with the routes above; tests add their own */
    public static Router router() {
        return new Router()
                .get("/plaintext", (req, res) -> res.send("Hello, World!"))
                .get("/json", (req, res) -> res.contentType("application/json").send("{\"message\":\"Hello, World!\"}"))
                .get("/", (req, res) -> res.send("porter-http test routes\n"))
                .post("/", TestRoutes::echoBody)
                .post("/echo", (req, res) -> {
                    StringBuilder sb = new StringBuilder();
                    req.headers().forEach((name, value) -> sb.append(name).append(": ").append(value).append('\n'));
                    res.send(sb.toString());
                });
    }

    private static void echoBody(Request req, Response res) throws IOException {
        if (req.contentLength() >= 0) {
            res.send(req.body().readAllBytes());
            return;
        }
        // Chunked in, chunked out: the answer starts while the body is still being read.
        try (OutputStream out = res.stream()) {
            req.body().transferTo(out);
        }
    }
}
