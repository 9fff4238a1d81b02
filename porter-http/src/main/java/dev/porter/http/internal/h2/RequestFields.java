package dev.porter.http.internal.h2;

import dev.porter.http.Headers;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.Targets;

/**
 * The fields of a request's field block as they are decoded, checked against RFC 9113 §8.2 and §8.3.1 once the
 * block is complete ({@link #validate}): a malformed request is a stream error (PROTOCOL_ERROR), the connection
 * goes on. The sink never throws: a half-decoded block would break the connection's HPACK context.
 */
final class RequestFields implements HpackDecoder.Sink {

    String method;
    String scheme;
    String authority;
    String path;
    /** RFC 8441 §4: the extended CONNECT's protocol (e.g. {@code websocket}), or null. */
    String protocol;
    final Headers headers = new Headers();
    private String problem;
    private boolean regularSeen;
    private boolean pseudoSeen;
    /** The {@code :authority} pseudo-header field was sent (authority may also come from a Host field). */
    private boolean authorityPseudo;
    private long contentLength = -1;
    private boolean expectContinue;
    /** The request's header list was over our limit (answered 431, §8.2 / RFC 6585 §5). */
    private boolean tooLarge;

    @Override
    public void header(String name, String value) {
        if (problem != null) return;
        if (name.startsWith(":")) {
            pseudo(name, value);
            return;
        }
        regularSeen = true;
        if (!validName(name)) {
            problem = "invalid field name '" + name + "' (names are lower case tokens, §8.2.1)";
            return;
        }
        if (!validValue(value)) {
            problem = "invalid value of field " + name + " (§8.2.1)";
            return;
        }
        switch (name) {
            // §8.2.2: connection-specific fields make a request malformed; TE may only say "trailers".
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" ->
                    problem = "connection-specific field " + name + " (§8.2.2)";
            case "te" -> {
                if (!value.equals("trailers")) problem = "te other than trailers (§8.2.2)";
            }
            case "content-length" -> contentLength(value);
            case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
            case "host" -> {
                // §8.3.1: a Host naming another entity than :authority is malformed (else the two could route
                // the request differently here and behind a proxy, which must send :authority as Host).
                // A second host is malformed even if equal: HTTP/1.1 refuses a second Host line (RFC 9112 §3.2),
                // and a proxy keeping the host would send both, leaving the backend to choose one.
                if (headers.contains("host")) problem = "more than one host field (RFC 9112 §3.2)";
                else if (authorityPseudo && !value.equalsIgnoreCase(authority)) problem = "host differs from :authority (§8.3.1)";
                else if (!Targets.validHost(value)) problem = "invalid host (RFC 9110 §7.2)";
                if (authority == null) authority = value;
            }
            case "cookie" -> {
                // §8.2.3: a client may split cookies into several fields; HTTP/1.1 handlers expect one.
                String earlier = headers.first("cookie");
                if (earlier != null) {
                    headers.set("cookie", earlier + "; " + value);
                    return;
                }
            }
            default -> {
            }
        }
        headers.add(name, value);
    }

    private void pseudo(String name, String value) {
        pseudoSeen = true;
        if (regularSeen) {
            problem = "pseudo-header " + name + " after a regular field (§8.3)";
            return;
        }
        switch (name) {
            case ":method" -> method = once(method, name, value);
            case ":scheme" -> scheme = once(scheme, name, value);
            case ":authority" -> {
                authority = once(authorityPseudo ? authority : null, name, value);
                authorityPseudo = true;
            }
            case ":path" -> path = once(path, name, value);
            case ":protocol" -> protocol = once(protocol, name, value);
            default -> problem = "unknown pseudo-header " + name + " (§8.3)";
        }
    }

    private String once(String earlier, String name, String value) {
        if (earlier != null) problem = "repeated pseudo-header " + name + " (§8.3.1)";
        else if (!validPseudo(name, value)) problem = "invalid value of " + name + " (§8.3)";
        return value;
    }

    /**
     * §8.3: an invalid pseudo-header field makes the request malformed. Each is what its HTTP/1.1 form allows: a
     * method and a protocol are tokens (RFC 9110 §9.1), a scheme is RFC 3986 §3.1's, an authority a valid Host
     * (RFC 9110 §7.2). Anything else (a space, a CR or LF) would also split the request line or a field line of
     * the HTTP/1.1 request this becomes behind a proxy. {@code :path} is checked in {@link #validate}.
     */
    private static boolean validPseudo(String name, String value) {
        return switch (name) {
            case ":method", ":protocol" -> Ascii.isToken(value);
            case ":scheme" -> Targets.validScheme(value, value.length());
            case ":authority" -> Targets.validHost(value);
            default -> true;
        };
    }

