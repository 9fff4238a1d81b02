package dev.porter.http.internal.files;

import java.util.List;

/**
 * Reads {@code Accept-Encoding} (RFC 9110 §12.5.3) for the two codings static files come in: {@code br} and
 * {@code gzip} (with its alias {@code x-gzip}, §8.4.1.3). Weights are in thousandths ({@code q=0.5} is 500);
 * {@code q=0} means "not acceptable"; {@code *} stands for codings not listed.
 *
 * <p>Without the header a server may use any coding (§12.5.3), but clients that send none (scripts, {@code curl}
 * without {@code --compressed}) cannot decode one, so an absent header here means identity only. Stateless.
 */
public final class ContentCodings {

    /**
     * The weights of the codings we can serve.
     *
     * @param br   weight of {@code br}, 0..1000
     * @param gzip weight of {@code gzip}, 0..1000
     */
    public record Accepted(int br, int gzip) {
        /** Nothing but identity. */
        public static final Accepted IDENTITY_ONLY = new Accepted(0, 0);
    }

    private ContentCodings() {
    }

    /** @param fields every Accept-Encoding field value of the request (empty if none) */
    public static Accepted parse(List<String> fields) {
        if (fields.isEmpty()) return Accepted.IDENTITY_ONLY;
        int br = -1;
        int gzip = -1;
        int star = -1;
        for (String f : fields) {
            int i = 0;
            int n = f.length();
            while (i < n) {
                int end = f.indexOf(',', i);
                if (end < 0) end = n;
                int semi = f.indexOf(';', i);
                int nameEnd = semi >= 0 && semi < end ? semi : end;
                int q = semi >= 0 && semi < end ? weight(f, semi + 1, end) : 1000;
                int a = skipSpace(f, i, nameEnd);
                int b = trimEnd(f, a, nameEnd);
                if (q >= 0 && b > a) {
                    if (is(f, a, b, "br")) br = Math.max(br, q);
                    else if (is(f, a, b, "gzip") || is(f, a, b, "x-gzip")) gzip = Math.max(gzip, q);
                    else if (is(f, a, b, "*")) star = Math.max(star, q);
                }
                i = end + 1;
            }
        }
        int dflt = Math.max(star, 0);
        return new Accepted(br >= 0 ? br : dflt, gzip >= 0 ? gzip : dflt);
    }

    /** @return the q-value of the parameters in {@code [from, to)} in thousandths, 1000 if absent, -1 if malformed */
    private static int weight(String s, int from, int to) {
        int i = skipSpace(s, from, to);
        if (i + 1 >= to || (s.charAt(i) != 'q' && s.charAt(i) != 'Q') || s.charAt(i + 1) != '=') return -1;
        i += 2;
        int end = trimEnd(s, i, to);
        if (i >= end) return -1;
        char first = s.charAt(i);
        if (first != '0' && first != '1') return -1;
        int v = (first - '0') * 1000;
        if (i + 1 < end) {
            if (s.charAt(i + 1) != '.' || end - (i + 2) > 3) return -1;
            int scale = 100;
            for (int k = i + 2; k < end; k++, scale /= 10) {
                char c = s.charAt(k);
                if (c < '0' || c > '9') return -1;
                v += (c - '0') * scale;
            }
        }
        return v > 1000 ? -1 : v; // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), §12.4.2
    }

    private static boolean is(String s, int from, int to, String name) {
        return to - from == name.length() && s.regionMatches(true, from, name, 0, name.length());
    }

    private static int skipSpace(String s, int i, int to) {
        while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) to--;
        return to;
    }
}
