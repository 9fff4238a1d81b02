package dev.porter.http.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request vectors of nodejs/llhttp's strict-mode fixtures ({@code conformance/llhttp-requests.json}, MIT, see
 * the README next to it) and Porter's documented choices for the ones the RFCs leave open. Shared by the socket
 * replay ({@code ConformanceTest}) and the pure-parser replay ({@code RequestVectorsSplitTest}), so both judge the
 * same bytes against the same expectations.
 */
public final class LlhttpRequests {

    private LlhttpRequests() {
    }

    /** What happens to the connection after a vector Porter decides for itself. */
    public enum After {
        /** The server closes by itself. */
        CLOSES,
        /** The connection stays usable: a pipelined probe request is answered too. */
        STAYS_OPEN,
        /** The vector ends inside a further message the server waits for; the client's end of stream ends it. */
        WAITS
    }

    /** What Porter answers where the RFCs leave the choice open, and what then happens to the connection. */
    public record Choice(List<Integer> statuses, After after, String why) {
    }

    public static final Map<String, Choice> CHOICES = Map.ofEntries(
            // Upgrade is ignored (RFC 9110 §7.8: Porter switches to no protocol): the request is answered as plain
            // HTTP/1.1 and the connection goes on as HTTP/1.1, so bytes after the request are the next request.
            // Here they are not HTTP ("Hot diggity dogg"): 400 and close.
            Map.entry("request/connection.md:542", new Choice(List.of(404, 400), After.CLOSES, "Upgrade ignored, garbage after it")),
            Map.entry("request/connection.md:679", new Choice(List.of(404), After.STAYS_OPEN, "Upgrade ignored")),
            Map.entry("request/connection.md:713", new Choice(List.of(404, 400), After.WAITS, "Upgrade ignored, 'efgh' starts a request line")),
            Map.entry("request/connection.md:753", new Choice(List.of(404, 400), After.CLOSES, "Upgrade ignored, garbage after it")),
            Map.entry("request/connection.md:812", new Choice(List.of(404, 400), After.CLOSES, "Upgrade ignored, garbage after it")),
            // CONNECT to a server that is not a proxy: 501 (RFC 9110 §9.1, §9.3.6), and the connection closes:
            // what follows a CONNECT is tunnel data, never a request.
            Map.entry("request/method.md:27", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            Map.entry("request/method.md:62", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            Map.entry("request/method.md:96", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            Map.entry("request/uri.md:188", new Choice(List.of(501), After.CLOSES, "CONNECT not implemented, then close")),
            // "PRI * HTTP/1.1": well framed; PRI is a method no route knows, so the router answers 501
            // (RFC 9110 §9.1); the next bytes ("SM") are no request line: 400 and close.
            Map.entry("request/method.md:458", new Choice(List.of(501, 400), After.CLOSES, "PRI *: 501, then SM: 400")),
            // Only HTTP-version = "HTTP/" DIGIT "." DIGIT is HTTP (RFC 9112 §2.3): ICE/1.0, RTSP/1.0 and a request
            // line without a version (HTTP/0.9) are rejected.
            Map.entry("request/method.md:372", new Choice(List.of(400), After.CLOSES, "ICE/1.0 is not HTTP")),
            Map.entry("request/method.md:400", new Choice(List.of(400), After.CLOSES, "RTSP/1.0 is not HTTP")),
            Map.entry("request/method.md:430", new Choice(List.of(400), After.CLOSES, "RTSP/1.0 is not HTTP")),
            Map.entry("request/sample.md:314", new Choice(List.of(400), After.CLOSES, "HTTP/0.9 is not supported")),
            // Targets: any visible ASCII is accepted in a request-target ('"' and '|' are outside RFC 3986 but
            // harmless and common); a fragment is tolerated and dropped (RFC 9110 §4.2.5); userinfo in an
            // absolute-form target is accepted (the handler sees the target as sent). Connection stays open.
            Map.entry("request/uri.md:4", new Choice(List.of(404), After.STAYS_OPEN, "quotes in target accepted")),
            Map.entry("request/uri.md:98", new Choice(List.of(404), After.STAYS_OPEN, "| in query accepted")),
            Map.entry("request/uri.md:165", new Choice(List.of(404), After.STAYS_OPEN, "fragment tolerated")),
            Map.entry("request/uri.md:222", new Choice(List.of(404), After.STAYS_OPEN, "userinfo in absolute-form accepted")));

    /** Answers a route gives to a well-framed request it does not take: they count as answers, not rejections. */
    public static final Set<Integer> ROUTE_ANSWERS = Set.of(404, 405, 501);

    /**
     * One vector.
     *
     * @param key      file and line in llhttp's fixtures, the name {@link #CHOICES} uses
     * @param expect   the class a strict server must fall in ({@code reject}, {@code accept}, ...)
     * @param finish   true if llhttp calls finish after the bytes (the stream ends there)
     * @param input    the bytes, with a Host field added where HTTP/1.1 needs one ({@link #addHost})
     * @param complete messages llhttp completes
     */
    public record Vector(String key, String title, String expect, boolean finish, byte[] input, int complete) {
        /** @return true for the classes Porter decides for itself (see {@link #CHOICES}) */
        public boolean open() {
            return expect.equals("accept-or-reject") || expect.equals("server-dependent");
        }

        /** @return true for llhttp pause/skip callbacks, which mean nothing to a server */
        public boolean parserApiOnly() {
            return expect.equals("parser-api-only");
        }

        @Override
        public String toString() {
            return expect + " " + key + " " + title;
        }
    }

    /** @return every vector, in the file's order */
    @SuppressWarnings("unchecked")
    public static List<Vector> vectors() {
        List<Map<String, Object>> raw;
        try (InputStream in = LlhttpRequests.class.getResourceAsStream("/conformance/llhttp-requests.json")) {
            if (in == null) throw new IllegalStateException("conformance/llhttp-requests.json not on the test classpath");
            raw = (List<Map<String, Object>>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Vector> out = new ArrayList<>(raw.size());
        for (Map<String, Object> v : raw) {
            out.add(new Vector(v.get("file") + ":" + v.get("line"), (String) v.get("title"), (String) v.get("server_expect"),
                    "request-finish".equals(v.get("type")), addHost(Base64.getDecoder().decode((String) v.get("input_b64"))),
                    ((Long) v.get("messages_complete")).intValue()));
        }
        return out;
    }

    private static final Pattern REQUEST_START = Pattern.compile(
            "(^|\r\n\r\n|\r\n(?=[A-Z]+ /))((?:\r\n)*)([A-Z-]+ [^\r\n]* HTTP/1\\.1\r\n)");
    private static final Pattern HAS_HOST = Pattern.compile("\r\nhost:", Pattern.CASE_INSENSITIVE);

    /** replay.py's add_host: a Host field after every HTTP/1.1 request line of a vector that has none. */
    public static byte[] addHost(byte[] d) {
        String s = new String(d, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (s.startsWith("\r\n", i)) i += 2;
        int j = s.indexOf("\r\n", i);
        if (j < 0) return d;
        String first = s.substring(i, j);
        if (first.indexOf('\r') >= 0 || first.indexOf('\n') >= 0) return d;
        if (!first.endsWith("HTTP/1.1") || HAS_HOST.matcher(s).find()) return d;
        Matcher m = REQUEST_START.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(3) + "Host: localhost\r\n"));
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
