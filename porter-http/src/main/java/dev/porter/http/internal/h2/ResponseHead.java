package dev.porter.http.internal.h2;

import dev.porter.http.Headers;
import dev.porter.http.internal.DateCache;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A response's HEADERS field block: {@code :status}, the handler's fields in lower case (RFC 9113 §8.2.1) without
 * the connection-specific ones HTTP/1.1 handlers may set (§8.2.2) or a content-length of theirs, then
 * {@code date}, {@code server} and {@code strict-transport-security} unless the handler set them, and the
 * content-length when known. Encoded straight into the frame buffer, once per response, on the hot path: no
 * list, no lower-cased copy of a name already in lower case or of a common one, no status or length string.
 *
 * @param status        the status code
 * @param headers       the handler's fields (any case)
 * @param contentLength the body's length, or -1 if unknown (or not to be sent: a status without a body)
 * @param server        the server field's value, or null for none
 * @param hsts          the strict-transport-security field's value, or null for none
 */
record ResponseHead(int status, Headers headers, long contentLength, String server, String hsts)
        implements FieldSource {

    /** Lower-case forms of names as handlers commonly spell them: found by hash, no copy made. */
    private static final Map<String, String> LOWER = new HashMap<>();

    static {
        for (String name : new String[] {"Accept-Ranges", "Access-Control-Allow-Credentials",
                "Access-Control-Allow-Headers", "Access-Control-Allow-Methods", "Access-Control-Allow-Origin",
                "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Age", "Allow", "Cache-Control",
                "Connection", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
                "Content-Location", "Content-Range", "Content-Security-Policy", "Content-Type", "Date", "ETag",
                "Expires", "Keep-Alive", "Last-Modified", "Link", "Location", "Pragma", "Proxy-Connection",
                "Referrer-Policy", "Retry-After", "Server", "Set-Cookie", "Strict-Transport-Security",
                "Transfer-Encoding", "Upgrade", "Vary", "WWW-Authenticate", "X-Content-Type-Options",
                "X-Frame-Options"}) {
            LOWER.put(name, name.toLowerCase(Locale.ROOT).intern());
        }
    }

    /** Bytes for the fields this class adds itself: :status, date, server, content-length (with their margins). */
    private static final int OWN_FIELDS = 3 + 4 + 29 + 6 + 14 + 19 + 4 * 16;

    @Override
    public int maxLength() {
        int max = OWN_FIELDS + (server == null ? 0 : server.length()) + (hsts == null ? 0 : 25 + 16 + hsts.length());
        for (int i = 0, n = headers.size(); i < n; i++) max += HpackEncoder.maxFieldLength(headers.name(i), headers.value(i));
        return max;
    }

    @Override
    public int encode(HpackEncoder encoder, byte[] b, int off) {
        int p = encoder.status(b, off, status);
        boolean date = false;
        boolean serverSet = false;
        boolean hstsSet = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = lowerCase(headers.name(i));
            switch (name) {
                case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length" -> {
                    continue;
                }
                case "date" -> date = true;
                case "server" -> serverSet = true;
                case "strict-transport-security" -> hstsSet = true;
                default -> {
                }
            }
            p = encoder.field(b, p, name, headers.value(i));
        }
        if (!date) p = encoder.field(b, p, "date", DateCache.value());
        if (server != null && !serverSet) p = encoder.field(b, p, "server", server);
        if (hsts != null && !hstsSet) p = encoder.field(b, p, "strict-transport-security", hsts);
        if (contentLength >= 0) p = encoder.contentLength(b, p, contentLength);
        return p;
    }

    @Override
    public boolean interim() {
        return status < 200;
    }

    /** @return {@code name} in lower case: itself if it is already, without a copy if it is a common name */
    static String lowerCase(String name) {
        String known = LOWER.get(name);
        if (known != null) return known;
        for (int i = 0, n = name.length(); i < n; i++) {
            char ch = name.charAt(i);
            if (ch >= 'A' && ch <= 'Z') return name.toLowerCase(Locale.ROOT);
        }
        return name;
    }
}
