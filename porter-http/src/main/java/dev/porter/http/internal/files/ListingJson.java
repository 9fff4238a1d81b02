package dev.porter.http.internal.files;

import java.time.Instant;

/**
 * The listing as JSON, for {@code Accept: application/json}: the same entries in the same order as the page.
 * <pre>{@code
 * {"path":"/docs/","truncated":false,"entries":[
 *   {"name":"img","type":"directory","size":0,"modified":"2026-05-01T10:00:00Z","symlink":false}, ...]}
 * }</pre>
 * Sizes in bytes, dates in UTC (ISO 8601). Written by hand: porter-http has no JSON library. Stateless.
 */
public final class ListingJson {

    private ListingJson() {
    }

    /** @return the JSON document for {@code contents} listed at {@code displayPath} */
    public static String render(String displayPath, DirectoryListing.Contents contents) {
        StringBuilder sb = new StringBuilder(64 + contents.entries().size() * 120);
        sb.append("{\"path\":");
        string(sb, displayPath);
        sb.append(",\"truncated\":").append(contents.truncated()).append(",\"entries\":[");
        boolean first = true;
        for (DirectoryListing.Entry e : contents.entries()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("\n{\"name\":");
            string(sb, e.name());
            sb.append(",\"type\":\"").append(e.directory() ? "directory" : "file").append("\",\"size\":")
                    .append(e.directory() ? 0 : e.size()).append(",\"modified\":\"")
                    .append(Instant.ofEpochMilli(e.modifiedMillis())).append("\",\"symlink\":").append(e.link()).append('}');
        }
        return sb.append("]}\n").toString();
    }

    /** Appends {@code s} as a JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped. */
    static void string(StringBuilder sb, String s) {
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
                        sb.append(c == 0x2028 ? "\\u2028" : "\\u2029"); // valid JSON, but not inside a JS string literal
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
