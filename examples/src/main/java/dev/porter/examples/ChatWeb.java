package dev.porter.examples;

import dev.porter.http.HttpConfig;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Router;
import dev.porter.http.Status;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The browser's way into a {@link ChatRoom}: a small page (one HTML file, one script, one style sheet; no build
 * step, no framework) and the WebSocket it talks over, {@code /chat}. People on the page and people on TCP
 * ({@code nc}, {@code porter send}) are in the same room. {@code porter chat --web PORT} serves it.
 *
 * <p>The page works under a strict Content-Security-Policy, sent with it: scripts, styles and connections only from
 * the page's own origin (a WebSocket to the same host and port counts, CSP Level 3), no inline script or style,
 * nothing may frame it. Its script builds every line with {@code textContent}, so what people type is never
 * markup. The WebSocket route keeps the default same-origin check: a page on another site cannot join on the
 * visitor's behalf.
 */
public final class ChatWeb {

    /** What the page may load and connect to: its own origin only. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * The WebSocket limits of the chat: a message is at most a TCP line (8 KiB, the connection's longest line), so
     * a member's outbox holds what it holds for a TCP member; a member whose send blocks 10 s is dropped (the
     * outbox keeps the others going meanwhile); idle members are kept an hour with pings, like TCP ones.
     */
    public static final WebSocketConfig WEBSOCKET = WebSocketConfig.defaults().withSizes(8192, 8192)
            .withSendTimeout(Duration.ofSeconds(10)).withKeepAlive(Duration.ofHours(1), Duration.ofSeconds(30));

    private ChatWeb() {
    }

    /** @return an {@link HttpConfig} builder holding {@link #WEBSOCKET}; set the host and port */
    public static HttpConfig.Builder config() {
        return HttpConfig.builder().websocket(WEBSOCKET);
    }

    /** @return the page's routes: {@code /} (the page), {@code /chat.js}, {@code /chat.css} and the WebSocket {@code /chat} */
    public static Router router(ChatRoom room) {
        byte[] html = resource("index.html");
        byte[] js = resource("chat.js");
        byte[] css = resource("chat.css");
        return new Router()
                .get("/", (req, res) -> file(res, "text/html; charset=utf-8", html))
                .get("/chat.js", (req, res) -> file(res, "text/javascript; charset=utf-8", js))
                .get("/chat.css", (req, res) -> file(res, "text/css; charset=utf-8", css))
                .get("/favicon.ico", ChatWeb::noIcon)
                .websocket("/chat", WebSocketOptions.defaults(), room.webSocketHandler());
    }

    private static void file(Response res, String type, byte[] body) throws IOException {
        res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "no-referrer");
        res.setHeader("Cache-Control", "no-cache");
        res.contentType(type).send(body);
    }

    /** Browsers ask for an icon; "none" is an answer that leaves no error in the console. */
    private static void noIcon(Request req, Response res) throws IOException {
        res.status(Status.NO_CONTENT).send(new byte[0]);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ChatWeb.class.getResourceAsStream("chat/" + name)) {
            if (in == null) throw new IllegalStateException("chat/" + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
