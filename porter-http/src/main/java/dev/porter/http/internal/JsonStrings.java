package dev.porter.http.internal;

/**
 * JSON strings for the JSON that Porter writes itself (a directory listing, the status page's numbers): RFC 8259 §7
 * escaping, without a JSON library.
 */
public final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped (the common ones by
     * name, the others as {@code \\u00XX}), and U+2028 and U+2029 as {@code \\u} escapes too: they are valid in
     * JSON but end a JavaScript string literal.
     */
    public static void append(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else if (c == 0x2028 || c == 0x2029) {
                        sb.append(c == 0x2028 ? "\\u2028" : "\\u2029");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** @return {@code s} as a JSON string, as {@link #append} writes it */
    public static String of(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        append(sb, s);
        return sb.toString();
    }
}
