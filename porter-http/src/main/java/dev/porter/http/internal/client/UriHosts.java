package dev.porter.http.internal.client;

import java.net.URI;
import java.util.Locale;

/**
 * The host and port of a URI, including host names that {@link URI} leaves unparsed. {@code java.net.URI} follows
 * RFC 2396's hostname grammar, so a name with an underscore ({@code my_service}, as Docker Compose names services)
 * becomes a "registry-based" authority without host or port; RFC 3986 §3.2.2 allows it (a reg-name is any
 * unreserved character), and curl and browsers connect to it. Here such an authority is read as
 * {@code reg-name [":" port]}; one holding user information or other characters still has no host.
 */
public final class UriHosts {

    private UriHosts() {
    }

    /** @return the host, lower-cased (an IPv6 literal in brackets), or null if the URI names none */
    public static String host(URI u) {
        if (u.getHost() != null) return u.getHost().toLowerCase(Locale.ROOT);
        String a = u.getRawAuthority();
        if (a == null) return null;
        int colon = a.lastIndexOf(':');
        String host = colon < 0 ? a : a.substring(0, colon);
        if (host.isEmpty() || colon >= 0 && portOf(a.substring(colon + 1)) == -2) return null;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean unreserved = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c == '.' || c == '_' || c == '~';
            if (!unreserved) return null;
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** @return the port, or -1 if the URI has none (or no host) */
    public static int port(URI u) {
        if (u.getHost() != null) return u.getPort();
        if (host(u) == null) return -1;
        String a = u.getRawAuthority();
        int colon = a.lastIndexOf(':');
        return colon < 0 ? -1 : portOf(a.substring(colon + 1));
    }

    /** @return the port written as {@code s}, -1 if empty, -2 if not a number from 0 to 65535 */
    private static int portOf(String s) {
        if (s.isEmpty()) return -1;
        if (s.length() > 5) return -2;
        int p = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -2;
            p = p * 10 + (c - '0');
        }
        return p <= 65535 ? p : -2;
    }
}
