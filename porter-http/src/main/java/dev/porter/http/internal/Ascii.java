package dev.porter.http.internal;

/** Byte classes of the HTTP grammar (RFC 9110 §5.6.2, RFC 9112), as lookup tables for the hot path. */
public final class Ascii {

    private Ascii() {
    }

    /** tchar: the characters of a token (method, field name, transfer coding). RFC 9110 §5.6.2. */
    private static final boolean[] TCHAR = new boolean[256];
    /** Characters allowed in a request-target: visible ASCII, no space or controls (RFC 9112 §3.2, RFC 3986). */
    private static final boolean[] TARGET = new boolean[256];
    /** field-vchar / SP / HTAB / obs-text: what a field value may hold (RFC 9110 §5.5). No CTL, no DEL. */
    private static final boolean[] FIELD_VALUE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (int c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
        for (int c = 0x21; c <= 0x7E; c++) TARGET[c] = true;
        for (int c = 0x20; c <= 0x7E; c++) FIELD_VALUE[c] = true;
        for (int c = 0x80; c <= 0xFF; c++) FIELD_VALUE[c] = true;
        FIELD_VALUE['\t'] = true;
    }

    /** @return true if byte {@code b} may appear in a token */
    public static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** @return true if byte {@code b} may appear in a request-target */
    public static boolean isTargetChar(byte b) {
        return TARGET[b & 0xFF];
    }

    /** @return true if byte {@code b} may appear in a field value */
    public static boolean isFieldValueChar(byte b) {
        return FIELD_VALUE[b & 0xFF];
    }

    /** @return true if {@code s} is a non-empty token */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !TCHAR[c]) return false;
        }
        return true;
    }

    /**
     * Checks a field a handler sets on a response: the name a token, the value free of CR, LF and other controls.
     *
     * @throws IllegalArgumentException naming the problem (response splitting is refused, never escaped)
     */
    public static void requireField(String name, String value) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(value, "value");
        if (!isToken(name)) throw new IllegalArgumentException("header name is not a token: " + name);
        String problem = fieldValueProblem(value);
        if (problem != null) throw new IllegalArgumentException("header " + name + ": " + problem);
    }

    /**
     * Checks every field of a response's list as {@link #requireField} checks one: for a list the handler could
     * change directly through {@code Response.headers()}, which takes no part in the checks of {@code header}.
     *
     * @throws IllegalArgumentException naming the first field that may not be sent
     */
    public static void requireFields(dev.porter.http.Headers fields) {
        for (int i = 0, n = fields.size(); i < n; i++) requireField(fields.name(i), fields.value(i));
    }

    /**
     * @return null if {@code s} may be sent as a field value, else why not. Refuses CR, LF, NUL and other
     *         controls (response splitting) and characters above U+00FF (values are octets, RFC 9110 §5.5).
     */
    public static String fieldValueProblem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) return "character U+" + Integer.toHexString(c) + " is not an octet";
            if (!FIELD_VALUE[c]) return "control character 0x" + Integer.toHexString(c) + " is not allowed";
        }
        return null;
    }

    /** ASCII case-insensitive comparison of {@code len} bytes at {@code off} with the lower-case {@code lower}. */
    public static boolean equalsLower(byte[] b, int off, int len, String lower) {
        if (len != lower.length()) return false;
        for (int i = 0; i < len; i++) {
            int c = b[off + i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower.charAt(i)) return false;
        }
        return true;
    }

    /** @return the value of a hex digit, or -1 */
    public static int hexValue(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }
}
