package dev.porter.http.internal.h2;

import java.util.HashMap;
import java.util.Map;

/** The static table of HPACK (RFC 7541 §2.3.1, Appendix A): 61 fields, indexes 1 to 61. */
final class HpackStaticTable {

    /** Number of entries; dynamic table indexes start after it (§2.3.3). */
    static final int LENGTH = 61;

    /** Names by index (index 0 unused). */
    static final String[] NAMES = new String[LENGTH + 1];
    /** Values by index (index 0 unused; "" where Appendix A has no value). */
    static final String[] VALUES = new String[LENGTH + 1];
    /** Each name's first index: fields of the same name are adjacent in the table. */
    private static final Map<String, Integer> FIRST = new HashMap<>();

    static {
        String[] table = {
                ":authority", "",
                ":method", "GET",
                ":method", "POST",
                ":path", "/",
                ":path", "/index.html",
                ":scheme", "http",
                ":scheme", "https",
                ":status", "200",
                ":status", "204",
                ":status", "206",
                ":status", "304",
                ":status", "400",
                ":status", "404",
                ":status", "500",
                "accept-charset", "",
                "accept-encoding", "gzip, deflate",
                "accept-language", "",
                "accept-ranges", "",
                "accept", "",
                "access-control-allow-origin", "",
                "age", "",
                "allow", "",
                "authorization", "",
                "cache-control", "",
                "content-disposition", "",
                "content-encoding", "",
                "content-language", "",
                "content-length", "",
                "content-location", "",
                "content-range", "",
                "content-type", "",
                "cookie", "",
                "date", "",
                "etag", "",
                "expect", "",
                "expires", "",
                "from", "",
                "host", "",
                "if-match", "",
                "if-modified-since", "",
                "if-none-match", "",
                "if-range", "",
                "if-unmodified-since", "",
                "last-modified", "",
                "link", "",
                "location", "",
                "max-forwards", "",
                "proxy-authenticate", "",
                "proxy-authorization", "",
                "range", "",
                "referer", "",
                "refresh", "",
                "retry-after", "",
                "server", "",
                "set-cookie", "",
                "strict-transport-security", "",
                "transfer-encoding", "",
                "user-agent", "",
                "vary", "",
                "via", "",
                "www-authenticate", "",
        };
        for (int i = 1; i <= LENGTH; i++) {
            NAMES[i] = table[2 * i - 2];
            VALUES[i] = table[2 * i - 1];
            FIRST.putIfAbsent(NAMES[i], i);
        }
    }

    private HpackStaticTable() {
    }

    /**
     * Finds a field for the encoder.
     *
     * @return the index of an entry with this name and value; else minus the index of the first entry with this
     *         name; else 0
     */
    static int find(String name, String value) {
        Integer first = FIRST.get(name);
        if (first == null) return 0;
        for (int i = first; i <= LENGTH && NAMES[i].equals(name); i++) {
            if (VALUES[i].equals(value)) return i;
        }
        return -first;
    }
}
