package dev.porter.examples;

import dev.porter.http.EventStream;
import dev.porter.http.Handler;
import dev.porter.http.Headers;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Router;
import dev.porter.http.ServerSentEvent;
import dev.porter.http.Status;
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
 *   <li>{@code GET /sse}: server-sent events, one a second ({@code ?every=MS} for another pace, 10 ms to 60 s),
 *       each with an id counting from 1, or on from the {@code Last-Event-ID} a reconnecting client sends; data
 *       {@code tick N}</li>
 *   <li>{@code GET /ws}: a WebSocket echo: every message back as it came, text as text and binary as binary;
 *       permessage-deflate accepted when offered; messages up to 16 MiB however they are fragmented (the server's
 *       {@link dev.porter.http.WebSocketConfig#defaults()}); any origin, since it holds nothing to protect and is
 *       meant for tests and benchmarks from any page</li>
 * </ul>
 */
public final class DemoApp {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROOT = "Porter demo: try /plaintext, /json, /sse, /ws (WebSocket), POST / or POST /echo\n".getBytes(StandardCharsets.US_ASCII);

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
                .get("/sse", DemoApp::ticks)
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

    /** One event every {@code every} ms (default 1 s) until the client leaves or the server stops. */
    private static void ticks(Request req, Response res) throws IOException, InterruptedException {
        long every = 1000;
        String asked = req.query("every");
        if (asked != null) {
            try {
                every = Long.parseLong(asked);
            } catch (NumberFormatException e) {
                every = -1;
            }
            if (every < 10 || every > 60_000) {
                res.send(Status.BAD_REQUEST, "every: milliseconds between events, 10 to 60000\n");
                return;
            }
        }
        EventStream events = res.eventStream();
        long n = events.lastEventId().map(DemoApp::counter).orElse(0L);
        while (true) { // ends with EventStreamClosedException: the client left, or the server is stopping
            n++;
            events.send(ServerSentEvent.of("tick " + n).withId(Long.toString(n)));
            Thread.sleep(every);
        }
    }

    /** @return the number a reconnecting client last saw, or 0 if its Last-Event-ID is not one of ours */
    private static long counter(String lastEventId) {
        try {
            return Math.max(0, Long.parseLong(lastEventId));
        } catch (NumberFormatException e) {
            return 0;
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
