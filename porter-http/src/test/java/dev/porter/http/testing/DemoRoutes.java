package dev.porter.http.testing;

import dev.porter.http.Headers;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The routes of {@code dev.porter.examples.DemoApp} ({@code porter demo}), rebuilt here because the examples
 * module depends on this one and so cannot be used by its tests. Keep the two in step: the conformance vectors
 * and the wrk run use this router as "the demo server".
 */
public final class DemoRoutes {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROOT = "Porter demo: try /plaintext, /json, POST / or POST /echo\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SMALL_BODY = 64 * 1024;

    private DemoRoutes() {
    }

    /** @return a fresh router with the demo routes */
    public static Router router() {
        return new Router()
                .get("/plaintext", (req, res) -> res.contentType("text/plain").send(HELLO))
                .get("/json", (req, res) -> res.contentType("application/json").send(JSON))
                .get("/", (req, res) -> res.contentType("text/plain; charset=utf-8").send(ROOT))
                .post("/", DemoRoutes::echoBody)
                .post("/echo", DemoRoutes::echoHeaders);
    }

    private static void echoBody(Request req, Response res) throws IOException {
        String type = req.header("Content-Type");
        res.contentType(type != null ? type : "application/octet-stream");
        long length = req.contentLength();
        if (length >= 0 && length <= SMALL_BODY) {
            res.send(req.bodyBytes((int) length));
            return;
        }
        if (length >= 0) res.contentLength(length);
        byte[] buf = new byte[16 * 1024];
        InputStream in = req.body();
        try (OutputStream out = res.stream()) {
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        }
    }

    private static void echoHeaders(Request req, Response res) throws IOException {
        StringBuilder sb = new StringBuilder();
        Headers h = req.headers();
        for (int i = 0; i < h.size(); i++) sb.append(h.name(i)).append(": ").append(h.value(i)).append('\n');
        res.contentType("text/plain; charset=utf-8").send(sb.toString());
    }
}