    private void contentLength(String value) {
        long v = 0;
        if (value.isEmpty() || value.length() > 18) {
            problem = "invalid content-length";
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '0' || ch > '9') {
                problem = "invalid content-length";
                return;
            }
            v = v * 10 + (ch - '0');
        }
        if (contentLength >= 0 && contentLength != v) problem = "conflicting content-length values";
        contentLength = v;
    }

    /** Lower-case tchars only (§8.2.1: upper case in a field name makes the message malformed). */
    private static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch >= 'A' && ch <= 'Z') return false;
            if (ch > 0x7e || ch <= 0x20 || "\"(),/:;<=>?@[\\]{}".indexOf(ch) >= 0) return false;
        }
        return true;
    }

    /** §8.2.1: no NUL, CR or LF, and no leading or trailing whitespace. */
    private static boolean validValue(String value) {
        int n = value.length();
        if (n > 0 && (value.charAt(0) == ' ' || value.charAt(0) == '\t' || value.charAt(n - 1) == ' '
                || value.charAt(n - 1) == '\t')) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            if (ch == 0 || ch == '\r' || ch == '\n') return false;
        }
        return true;
    }

    /** @return this block marked as over the header-list limit (the stream is answered 431) */
    RequestFields tooLarge(int limit) {
        tooLarge = true;
        return this;
    }

    boolean isTooLarge() {
        return tooLarge;
    }

    /**
     * §8.3.1: {@code :method}, {@code :scheme} and a non-empty {@code :path} are required ({@code *} only with
     * OPTIONS); CONNECT (§8.5) carries only {@code :authority}, and is answered 501 by the exchange. An extended
     * CONNECT (RFC 8441 §4) carries {@code :protocol}, {@code :scheme}, {@code :path} and {@code :authority}.
     *
     * @param extendedConnect we sent SETTINGS_ENABLE_CONNECT_PROTOCOL=1: {@code :protocol} may come (§4: without
     *                        it, or on a method other than CONNECT, the request is malformed)
     *
     * @throws Http2Exception PROTOCOL_ERROR on the stream for a malformed request (§8.1.1)
     */
    void validate(int streamId, boolean extendedConnect) {
        if (problem == null && method == null) problem = "missing :method";
        if (problem == null && protocol != null) {
            if (!extendedConnect) problem = ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §4)";
            else if (!"CONNECT".equals(method)) problem = ":protocol on a method other than CONNECT (RFC 8441 §4)";
            else if (scheme == null || path == null || path.isEmpty() || path.charAt(0) != '/' || !authorityPseudo) {
                problem = "extended CONNECT needs :scheme, :path and :authority (RFC 8441 §4)";
            }
            if (problem != null) {
                throw Http2Exception.stream(streamId, Http2Error.PROTOCOL_ERROR, "malformed request: " + problem);
            }
            if (!headers.contains("host")) headers.add("host", authority);
            return;
        }
        if (problem == null && "CONNECT".equals(method) && (scheme != null || path != null || !authorityPseudo)) {
            // §8.5: a CONNECT request has :authority, and neither :scheme nor :path (an extended CONNECT, with
            // :protocol, was judged above).
            problem = "CONNECT needs :authority and no :scheme or :path (§8.5)";
        }
        if (problem == null && !"CONNECT".equals(method)) {
            if (scheme == null) problem = "missing :scheme";
            else if (path == null || path.isEmpty()) problem = "missing or empty :path";
            else if (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS"))) {
                problem = ":path is neither origin-form nor '*' with OPTIONS";
            } else if (!targetChars(path)) {
                // §8.3.1: the path and query of the target URI (RFC 3986), as an HTTP/1.1 request-target: a space
                // or a control would also split the request line this request becomes behind a proxy.
                problem = ":path holds a space, a control or a byte outside ASCII";
            } else if (path.indexOf('#') >= 0) {
                // §8.3.1: the path and query of the target URI; a fragment is neither (RFC 3986 §3.5).
                problem = ":path holds a fragment";
            }
        }
        if (problem != null) throw Http2Exception.stream(streamId, Http2Error.PROTOCOL_ERROR, "malformed request: " + problem);
        if (authority != null && !headers.contains("host")) headers.add("host", authority);
    }

    private static boolean targetChars(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c > 0x7E || !Ascii.isTargetChar((byte) c)) return false;
        }
        return true;
    }

    /**
     * A trailer section (§8.1): no pseudo-header field (§8.3), and the field rules of §8.2 as in a header section.
     *
     * @throws Http2Exception PROTOCOL_ERROR on the stream for malformed trailers (§8.1.1)
     */
    void validateTrailers(int streamId) {
        if (problem == null && pseudoSeen) problem = "pseudo-header field in trailers (§8.1)";
        if (problem != null) throw Http2Exception.stream(streamId, Http2Error.PROTOCOL_ERROR, "malformed trailers: " + problem);
    }

    long contentLength() {
        return contentLength;
    }

    boolean expectContinue() {
        return expectContinue;
    }
}
