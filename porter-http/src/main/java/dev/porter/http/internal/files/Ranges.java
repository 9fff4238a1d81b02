package dev.porter.http.internal.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses a {@code Range} header (RFC 9110 §14.2) against a representation of known length and says what to send.
 * Only the {@code bytes} unit exists (§14.1.2); a header in another unit, with a syntax error, or with more than
 * {@link #MAX_RANGES} ranges is ignored (a full 200 is then the answer), as §14.2 allows. Overlapping ranges are
 * coalesced (§14.3 allows it, and it defeats requests that ask for the same bytes many times over).
 * Stateless and thread-safe.
 */
public final class Ranges {

    /** More ranges than this in one request are not served piecewise; the whole representation is sent instead. */
    public static final int MAX_RANGES = 64;

    private Ranges() {
    }

    /** What a Range header asks for, resolved against the representation's length. */
    public sealed interface Outcome permits Ignore, Unsatisfiable, Satisfiable {
    }

    /** No usable Range header: send the whole representation with 200. */
    public record Ignore() implements Outcome {
    }

    /** Every range lies beyond the end: 416 with {@code Content-Range: bytes *}{@code /length} (§15.5.17). */
    public record Unsatisfiable() implements Outcome {
    }

    /** One or more ranges to send with 206, in the order to send them. */
    public record Satisfiable(List<Slice> slices) implements Outcome {
    }

    /**
     * An inclusive byte range of the representation.
     *
     * @param first offset of the first byte
     * @param last  offset of the last byte ({@code >= first})
     */
    public record Slice(long first, long last) {
        /** @return the number of bytes in the range */
        public long length() {
            return last - first + 1;
        }

        /** @return {@code bytes first-last/total}, the value of Content-Range (§14.4) */
        public String contentRange(long total) {
            return "bytes " + first + '-' + last + '/' + total;
        }
    }

    private static final Ignore IGNORE = new Ignore();
    private static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    /**
     * @param header the Range field value, or null
     * @param length the length of the selected representation
     * @return what to send
     */
    public static Outcome evaluate(String header, long length) {
        if (header == null) return IGNORE;
        int eq = header.indexOf('=');
        // range-unit is case-insensitive (§14.1); "bytes" is the only unit we know, so anything else is ignored.
        if (eq != 5 || !header.regionMatches(true, 0, "bytes", 0, 5)) return IGNORE;
        List<Slice> slices = new ArrayList<>(2);
        int count = 0;
        int i = eq + 1;
        int n = header.length();
        while (true) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) i++;
            int end = header.indexOf(',', i);
            if (end < 0) end = n;
            int specEnd = end;
            while (specEnd > i && (header.charAt(specEnd - 1) == ' ' || header.charAt(specEnd - 1) == '\t')) specEnd--;
            if (specEnd > i) { // empty list elements are allowed and skipped (RFC 9110 §5.6.1.2)
                if (++count > MAX_RANGES) return IGNORE;
                int result = spec(header, i, specEnd, length, slices);
                if (result < 0) return IGNORE;
            }
            if (end == n) break;
            i = end + 1;
        }
        if (count == 0) return IGNORE;
        if (slices.isEmpty()) return UNSATISFIABLE;
        return new Satisfiable(coalesceIfOverlapping(slices));
    }

    /**
     * Parses one range-spec and adds it to {@code out} if it is satisfiable.
     *
     * @return 0 if parsed, -1 on a syntax error
     */
    private static int spec(String h, int from, int to, long length, List<Slice> out) {
        int dash = h.indexOf('-', from);
        if (dash < 0 || dash >= to) return -1;
        if (dash == from) { // suffix-range: "-" suffix-length
            long n = number(h, dash + 1, to);
            if (n < 0) return -1;
            if (n > 0 && length > 0) out.add(new Slice(Math.max(0, length - n), length - 1));
            return 0;
        }
        long first = number(h, from, dash);
        if (first < 0) return -1;
        long last;
        if (dash + 1 == to) {
            last = Long.MAX_VALUE; // "a-": to the end
        } else {
            last = number(h, dash + 1, to);
            if (last < 0 || last < first) return -1; // §14.1.1: last-pos < first-pos makes the header invalid
        }
        if (first < length) out.add(new Slice(first, Math.min(last, length - 1)));
        return 0;
    }

    /** @return the decimal number in {@code [from, to)}, saturating at Long.MAX_VALUE, or -1 if not all digits */
    private static long number(String s, int from, int to) {
        if (from >= to) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            int d = c - '0';
            v = v > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : v * 10 + d;
        }
        return v;
    }

    /** Keeps the requested order unless two ranges overlap; then sorts and merges them (§14.3). */
    private static List<Slice> coalesceIfOverlapping(List<Slice> slices) {
        if (slices.size() < 2) return List.copyOf(slices);
        List<Slice> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparingLong(Slice::first));
        boolean overlap = false;
        for (int i = 1; i < sorted.size() && !overlap; i++) {
            overlap = sorted.get(i).first() <= sorted.get(i - 1).last();
        }
        if (!overlap) return List.copyOf(slices);
        List<Slice> merged = new ArrayList<>(sorted.size());
        Slice cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            Slice s = sorted.get(i);
            if (s.first() <= cur.last() + 1) {
                cur = new Slice(cur.first(), Math.max(cur.last(), s.last()));
            } else {
                merged.add(cur);
                cur = s;
            }
        }
        merged.add(cur);
        return List.copyOf(merged);
    }
}
