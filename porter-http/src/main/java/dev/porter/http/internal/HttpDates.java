package dev.porter.http.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses HTTP-date (RFC 9110 §5.6.7) in all three forms a recipient must accept: IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT})
 * and asctime ({@code Sun Nov  6 08:49:37 1994}). Formatting is {@link DateCache#format(long)}.
 * Byte-level, no regex; stateless and thread-safe.
 */
public final class HttpDates {

    /** Returned for text that is not an HTTP-date. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private HttpDates() {
    }

    /**
     * @param s         the field value (surrounding whitespace allowed), or null
     * @param nowSecond the current time, used to place RFC 850's two-digit years (RFC 9110 §5.6.7: a year more
     *                  than 50 years in the future is in the past century)
     * @return seconds since the epoch, or {@link #INVALID}
     */
    public static long parse(String s, long nowSecond) {
        if (s == null) return INVALID;
        s = s.strip();
        int comma = s.indexOf(',');
        try {
            if (comma == 3 && s.length() == 29) return imfFixdate(s);
            if (comma > 3) return rfc850(s, comma, nowSecond);
            if (comma < 0 && s.length() == 24) return asctime(s);
        } catch (DateTimeException e) {
            return INVALID; // e.g. 31 Feb: well-formed text naming no real date, treated like any invalid date
        }
        return INVALID;
    }

    // "Sun, 06 Nov 1994 08:49:37 GMT"
    private static long imfFixdate(String s) {
        if (s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' ' || s.charAt(16) != ' '
                || !s.endsWith(" GMT")) {
            return INVALID;
        }
        int day = digits(s, 5, 2);
        int month = month(s, 8);
        int year = digits(s, 12, 4);
        return epoch(year, month, day, s, 17);
    }

    // "Sunday, 06-Nov-94 08:49:37 GMT"
    private static long rfc850(String s, int comma, long nowSecond) {
        int p = comma + 1;
        if (s.length() != p + 23 || s.charAt(p) != ' ' || s.charAt(p + 3) != '-' || s.charAt(p + 7) != '-'
                || s.charAt(p + 10) != ' ' || !s.endsWith(" GMT")) {
            return INVALID;
        }
        int day = digits(s, p + 1, 2);
        int month = month(s, p + 4);
        int yy = digits(s, p + 8, 2);
        if (yy < 0) return INVALID;
        int nowYear = LocalDateTime.ofEpochSecond(nowSecond, 0, ZoneOffset.UTC).getYear();
        int year = (nowYear / 100) * 100 + yy;
        if (year > nowYear + 50) year -= 100;
        return epoch(year, month, day, s, p + 11);
    }

    // "Sun Nov  6 08:49:37 1994"
    private static long asctime(String s) {
        if (s.charAt(3) != ' ' || s.charAt(7) != ' ' || s.charAt(10) != ' ' || s.charAt(19) != ' ') return INVALID;
        int month = month(s, 4);
        int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
        int year = digits(s, 20, 4);
        return epoch(year, month, day, s, 11);
    }

    /** Reads {@code HH:MM:SS} at {@code t} and combines it with the date. */
    private static long epoch(int year, int month, int day, String s, int t) {
        if (year < 0 || month < 0 || day < 0 || s.charAt(t + 2) != ':' || s.charAt(t + 5) != ':') return INVALID;
        int h = digits(s, t, 2);
        int m = digits(s, t + 3, 2);
        int sec = digits(s, t + 6, 2);
        if (h < 0 || m < 0 || sec < 0) return INVALID;
        if (sec == 60) sec = 59; // a leap second names the last second of that minute for our comparisons
        return LocalDateTime.of(year, month, day, h, m, sec).toEpochSecond(ZoneOffset.UTC);
    }

    private static int month(String s, int at) {
        for (int i = 0; i < 12; i++) {
            if (s.regionMatches(at, MONTHS, i * 3, 3)) return i + 1;
        }
        return -1;
    }

    private static int digits(String s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
