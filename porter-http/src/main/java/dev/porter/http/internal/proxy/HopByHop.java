package dev.porter.http.internal.proxy;

import dev.porter.http.Headers;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.http1.FieldBytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The connection-specific fields a proxy must not forward (RFC 9110 §7.6.1): {@code Connection} itself, every
 * field it names, and the ones defined as hop-by-hop (Keep-Alive, Proxy-Connection, TE, Trailer,
 * Transfer-Encoding, Upgrade). Content-Length goes too, since the proxy frames each message itself. Pure.
 */
final class HopByHop {

    private HopByHop() {
    }

    /** @return true for a field that never crosses the proxy, whatever {@code Connection} says */
    static boolean always(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("TE");
            case 7 -> name.equalsIgnoreCase("Trailer") || name.equalsIgnoreCase("Upgrade");
            case 10 -> name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            case 16 -> name.equalsIgnoreCase("Proxy-Connection");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }

    /**
     * @return the names listed in the {@code Connection} fields of {@code headers} (RFC 9110 §7.6.1: each names a
     *         field meant for this hop only); empty when there is none
     */
    static List<String> listed(Headers headers) {
        List<String> out = List.of();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.length() != 10 || !name.equalsIgnoreCase("Connection")) continue;
            String v = headers.value(i);
            if (Ascii.isToken(v)) { // the usual "keep-alive" or "close": no copy of it
                if (out.isEmpty()) out = new ArrayList<>(2);
                out.add(v);
                continue;
            }
            int start = 0;
            while (start <= v.length()) {
                int comma = v.indexOf(',', start);
                if (comma < 0) comma = v.length();
                String token = v.substring(start, comma).strip();
                if (!token.isEmpty()) {
                    if (out.isEmpty()) out = new ArrayList<>(2);
                    out.add(token);
                }
                start = comma + 1;
            }
        }
        return out;
    }

    /**
     * @return the names listed in the Connection fields of {@code f} that can name a field not dropped anyway, in
     *         lower case: usually none ({@code keep-alive}, most of what is listed, names a field that always goes)
     */
    static List<String> listedOthers(FieldBytes f) {
        List<String> out = List.of();
        byte[] b = f.array();
        for (int i = 0; i < f.size(); i++) {
            if (f.kind(i) != FieldBytes.CONNECTION) continue;
            int p = f.lineStart(i) + f.nameLength(i) + 2;
            int end = f.lineEnd(i) - 2;
            while (p < end) {
                int comma = p;
                while (comma < end && b[comma] != ',') comma++;
                int s = p;
                int e = comma;
                while (s < e && (b[s] == ' ' || b[s] == '\t')) s++;
                while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
                if (e > s && !Ascii.equalsLower(b, s, e - s, "keep-alive")) {
                    String token = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
                    if (!always(token)) {
                        if (out.isEmpty()) out = new ArrayList<>(2);
                        out.add(token.toLowerCase(Locale.ROOT));
                    }
                }
                p = comma + 1;
            }
        }
        return out;
    }

    /** @return true if {@code name} must be dropped, given the names {@link #listed} in Connection */
    static boolean drop(String name, List<String> listed) {
        if (always(name)) return true;
        // A short list (usually "keep-alive" or "close"): compared in place, no lower-cased copy per field.
        for (int i = 0; i < listed.size(); i++) {
            String l = listed.get(i);
            if (l.length() == name.length() && l.equalsIgnoreCase(name)) return true;
        }
        return false;
    }
}
