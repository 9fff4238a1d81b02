package dev.porter.http;


import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.Methods;
import dev.porter.http.internal.Targets;
import dev.porter.http.internal.websocket.WebSocketRoute;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Dispatches requests by method and path pattern. Patterns are paths whose segments may be {@code {name}} (one
 * segment, bound as a path parameter) or a final {@code *} (the rest of the path, bound as
 * {@value PathParams#REST}): {@code /users/{id}}, {@code /files/*}. Exact paths are looked up in a hash map;
 * patterns are tried in the order added; the first match wins.
 *
 * <p>The handler of a pattern route receives a {@link Request.Wrapper} around the request whose
 * {@link Request#pathParams()} holds what the pattern bound, each value as sent and percent-decoded once
 * ({@link Request#pathParam}, {@link Request#rawPathParam}); a value that does not decode (a malformed {@code %}
 * escape) does not match. Since the match travels with the request handed on, and not in the connection's own
 * request object, a filter may wrap the request before or after routing without losing it.
 *
 * <p>Answers itself where no route decides: 501 for a method that is neither one of RFC 9110's (plus PATCH) nor
 * used by any route (RFC 9110 §9.1: unrecognized methods get 501); 404 when no pattern matches the path; 405 with
 * {@code Allow} when patterns match the path but not the method; {@code OPTIONS} (200 with {@code Allow}) and {@code HEAD} (the GET
 * handler, with the body suppressed) when no route handles them explicitly. Filters added with
 * {@link #filter(Filter)} run around every request, including those answered with 404 or 405.
 *
 * <p>Configure before serving: adding routes is not thread-safe; dispatching is.
 */
public final class Router implements Handler {

    private final Map<String, Map<String, Handler>> exact = new HashMap<>();
    private final List<Route> patterns = new ArrayList<>();
    private final List<Filter> filters = new ArrayList<>();
    private volatile Handler chain;
    /** Every method some route uses; null until first needed after a change. */
    private volatile Set<String> routedMethods;
    /** True once a route takes every method ({@link #mountAll}): no method is then unknown to the router. */
    private boolean anyMethodRoutes;

    /** Methods defined by RFC 9110 §9 and RFC 5789: known to every HTTP server, so never 501. */
    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /**
     * @param method   the method matched, or null for every method
     * @param segments the literal segments, with null where a {@code {name}} binds one
     * @param names    the names bound, in order: each {@code {name}}, then {@value PathParams#REST} for a tail
     */
    private record Route(String method, String[] segments, String[] names, boolean tail, Handler handler) {
    }

    /** What the router hands a pattern route's handler: the request as it came, plus the match. */
    private static final class Routed extends Request.Wrapper {
        private final PathParams params;

        Routed(Request request, PathParams params) {
            super(request);
            this.params = params;
        }

        @Override public PathParams pathParams() { return params; }
        @Override public String pathParam(String name) { return params.get(name); }
        @Override public String rawPathParam(String name) { return params.raw(name); }
    }

    /** Adds a GET route. */
    public Router get(String pattern, Handler handler) {
        return route("GET", pattern, handler);
    }

    /** Adds a POST route. */
    public Router post(String pattern, Handler handler) {
        return route("POST", pattern, handler);
    }

    /** Adds a PUT route. */
    public Router put(String pattern, Handler handler) {
        return route("PUT", pattern, handler);
    }

    /** Adds a DELETE route. */
    public Router delete(String pattern, Handler handler) {
        return route("DELETE", pattern, handler);
    }

    /** Adds a PATCH route. */
    public Router patch(String pattern, Handler handler) {
        return route("PATCH", pattern, handler);
    }

    /**
     * Adds a route for {@code method} (case-sensitive, e.g. {@code GET}) and {@code pattern}. Literal text that a
     * request target cannot hold as it is (a space, a control, a non-ASCII character) is matched percent-encoded
     * as UTF-8 with upper-case hex digits, as clients send it ({@code /café} matches {@code /caf%C3%A9}); the hex
     * digits of an escape match in either case, in the pattern and in the request ({@code %c3%a9} too, RFC 3986
     * §6.2.2.1), while every other character of a literal matches exactly.
     *
     * @throws IllegalArgumentException if the pattern does not start with {@code /}, holds {@code ?} or {@code #},
     *                                  has {@code *} anywhere but the last segment, a {@code {}} without a name
     *                                  or a name twice, or is already routed for this method (also when only its
     *                                  names differ: the first would always win); or if the method is not a
     *                                  token or is longer than 24 characters
     */
    public Router route(String method, String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!Ascii.isToken(method)) throw new IllegalArgumentException("method is not a token: " + method);
        if (method.length() > Methods.MAX_LENGTH) {
            // The parser answers 501 to longer method tokens before any route could see them (RFC 9112 §3).
            throw new IllegalArgumentException("method is longer than " + Methods.MAX_LENGTH + " characters: " + method);
        }
        add(method, pattern, handler);
        return this;
    }

    /** Adds a route for {@code method}, or for every method if null, after checking {@code pattern}. */
    private void add(String method, String pattern, Handler handler) {
        if (pattern == null || !pattern.startsWith("/")) throw new IllegalArgumentException("pattern must start with /: " + pattern);
        String path = Targets.upperCaseEscapes(asSent(pattern));
        if (method != null && !path.contains("{") && !path.contains("*")) {
            if (exact.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException("a route for " + method + " " + pattern + " was already added");
            }
            routedMethods = null;
            return;
        }
        List<String> segs = segments(path);
        boolean tail = !segs.isEmpty() && segs.get(segs.size() - 1).equals("*");
        if (tail) segs.remove(segs.size() - 1);
        String[] segments = new String[segs.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String s = segs.get(i);
            if (s.contains("*")) throw new IllegalArgumentException("* is only allowed as the last segment: " + pattern);
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (name.isEmpty() || names.contains(name)) {
                    throw new IllegalArgumentException("each {name} needs a name of its own: " + pattern);
                }
                names.add(name);
            } else {
                segments[i] = s;
            }
        }
        if (tail) names.add(PathParams.REST);
        for (Route r : patterns) {
            if (Objects.equals(r.method, method) && r.tail == tail && Arrays.equals(r.segments, segments)) {
                throw new IllegalArgumentException("a route for " + (method == null ? "every method" : method) + " "
                        + pattern + " was already added (the first would always win)");
            }
        }
        patterns.add(new Route(method, segments, names.toArray(String[]::new), tail, handler));
        routedMethods = null;
    }

    /**
     * @return {@code pattern} as a request target spells it: each character a target cannot hold as it is (outside
     *         visible ASCII, RFC 9112 §3.2) percent-encoded as UTF-8 (RFC 3986 §2.1), since routes match the raw path
     * @throws IllegalArgumentException if it holds a query or a fragment, which no path does
     */
    private static String asSent(String pattern) {
        StringBuilder out = null;
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cp == '?' || cp == '#') {
                throw new IllegalArgumentException("a pattern is a path, without query or fragment: " + pattern);
            }
            if (cp <= 0x20 || cp >= 0x7F) {
                if (out == null) out = new StringBuilder(pattern.length() + 16).append(pattern, 0, i);
                for (byte b : pattern.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            } else if (out != null) {
                out.append((char) cp);
            }
            i = next;
        }
        return out == null ? pattern : out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Adds a WebSocket endpoint (RFC 6455) with the default options: same-origin only, no sub-protocol. See
     * {@link #websocket(String, WebSocketOptions, WebSocketHandler)}.
     */
    public Router websocket(String pattern, WebSocketHandler handler) {
        return websocket(pattern, WebSocketOptions.defaults(), handler);
    }

    /**
     * Adds a WebSocket endpoint (RFC 6455) as a GET route: a valid opening handshake (§4.2.1) is answered
     * {@code 101 Switching Protocols} and {@code handler} then runs the conversation on the connection's thread,
     * with the limits of {@link HttpConfig#websocket()}. A plain GET without {@code Upgrade: websocket} is answered
     * {@code 426 Upgrade Required}; a malformed handshake 400; a version other than 13 426 with
     * {@code Sec-WebSocket-Version: 13}; a refused origin 403. Over HTTP/2 the handshake is an extended CONNECT
     * (RFC 8441, {@link Http2Config#extendedConnect()}), answered 200, and the handler runs on its stream; a plain
     * HTTP/2 GET is answered 426.
     */
    public Router websocket(String pattern, WebSocketOptions options, WebSocketHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        return route("GET", pattern, new WebSocketRoute(options, handler));
    }

    /** Mounts {@code handler} for GET and HEAD on every path under {@code prefix} (e.g. static files). */
    public Router mount(String prefix, Handler handler) {
        String p = prefix.endsWith("/") ? prefix + "*" : prefix + "/*";
        route("GET", p, handler);
        return route("HEAD", p, handler);
    }

    /**
     * Mounts {@code handler} for every method, whatever its name, on every path under {@code prefix} (a reverse
     * proxy, {@link ProxyHandler}). The prefix itself matches with or without its final {@code /}; the rest of the
     * path is bound as {@value PathParams#REST}. Exact routes and patterns added before it still win where they
     * match; an unknown method under no route is then answered 404 rather than 501, since this route could take it.
     *
     * @throws IllegalArgumentException if the prefix does not start with {@code /} or holds {@code *}
     */
    public Router mountAll(String prefix, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (prefix == null || !prefix.startsWith("/") || prefix.contains("*")) {
            throw new IllegalArgumentException("prefix must start with / and hold no *: " + prefix);
        }
        add(null, prefix.endsWith("/") ? prefix + "*" : prefix + "/*", handler);
        anyMethodRoutes = true;
        routedMethods = null;
        return this;
    }

    /** Adds a filter around every request; filters run in the order added. */
    public Router filter(Filter f) {
        filters.add(Objects.requireNonNull(f, "filter"));
        chain = null;
        return this;
    }

    @Override
    public void handle(Request request, Response response) throws Exception {
        if (Targets.hasDotSegment(request.rawPath())) {
            // Routes and filters match the path as sent, while a proxied backend or a file system removes
            // dot-segments first (RFC 3986 §5.2.4): /api/../admin would pass a mount of /api/, or a filter's check
            // of the path, and be served as /admin. Clients resolve them before sending (browsers, curl).
            response.send(Status.BAD_REQUEST, "Bad Request: dot-segments in the path\n");
            return;
        }
        Handler h = chain;
        if (h == null) {
            h = this::dispatch;
            for (int i = filters.size() - 1; i >= 0; i--) h = filters.get(i).then(h);
            chain = h;
        }
        h.handle(request, response);
    }

    private void dispatch(Request req, Response res) throws Exception {
        String method = req.method();
        String path = req.rawPath();
        if (!anyMethodRoutes && !STANDARD_METHODS.contains(method) && !routedMethods().contains(method)) {
            // RFC 9110 §9.1 / §15.6.2: a method this server recognizes for no resource at all is 501, not 405.
            res.send(Status.NOT_IMPLEMENTED, "Not Implemented\n");
            return;
        }
        if ("*".equals(path)) {
            if ("OPTIONS".equals(method)) {
                res.header("Allow", allowAll());
                res.send(new byte[0]);
                return;
            }
            res.setHeader("Allow", "OPTIONS");
            res.send(Status.METHOD_NOT_ALLOWED, "Method Not Allowed\n");
            return;
        }
        Map<String, Handler> byMethod = exact.get(path);
        if (byMethod == null) {
            // Exact routes are kept with upper-case escapes: a request spelling them in lower case (RFC 3986 §2.1:
            // the same octets) is looked up again, normalised. Only on a miss, and allocating only if it has such.
            String normal = Targets.upperCaseEscapes(path);
            if (normal != path) byMethod = exact.get(normal);
        }
        if (byMethod != null) {
            Handler h = byMethod.get(method);
            if (h != null) {
                h.handle(req, res); // the hot path: an exact route, nothing allocated
                return;
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        if (byMethod != null) allowed.addAll(byMethod.keySet());
        Handler headFallback = byMethod == null ? null : byMethod.get("GET");
        Request headRequest = req;
        for (Route r : patterns) {
            PathParams params = match(r, path);
            if (params == null) continue;
            if (r.method == null || r.method.equals(method)) {
                r.handler.handle(new Routed(req, params), res);
                return;
            }
            if (headFallback == null && r.method.equals("GET") && "HEAD".equals(method)) {
                headFallback = r.handler;
                headRequest = new Routed(req, params);
            }
            allowed.add(r.method);
        }
        if (allowed.isEmpty()) throw new HttpException(Status.NOT_FOUND, "Not Found");
        if ("HEAD".equals(method) && headFallback != null) {
            headFallback.handle(headRequest, res); // the response drops the body of a HEAD request by itself
            return;
        }
        String allow = allowHeader(allowed);
        res.setHeader("Allow", allow);
        if ("OPTIONS".equals(method)) {
            res.send(new byte[0]);
            return;
        }
        // Sent here rather than thrown: the Allow header must survive (RFC 9110 §15.5.6).
        res.send(Status.METHOD_NOT_ALLOWED, "Method Not Allowed\n");
    }

    private static String allowHeader(Set<String> allowed) {
        if (allowed.contains("GET")) allowed.add("HEAD");
        allowed.add("OPTIONS");
        return String.join(", ", allowed);
    }

    private Set<String> routedMethods() {
        Set<String> m = routedMethods;
        if (m == null) {
            Set<String> all = new HashSet<>();
            for (Map<String, Handler> byMethod : exact.values()) all.addAll(byMethod.keySet());
            for (Route r : patterns) if (r.method != null) all.add(r.method);
            routedMethods = m = Set.copyOf(all);
        }
        return m;
    }

    private String allowAll() {
        Set<String> all = new LinkedHashSet<>();
        for (Map<String, Handler> m : exact.values()) all.addAll(m.keySet());
        for (Route r : patterns) if (r.method != null) all.add(r.method);
        return allowHeader(all);
    }

    /** @return what the route binds if {@code path} matches, else null */
    private static PathParams match(Route r, String path) {
        if (r.names.length == 0) return fits(r, path, null, null) ? PathParams.NONE : null;
        // Allocated before the walk, even if it then fails: a few slots, and simpler than walking the path twice.
        String[] raw = new String[r.names.length];
        String[] decoded = new String[raw.length];
        return fits(r, path, raw, decoded) ? new PathParams(r.names, raw, decoded) : null;
    }

    /**
     * Walks {@code path} along the route's segments, storing each bound value as sent in {@code raw} and decoded
     * in {@code decoded} (both null when the route binds nothing).
     *
     * @return false if the path does not match, or a bound value does not decode
     */
    private static boolean fits(Route r, String path, String[] raw, String[] decoded) {
        int bound = 0;
        int pos = 1; // after the leading "/"
        int n = path.length();
        for (String seg : r.segments) {
            if (pos > n) return false;
            int end = path.indexOf('/', pos);
            if (end < 0) end = n;
            if (seg == null) {
                if (end == pos || !bind(path.substring(pos, end), bound++, raw, decoded)) return false;
            } else if (end - pos != seg.length() || !Targets.sameEscaped(path, pos, seg)) {
                return false;
            }
            pos = end + 1;
        }
        if (r.tail) return bind(pos > n ? "" : path.substring(pos), bound, raw, decoded);
        return pos > n;
    }

    /** Stores {@code value} and its decoding at {@code i}; @return false if it does not decode */
    private static boolean bind(String value, int i, String[] raw, String[] decoded) {
        String d = Targets.decode(value, false);
        if (d == null) return false;
        raw[i] = value;
        decoded[i] = d;
        return true;
    }

    private static List<String> segments(String pattern) {
        List<String> out = new ArrayList<>();
        int i = 1;
        while (i <= pattern.length()) {
            int end = pattern.indexOf('/', i);
            if (end < 0) end = pattern.length();
            out.add(pattern.substring(i, end));
            i = end + 1;
        }
        return out;
    }
}
