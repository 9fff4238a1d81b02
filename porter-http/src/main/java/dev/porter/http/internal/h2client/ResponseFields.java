package dev.porter.http.internal.h2client;

import dev.porter.http.Headers;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.h2.HpackDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * One field block the server sent on a stream, decoded by the connection's {@link HpackDecoder} and checked as it
 * arrives against the rules for responses (RFC 9113 §8.2, §8.3.2): exactly one {@code :status} of three digits and
 * no other pseudo-header, pseudo-headers before regular fields (none at all in trailers), lower-case token names,
 * values without NUL, CR, LF or other controls and without whitespace at either end, no connection-specific field
 * ({@code connection}, {@code keep-alive}, {@code proxy-connection}, {@code transfer-encoding}, {@code upgrade}),
 * at most {@code maxCount} fields, and a {@code content-length} of digits whose repeats agree. The first rule
 * broken is kept in {@link #problem} (the sink must not throw: the block is always decoded to its end so the HPACK
 * context stays in step); the stream is then malformed (§8.1.1). Used by the reader thread, then handed over.
 */
final class ResponseFields implements HpackDecoder.Sink {

    final Headers headers = new Headers();
    /** {@code name: value} lines for a listener, or null. */
    final List<String> lines;
    /** The {@code :status}, or -1. */
    int status = -1;
    /** The {@code content-length}, or -1. */
    long contentLength = -1;
    /** The first rule broken, or null. */
    String problem;

    private final boolean trailers;
    private final int maxCount;
    private boolean regularSeen;
    private int count;

    ResponseFields(boolean trailers, int maxCount, boolean record) {
        this.trailers = trailers;
        this.maxCount = maxCount;
        this.lines = record ? new ArrayList<>() : null;
    }

    @Override
    public void header(String name, String value) {
        if (problem != null) return;
        if (name.startsWith(":")) {
            pseudo(name, value);
            return;
        }
        regularSeen = true;
        if (++count > maxCount) {
            problem = "more than " + maxCount + " header fields";
            return;
        }
        String why = nameProblem(name);
        if (why == null) why = valueProblem(name, value);
        if (why != null) {
            problem = why;
            return;
        }
        switch (name) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> {
                problem = "connection-specific field '" + name + "' (RFC 9113 §8.2.2)";
                return;
            }
            case "content-length" -> {
                if (!trailers && !contentLength(value)) return;
            }
            default -> {
            }
        }
        headers.add(name, value);
        if (lines != null) lines.add(name + ": " + value);
    }

    private void pseudo(String name, String value) {
        if (trailers) {
            problem = "pseudo-header " + name + " in trailers (RFC 9113 §8.1)";
        } else if (regularSeen) {
            problem = "pseudo-header " + name + " after a regular field (RFC 9113 §8.3)";
        } else if (!name.equals(":status")) {
            problem = "pseudo-header " + name + " in a response (RFC 9113 §8.3.2)";
        } else if (status >= 0) {
            problem = "more than one :status (RFC 9113 §8.3.2)";
        } else if (value.length() != 3 || !digits(value) || value.charAt(0) == '0') {
            problem = ":status '" + printable(value) + "' is not a three-digit code from 100 to 999";
        } else {
            status = Integer.parseInt(value);
        }
    }

    private boolean contentLength(String value) {
        if (value.isEmpty() || value.length() > 18 || !digits(value)) {
            problem = "content-length '" + printable(value) + "' is not a number";
            return false;
        }
        long n = Long.parseLong(value);
        if (contentLength >= 0 && contentLength != n) {
            problem = "content-length values disagree: " + contentLength + " and " + n;
            return false;
        }
        contentLength = n;
        return true;
    }

    /** @return the first rule the complete block broke, or null */
    String check() {
        if (problem == null && !trailers && status < 0) problem = "no :status in the response (RFC 9113 §8.3.2)";
        return problem;
    }

    /** @return the status line a listener sees: {@code HTTP/2 200} */
    String statusLine() {
        return "HTTP/2 " + status;
    }

    private static String nameProblem(String name) {
        if (name.isEmpty()) return "empty field name";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xFF || !Ascii.isTchar((byte) c) || (c >= 'A' && c <= 'Z')) {
                return "field name '" + printable(name) + "' is not a lower-case token (RFC 9113 §8.2.1)";
            }
        }
        return null;
    }

    private static String valueProblem(String name, String value) {
        String why = Ascii.fieldValueProblem(value);
        if (why != null) return "value of '" + name + "': " + why + " (RFC 9113 §8.2.1)";
        if (!value.isEmpty() && (ws(value.charAt(0)) || ws(value.charAt(value.length() - 1)))) {
            return "value of '" + name + "' starts or ends with whitespace (RFC 9113 §8.2.1)";
        }
        return null;
    }

    private static boolean ws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 40); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
