package dev.porter.http.internal;

import dev.porter.http.HttpException;
import dev.porter.http.Status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request-target helpers: form detection, percent-decoding (RFC 3986 §2.1) and query splitting. */
public final class Targets {

    private Targets() {
    }

    /** @return true for {@code scheme "://" ...} with a valid scheme (RFC 9112 §3.2.2, RFC 3986 §3.1) */
    public static boolean isAbsoluteForm(String t) {
        return validScheme(t, t.indexOf("://"));
    }

    /**
     * @return true if the first {@code end} characters of {@code s} are a scheme:
     *         {@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )} (RFC 3986 §3.1); false when {@code end <= 0}
     */
    public static boolean validScheme(String s, int end) {
        if (end <= 0) return false;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) return false;
        }
        return true;
    }

    /** Host = uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2); empty is allowed (RFC 9112 §3.2). */
    public static boolean validHost(String h) {
        int n = h.length();
        if (n == 0) return true;
        int i = 0;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close < 2) return false;
            for (int k = 1; k < close; k++) {
                char c = h.charAt(k);
                boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
                if (!ok) return false;
            }
            i = close + 1;
        } else {
            while (i < n && h.charAt(i) != ':') {
                char c = h.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
                if (!ok) return false;
                i++;
            }
        }
        if (i == n) return true;
        if (h.charAt(i) != ':') return false;
        if (n - i - 1 > 5) return false;
        for (int k = i + 1; k < n; k++) {
            char c = h.charAt(k);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /**
     * @param t an absolute-form target ({@link #isAbsoluteForm})
     * @return why its authority is unacceptable, or null: it replaces Host (RFC 9112 §3.2.2), so it must be a valid
     *         Host after any userinfo ({@link #validHost}), and an {@code http} or {@code https} URI must not have
     *         an empty host ({@code http:///a}, RFC 9110 §4.2.1)
     */
    public static String absoluteFormAuthorityProblem(String t) {
        int sep = t.indexOf("://");
        int start = sep + 3;
        int end = start;
        while (end < t.length() && "/?#".indexOf(t.charAt(end)) < 0) end++;
        int at = t.lastIndexOf('@', end - 1);
        if (at >= start) start = at + 1; // userinfo is not the host
        if (!validHost(t.substring(start, end))) return "invalid authority in the request-target";
        boolean http = sep == 4 && t.regionMatches(true, 0, "http", 0, 4) || sep == 5 && t.regionMatches(true, 0, "https", 0, 5);
        if (http && (start == end || t.charAt(start) == ':')) return "empty host in an http URI";
        return null;
    }

    /**
     * Percent-decodes once, as UTF-8.
     *
     * @param plusIsSpace true for query strings (application/x-www-form-urlencoded)
     * @return the decoded text, or null if a {@code %} is not followed by two hex digits
     */
    public static String decode(String s, boolean plusIsSpace) {
        int pct = s.indexOf('%');
        int plus = plusIsSpace ? s.indexOf('+') : -1;
        if (pct < 0 && plus < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Ascii.hexValue((byte) s.charAt(i + 1));
                int lo = Ascii.hexValue((byte) s.charAt(i + 2));
                if (hi < 0 || lo < 0) return null;
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Percent-encodes a path segment for use in a URL (unreserved characters kept, RFC 3986 §2.3). */
    public static String encodePathSegment(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * @return {@code raw} percent-decoded once as UTF-8 (a request's path)
     * @throws HttpException 400 for a malformed percent-escape
     */
    public static String decodePath(String raw) {
        String p = decode(raw, false);
        if (p == null) throw new HttpException(Status.BAD_REQUEST, "malformed percent-encoding in path");
        return p;
    }

    /** @return the first value of {@code name} in a parsed query, or null */
    public static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * Splits a query ({@code a=1&b=x%20y}) into decoded names and values, in order ({@code +} is a space).
     *
     * @throws HttpException 400 for a malformed percent-escape
     */
    public static Map<String, List<String>> parseQuery(String q) {
        if (q == null || q.isEmpty()) return Map.of();
        Map<String, List<String>> m = new LinkedHashMap<>();
        int i = 0;
        while (i <= q.length()) {
            int amp = q.indexOf('&', i);
            if (amp < 0) amp = q.length();
            if (amp > i) {
                int eq = q.indexOf('=', i);
                String k = eq < 0 || eq > amp ? q.substring(i, amp) : q.substring(i, eq);
                String v = eq < 0 || eq > amp ? "" : q.substring(eq + 1, amp);
                String dk = decode(k, true);
                String dv = decode(v, true);
                if (dk == null || dv == null) throw new HttpException(Status.BAD_REQUEST, "malformed percent-encoding in query");
                m.computeIfAbsent(dk, x -> new ArrayList<>(1)).add(dv);
            }
            i = amp + 1;
        }
        for (Map.Entry<String, List<String>> e : m.entrySet()) e.setValue(Collections.unmodifiableList(e.getValue()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * @return true if a segment of {@code rawPath} is {@code .} or {@code ..} (RFC 3986 §5.2.4) as a server behind
     *         may read it: {@code %2e} decoded to a dot; {@code %2f}, {@code %5c} and {@code \} taken as separators
     *         (servers that decode them first); a segment's {@code ;parameters} ignored ({@code ..;} is {@code ..} to
     *         Tomcat). {@code ...}, {@code .a} or {@code a..} are ordinary names. No allocation: once per request.
     */
    public static boolean hasDotSegment(String rawPath) {
        int n = rawPath.length();
        int dots = 0;
        boolean other = false;
        boolean params = false;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '/' : rawPath.charAt(i);
            if (c == '%' && i + 2 < n) {
                char hi = rawPath.charAt(i + 1);
                char lo = (char) (rawPath.charAt(i + 2) | 0x20);
                if (hi == '2' && lo == 'e') {
                    c = '.';
                    i += 2;
                } else if ((hi == '2' && lo == 'f') || (hi == '5' && lo == 'c')) {
                    c = '/';
                    i += 2;
                }
            }
            if (c == '/' || c == '\\') {
                if (!other && (dots == 1 || dots == 2)) return true;
                dots = 0;
                other = false;
                params = false;
            } else if (params) {
                continue;
            } else if (c == ';') {
                params = true;
            } else if (c == '.') {
                dots++;
            } else {
                other = true;
            }
        }
        return false;
    }

    /**
     * @return {@code raw} with the hex digits of its percent-escapes in upper case, as RFC 3986 §6.2.2.1 normalises
     *         them ({@code %c3%a9} and {@code %C3%A9} are the same octets, §2.1); the same instance when nothing
     *         changes (no escape, or upper case already: what clients usually send), so nothing is allocated then
     */
    public static String upperCaseEscapes(String raw) {
        char[] out = null;
        int n = raw.length();
        for (int i = raw.indexOf('%'); i >= 0 && i + 2 < n; i = raw.indexOf('%', i + 1)) {
            char hi = raw.charAt(i + 1);
            char lo = raw.charAt(i + 2);
            if (!isHex(hi) || !isHex(lo) || (hi < 'a' && lo < 'a')) continue;
            if (out == null) out = raw.toCharArray();
            if (hi >= 'a') out[i + 1] = (char) (hi - 0x20);
            if (lo >= 'a') out[i + 2] = (char) (lo - 0x20);
        }
        return out == null ? raw : new String(out);
    }

    /**
     * @return true if {@code text} holds {@code literal} at {@code pos}, the hex digits of percent-escapes compared
     *         without regard to case (RFC 3986 §6.2.2.1) and every other character exactly; no allocation
     */
    public static boolean sameEscaped(String text, int pos, String literal) {
        int n = literal.length();
        if (text.regionMatches(pos, literal, 0, n)) return true; // the common case: as the literal spells it
        int hex = 0; // hex digits of an escape still to come
        for (int j = 0; j < n; j++) {
            char a = text.charAt(pos + j);
            char b = literal.charAt(j);
            if (hex > 0) {
                hex--;
                // (a | 0x20) == (b | 0x20) with b one of A-F or a-f holds only for the same letter in either case.
                if (a != b && !(isHex(b) && b > '9' && (a | 0x20) == (b | 0x20))) return false;
            } else if (a != b) {
                return false;
            } else if (b == '%') {
                hex = 2;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
