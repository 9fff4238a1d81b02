package dev.porter.http.internal.sse;

import dev.porter.http.ServerSentEvent;

import java.nio.charset.StandardCharsets;

/**
 * Writes events and comments in the {@code text/event-stream} format (WHATWG HTML §9.2.6 "Interpreting an event
 * stream"): UTF-8, LF line ends, one {@code name: value} line per field, a blank line after each event. Pure: text
 * in, bytes out.
 */
public final class EventEncoder {

    private EventEncoder() {
    }

    /**
     * Encodes one event. The space after each colon is the one a parser removes (§9.2.6: "If value starts with a
     * U+0020 SPACE character, remove it"), so a value that itself starts with a space keeps it.
     */
    public static byte[] event(ServerSentEvent e) {
        StringBuilder sb = new StringBuilder(32 + (e.data() == null ? 0 : e.data().length()));
        if (e.id() != null) sb.append("id: ").append(e.id()).append('\n');
        if (e.event() != null) sb.append("event: ").append(e.event()).append('\n');
        if (e.retry() != null) sb.append("retry: ").append(e.retry().toMillis()).append('\n');
        if (e.data() != null) lines(sb, "data: ", e.data());
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes a comment: each line of {@code text} after a colon, which parsers skip (§9.2.6). */
    public static byte[] comment(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 4);
        lines(sb, text.isEmpty() ? ":" : ": ", text);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends {@code prefix} and each line of {@code text}, split where the format sees a line end: CRLF, a lone
     * CR, or a lone LF (§9.2.5's grammar), so no character of the value can end the field early.
     */
    private static void lines(StringBuilder sb, String prefix, String text) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                sb.append(prefix).append(text, start, i).append('\n');
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
                start = i + 1;
            }
        }
        sb.append(prefix).append(text, start, n).append('\n');
    }
}
