package dev.porter.examples;

import dev.porter.http.Handler;
import dev.porter.http.Headers;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Router;
import dev.porter.http.WebSocket;
import dev.porter.http.WebSocketOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The reference HTTP app behind {@code porter demo}, used by tests, benchmarks and anyone checking the server:
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!} as text/plain</li>
 *   <li>{@code GET /json}: {@code {"message":"Hello, World!"}}</li>
 *   <li>{@code GET}, {@code HEAD}, {@code OPTIONS /}: 200</li>
 *   <li>{@code POST /}: echoes the request body (streamed, any size up to the server's body limit)</li>
 *   <li>{@code POST /echo}: the request headers received, one per line as {@code Name: Value}</li>
 *   <li>{@code GET /ws}: a WebSocket echo: every message back as it came, text as text and binary as binary;
 *       permessage-deflate accepted when offered; messages up to 16 MiB however they are fragmented (the server's
 *       {@link dev.porter.http.WebSocketConfig#defaults()}); any origin, since it holds nothing to protect and is
 *       meant for tests and benchmarks from any page</li>
 * </ul>
 */
public final class DemoApp {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROOT = "Porter demo: try /plaintext, /json, POST / or POST /echo\n".getBytes(StandardCharsets.US_ASCII);

    private static final int SMALL_BODY = 64 * 1024;

    private DemoApp() {
    }

    /** @return a router with the demo routes; add more (e.g. static files) before serving */
    public static Router router() {
        return new Router()
                .get("/plaintext", (req, res) -> res.contentType("text/plain").send(HELLO))
                .get("/json", (req, res) -> res.contentType("application/json").send(JSON))
                .get("/", (req, res) -> res.contentType("text/plain; charset=utf-8").send(ROOT))
                .post("/", DemoApp::echoBody)
                .post("/echo", DemoApp::echoHeaders)
                .websocket("/ws", WebSocketOptions.defaults().anyOrigin(), DemoApp::echoMessages);
    }

    /** @return the demo routes as a handler */
    public static Handler handler() {
        return router();
    }

    private static void echoBody(Request req, Response res) throws IOException {
        String type = req.header("Content-Type");
        res.contentType(type != null ? type : "application/octet-stream");
        long length = req.contentLength();
        if (length >= 0 && length <= SMALL_BODY) {
            // Small bodies are read whole first, so nothing is answered before the request is complete.
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

    private static void echoMessages(WebSocket ws) throws IOException {
        for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
    }

    private static void echoHeaders(Request req, Response res) throws IOException {
        StringBuilder sb = new StringBuilder();
        Headers h = req.headers();
        for (int i = 0; i < h.size(); i++) sb.append(h.name(i)).append(": ").append(h.value(i)).append('\n');
        res.contentType("text/plain; charset=utf-8").send(sb.toString());
    }
}
