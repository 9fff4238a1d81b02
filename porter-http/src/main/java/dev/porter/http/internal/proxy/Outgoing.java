package dev.porter.http.internal.proxy;

import dev.porter.http.ClientRequest;
import dev.porter.http.Headers;
import dev.porter.http.ProxyConfig;
import dev.porter.http.Request;
import dev.porter.http.internal.Targets;
import dev.porter.http.internal.client.PreparedRequest;
import dev.porter.http.internal.client.Route;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Builds the request to a backend from the request received: the same method and target (less a stripped
 * prefix), the end-to-end fields (hop-by-hop ones dropped, RFC 9110 §7.6.1), {@code Via} and the forwarded fields
 * ({@link Forwarding}), the body re-framed by the client engine. Only what Porter's strict parser accepted
 * reaches this point, and the framing fields are never copied, so a backend cannot be told a different message
 * boundary than the one Porter read (no CL/TE desync through the proxy). Pure.
 */
final class Outgoing {

    private Outgoing() {
    }

    /** @return the target to send: path (a configured prefix removed) and query, in origin form */
    static String target(Request req, String stripPrefix) {
        String path = req.rawPath();
        // Compared as the Router matches a mount's prefix: an escape's hex digits in either case (RFC 3986 §6.2.2.1).
        if (stripPrefix != null && path.length() >= stripPrefix.length() && Targets.sameEscaped(path, 0, stripPrefix)) {
            int cut = stripPrefix.endsWith("/") ? stripPrefix.length() - 1 : stripPrefix.length();
            if (path.length() == cut || path.charAt(cut) == '/') {
                path = path.length() == cut ? "/" : path.substring(cut);
            }
        }
        String query = req.rawQuery();
        return query == null ? path : path + "?" + query;
    }

    /**
     * @param maxForwards the value to send in {@code Max-Forwards} (already decremented), or -1 to copy none
     * @throws IllegalArgumentException if the target or a field cannot be put in a request (Porter's parser is
     *                                  more permissive than {@link URI} about a few characters)
     */
    static ClientRequest build(Request req, Backend backend, String target, ClientRequest.Body body, boolean trusted,
                               ProxyConfig cfg, Duration timeout, long maxForwards) {
        ClientRequest.Builder b = ClientRequest.builder(req.method(), URI.create(backend.base() + target)).body(body);
        if (timeout != null) b.timeout(timeout);
        fields(req, trusted, cfg, maxForwards, b::header);
        return b.build();
    }

    /**
     * The fields {@link #build} would send, on a request to the backend itself: for a caller that writes the target
     * (a WebSocket upgrade sends the received one), so the target never goes through {@link URI}'s stricter rules.
     *
     * @throws IllegalArgumentException if a field cannot be put in a request
     */
    static ClientRequest fieldsOnly(Request req, Backend backend, boolean trusted, ProxyConfig cfg) {
        ClientRequest.Builder b = ClientRequest.builder(req.method(), backend.uri());
        fields(req, trusted, cfg, -1, b::header);
        return b.build();
    }

    /**
     * The same request as {@link #build}, its head encoded straight to bytes (no URI parsed, no field lines as
     * strings): what an exchange on a pooled HTTP/1.1 connection sends.
     *
     * @throws IllegalArgumentException as {@link #build} does
     */
    static PreparedRequest prepare(Request req, Backend backend, Route.Preface preface, String target,
                                   ClientRequest.Body body, boolean trusted, ProxyConfig cfg, long maxForwards) {
        Route route = preface == null ? backend.route() : backend.route().with(preface);
        PreparedRequest p = new PreparedRequest(route, backend.uri(), req.method(), target, body);
        fields(req, trusted, cfg, maxForwards, p::field);
        return p;
    }

    /** Passes the fields to send, in order, to {@code out} (which validates them). */
    private static void fields(Request req, boolean trusted, ProxyConfig cfg, long maxForwards,
                               BiConsumer<String, String> out) {
        Headers in = req.headers();
        List<String> listed = HopByHop.listed(in);
        String authority = absoluteFormAuthority(req.target());
        String cookies = null;
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            if (HopByHop.drop(name, listed) || Forwarding.ours(name)) continue;
            switch (Special.of(name)) {
                case HOST -> {
                    if (!cfg.preserveHost() || authority != null) continue;
                }
                // Porter's server already answered the expectation (100 Continue) when the body was first read.
                case EXPECT -> {
                    continue;
                }
                case MAX_FORWARDS -> {
                    if (maxForwards >= 0) continue; // replaced by the decremented value below
                }
                case COOKIE -> {
                    // RFC 9113 §8.2.3: HTTP/2 may split cookies into several fields; HTTP/1.1 wants one.
                    cookies = cookies == null ? in.value(i) : cookies + "; " + in.value(i);
                    continue;
                }
                case NONE -> {
                }
            }
            out.accept(name, in.value(i));
        }
        if (authority != null && cfg.preserveHost()) out.accept("Host", authority);
        if (cookies != null) out.accept("Cookie", cookies);
        if (maxForwards >= 0) out.accept("Max-Forwards", Long.toString(maxForwards));
        Forwarding.add(req, trusted, cfg.via(), authority, out);
    }

    /**
     * RFC 9112 §3.2.2: a proxy that receives an absolute-form target ignores the received {@code Host} and generates
     * one from the target's authority, so the backend is told the host the client named in its request line.
     *
     * @return the authority of an absolute-form {@code target}, userinfo dropped; null for any other form
     */
    static String absoluteFormAuthority(String target) {
        if (target.isEmpty() || target.charAt(0) == '/' || target.charAt(0) == '*' || !Targets.isAbsoluteForm(target)) {
            return null;
        }
        int start = target.indexOf("://") + 3;
        int end = start;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) end++;
        int at = target.lastIndexOf('@', end - 1);
        if (at >= start) start = at + 1;
        return target.substring(start, end);
    }

    /** The fields {@link #fields} treats apart; told by length first, without lower-casing the name. */
    private enum Special {
        HOST, EXPECT, MAX_FORWARDS, COOKIE, NONE;

        static Special of(String name) {
            return switch (name.length()) {
                case 4 -> name.equalsIgnoreCase("host") ? HOST : NONE;
                case 6 -> name.equalsIgnoreCase("expect") ? EXPECT : name.equalsIgnoreCase("cookie") ? COOKIE : NONE;
                case 12 -> name.equalsIgnoreCase("max-forwards") ? MAX_FORWARDS : NONE;
                default -> NONE;
            };
        }
    }

    /**
     * @return the {@code Max-Forwards} value of a TRACE or OPTIONS request (RFC 9110 §7.6.2), -1 for none or
     *         another method, -2 if it is not a number (then it is ignored, as if absent)
     */
    static long maxForwards(Request req) {
        if (!req.method().equals("TRACE") && !req.method().equals("OPTIONS")) return -1;
        String v = req.header("Max-Forwards");
        if (v == null) return -1;
        if (v.isEmpty() || v.length() > 18) return -2;
        for (int i = 0; i < v.length(); i++) if (v.charAt(i) < '0' || v.charAt(i) > '9') return -2;
        return Long.parseLong(v);
    }
}
