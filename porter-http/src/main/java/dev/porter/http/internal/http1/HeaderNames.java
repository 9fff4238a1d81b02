package dev.porter.http.internal.http1;

import dev.porter.http.internal.Ascii;
import java.util.Locale;

/**
 * Interns well-known field names (in their canonical spelling) so the common headers of a request cost no
 * allocation. Lookup is case-insensitive; the caller keeps unknown names as received.
 */
final class HeaderNames {

    static final String CONTENT_LENGTH = "Content-Length";
    private static final String[] KNOWN = {
        "Host", "Accept", "Accept-Encoding", "Accept-Language", "Connection", CONTENT_LENGTH, "Content-Type",
        "Transfer-Encoding", "User-Agent", "Expect", "Cookie", "Referer", "Upgrade", "Cache-Control", "Pragma",
        "If-None-Match", "If-Modified-Since", "If-Range", "Range", "Authorization", "Origin", "TE", "Trailer",
        "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Upgrade-Insecure-Requests", "DNT", "Priority",
    };
    /** KNOWN by length, then lower-cased for comparison. */
    private static final String[][] BY_LENGTH = new String[32][];
    private static final String[][] LOWER_BY_LENGTH = new String[32][];

    static {
        for (String k : KNOWN) {
            int n = k.length();
            BY_LENGTH[n] = append(BY_LENGTH[n], k);
            LOWER_BY_LENGTH[n] = append(LOWER_BY_LENGTH[n], k.toLowerCase(Locale.ROOT));
        }
    }

    private HeaderNames() {
    }

    private static String[] append(String[] a, String s) {
        if (a == null) return new String[] {s};
        String[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    /** @return the canonical spelling of a well-known name, or null if the name is not one */
    static String known(byte[] b, int off, int len) {
        if (len < BY_LENGTH.length && BY_LENGTH[len] != null) {
            String[] lowers = LOWER_BY_LENGTH[len];
            for (int i = 0; i < lowers.length; i++) {
                if (Ascii.equalsLower(b, off, len, lowers[i])) return BY_LENGTH[len][i];
            }
        }
        return null;
    }
}
