package dev.porter.cli;

/**
 * A {@code Content-Range: bytes START-END/TOTAL} field value (RFC 9110 §14.4), as {@code porter get -C} checks a
 * resumed download against it.
 *
 * @param total the whole resource's size, or -1 for {@code *}
 */
record ContentRange(long start, long end, long total) {

    /** @return the range of {@code bytes START-END/TOTAL}, or null if {@code v} is not one */
    static ContentRange parse(String v) {
        if (v == null || !v.startsWith("bytes ")) return null;
        int dash = v.indexOf('-', 6);
        int slash = v.indexOf('/', 6);
        if (dash < 0 || slash < dash) return null;
        long start = digits(v.substring(6, dash).trim());
        long end = digits(v.substring(dash + 1, slash).trim());
        String t = v.substring(slash + 1).trim();
        long total = t.equals("*") ? -1 : digits(t);
        if (start < 0 || end < start || (total < 0 && !t.equals("*"))) return null;
        return new ContentRange(start, end, total);
    }

    /**
     * @return the size of an unsatisfied range ({@code bytes *}{@code /TOTAL}, sent with a 416), or -1 if
     *         {@code v} is not one
     */
    static long unsatisfiedTotal(String v) {
        return v != null && v.startsWith("bytes */") ? digits(v.substring(8)) : -1;
    }

    /** @return the number {@code s} spells in decimal digits only (no sign, at most 18 digits), or -1 */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
        return Long.parseLong(s);
    }
}
