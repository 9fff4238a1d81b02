package dev.porter.http.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol, for tests that need more than {@code --dump-dom}: a
 * page that keeps a connection open (an EventSource never lets {@code --virtual-time-budget} finish), emulated
 * dark mode and phone screens, screenshots, and the console and security messages the page caused. The client is
 * the JDK's own WebSocket: no Node, no Playwright. One page per instance; {@link #close()} kills the browser and
 * everything it started.
 */
public final class Cdp implements AutoCloseable {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final Process browser;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

    private Cdp(Process browser, String pageSocket) throws Exception {
        this.browser = browser;
        this.socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener())
                .get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Starts {@code chromium} headless with a fresh profile in {@code profile} and attaches to its blank page. */
    public static Cdp launch(String chromium, Path profile) throws Exception {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--hide-scrollbars", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "about:blank")
                .redirectOutput(new File("/dev/null")).redirectError(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromium did not open its DevTools port: "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            String port = Files.readAllLines(portFile).get(0).trim();
            String list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(LIMIT).build(), HttpResponse.BodyHandlers.ofString()).body();
            String ws = null;
            for (Object t : (List<?>) Json.parse(list)) {
                Map<?, ?> target = (Map<?, ?>) t;
                if ("page".equals(target.get("type"))) ws = (String) target.get("webSocketDebuggerUrl");
            }
            if (ws == null) throw new IllegalStateException("no page target in " + list);
            return new Cdp(p, ws);
        } catch (Exception e) {
            kill(p);
            throw e;
        }
    }

    /**
     * Sends one command and waits for its result.
     *
     * @param params the parameters as a JSON object, or null
     * @return the command's {@code result}
     * @throws IllegalStateException if the browser answered with an error
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> send(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String message = "{\"id\":" + id + ",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
        socket.sendText(message, true).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        Map<String, Object> reply = answer.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (reply.containsKey("error")) throw new IllegalStateException(method + " failed: " + reply.get("error"));
        return (Map<String, Object>) reply.get("result");
    }

    /** @return the value of {@code expression} evaluated in the page (returned by value), or null */
    @SuppressWarnings("unchecked")
    public Object eval(String expression) throws Exception {
        Map<String, Object> r = send("Runtime.evaluate", "{\"expression\":" + quote(expression) + ",\"returnByValue\":true}");
        Map<String, Object> result = (Map<String, Object>) r.get("result");
        return result == null ? null : result.get("value");
    }

    /** @return every event the browser sent so far (after the domains were enabled) */
    public List<Map<String, Object>> events() {
        return events;
    }

    /**
     * @return what the page complained about: console errors and warnings, log entries (CSP violations are logged
     *         there), uncaught exceptions
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> e : events) {
            Object method = e.get("method");
            Object params = e.get("params");
            if ("Runtime.exceptionThrown".equals(method)) out.add("exception: " + params);
            if ("Log.entryAdded".equals(method)) out.add("log: " + params);
            if ("Runtime.consoleAPICalled".equals(method) && params instanceof Map<?, ?> m
                    && ("error".equals(m.get("type")) || "warning".equals(m.get("type")))) out.add("console: " + params);
        }
        return out;
    }

    /** @return {@code s} as a JSON string */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() {
        socket.abort();
        http.close();
        kill(browser);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> message = (Map<String, Object>) Json.parse(text.toString());
                text.setLength(0);
                Object id = message.get("id");
                if (id instanceof Long n) {
                    CompletableFuture<Map<String, Object>> f = pending.remove(n.intValue());
                    if (f != null) f.complete(message);
                } else {
                    events.add(message);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
