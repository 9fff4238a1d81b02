package dev.porter.http.internal.http1;

import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.Status;
import dev.porter.http.internal.Ascii;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and validates one response head (status line and header section, RFC 9112 §4-§5): a pure state machine
 * over bytes, like the server's {@link RequestHead}. {@link #parse} consumes whole lines and stops when the head is
 * {@link #done() done} or a line is incomplete (feed the unconsumed bytes again, with more). Strict: CRLF line ends
 * only, one space between the parts of the status line, field lines checked by the shared {@link FieldLines}
 * rules, sizes bounded; anything else is a {@link HttpClientException.MalformedResponse} naming the rule, raised in
 * byte order so the result does not depend on how the bytes were split. One instance per exchange, {@link #reset()}
 * between heads; not thread-safe.
 */
public final class ResponseHead {

    /** Empty lines tolerated before a status line (RFC 9112 §2.2: a recipient should ignore at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;
    static final int MAX_STATUS_LINE = 8192;
    private static final String PREFIX = "HTTP/";

    private static final int STATUS_LINE = 0;
    private static final int FIELDS = 1;
    private static final int DONE = 2;

    /** 10 for HTTP/1.0, 11 for HTTP/1.1 (and higher 1.x minors, RFC 9110 §2.5). */
    public int version;
    public Status status;
    /**
     * The fields, as strings; for a head that {@linkplain #ResponseHead(int, int, boolean, boolean) keeps bytes},
     * only the ones the client and a proxy act on (Connection, Content-Length, Transfer-Encoding, Via).
     */
    public final Headers headers = new Headers();
    /** Every field line as bytes, when the head keeps them; else null. */
    public final FieldBytes fields;
    /** The head as text lines, when a listener wants them; else null. */
    public List<String> lines;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final boolean record;
    private boolean started;
    /** A byte of the head being read now was seen (cleared by {@link #reset}, unlike {@link #started}). */
    private boolean begun;
    private int state;
    private int scanned;
    private int empties;
    private int headerBytes;

    public ResponseHead(int maxHeaderBytes, int maxHeaderCount, boolean record) {
        this(maxHeaderBytes, maxHeaderCount, record, false);
    }

    /**
     * @param keepBytes keep the field lines as {@link #fields bytes} and make strings only of the fields that
     *                  frame the message or that a proxy edits (the same checks either way)
     */
    public ResponseHead(int maxHeaderBytes, int maxHeaderCount, boolean record, boolean keepBytes) {
        this.fields = keepBytes ? new FieldBytes() : null;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.record = record;
        reset();
    }

    /** Forgets the last head (an interim response): ready for the next one. */
    public void reset() {
        version = 0;
        status = null;
        headers.clear();
        if (fields != null) fields.clear();
        lines = record ? new ArrayList<>() : null;
        state = STATUS_LINE;
        scanned = 0;
        empties = 0;
        headerBytes = 0;
        begun = false;
    }

    /** Makes the head new for the next exchange on its connection (as constructed: no byte seen yet). */
    public void renew() {
        started = false;
        reset();
    }

    /** @return true once any byte of a response was seen (a connection that fails later did answer) */
    public boolean started() {
        return started;
    }

    /**
     * @return why a response whose connection closed now, after {@link #started()}, is incomplete: inside its head,
     *         or right after an interim (1xx) response, before the final one began
     */
    public String whyIncomplete() {
        return begun ? "connection closed inside the response head"
                : "connection closed after an interim (1xx) response, before the final one";
    }

    /** @return true once the empty line ending the header section was consumed */
    public boolean done() {
        return state == DONE;
    }

    /** @return the most unread bytes a caller must hold for the pending line to complete */
    public int maxPending() {
        return lineLimit() + 3;
    }

    private int lineLimit() {
        return state == STATUS_LINE ? MAX_STATUS_LINE : Math.max(0, maxHeaderBytes - headerBytes);
    }

    /**
     * Consumes the complete lines in {@code b[start, end)}.
     *
     * @return the index after the last byte consumed; unless {@link #done()}, the bytes from there on are an
     *         incomplete line to feed again, followed by more
     * @throws HttpClientException.MalformedResponse if the head breaks the grammar or the limits
     */
    public int parse(byte[] b, int start, int end) throws HttpClientException.MalformedResponse {
        int p = start;
        if (end > start) {
            started = true;
            begun = true;
        }
        while (state != DONE) {
            boolean statusLine = state == STATUS_LINE;
            int limit = lineLimit();
            int lf = -1;
            for (int i = p + scanned; i < end; i++) {
                if (b[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            // Errors in byte order (see RequestHead): what is wrong within a line's first limit + 2 bytes first.
            if (lf < 0) {
                int pending = end - p;
                // Reject what is already wrong before waiting for the rest: a bad prefix never becomes good.
                if (pending > 0) checkPartial(b, p, Math.min(end, p + limit + 2), statusLine);
                if (pending > limit + 1) throw tooLong(statusLine);
                scanned = pending;
                return p;
            }
            scanned = 0;
            if (lf - p > limit + 1) {
                checkPartial(b, p, p + limit + 2, statusLine);
                throw tooLong(statusLine);
            }
            int len = lineLength(b, p, lf);
            if (statusLine) {
                if (len == 0) {
                    p = lf + 1;
                    if (++empties > MAX_LEADING_EMPTY_LINES) throw malformed("too many empty lines before the status line");
                    continue;
                }
                parseStatusLine(b, p, len);
                headerBytes = len + 2;
                state = FIELDS;
            } else {
                headerBytes += lf + 1 - p;
                if (len == 0) {
                    state = DONE;
                } else {
                    // The limit counts every field line with its CRLF (the bound above must also admit the final
                    // empty line, so it is looser). A bad byte in the line is reported first: byte order.
                    if (headerBytes > maxHeaderBytes) {
                        checkPartial(b, p, p + len, false);
                        throw tooLong(false);
                    }
                    if ((fields != null ? fields.size() : headers.size()) >= maxHeaderCount) {
                        checkPartial(b, p, p + len, false);
                        throw malformed("more than " + maxHeaderCount + " header fields");
                    }
                    if (fields != null) {
                        keep(b, p, len);
                    } else {
                        FieldLines.parse(b, p, len, headers, ClientErrors.MALFORMED);
                    }
                    if (record && fields != null) {
                        int last = fields.size() - 1;
                        lines.add(fields.name(last) + ": " + fields.value(last));
                    } else if (record) {
                        int last = headers.size() - 1;
                        lines.add(headers.name(last) + ": " + headers.value(last));
                    }
                }
            }
            p = lf + 1;
        }
        return p;
    }

    /** Checks a field line as {@link FieldLines#parse} does and keeps it as bytes; strings only for a few names. */
    private void keep(byte[] b, int off, int len) throws HttpClientException.MalformedResponse {
        int end = off + len;
        int colon = FieldLines.check(b, off, len, ClientErrors.MALFORMED);
        int v = FieldLines.valueStart(b, colon, end);
        int ve = FieldLines.valueEnd(b, v, end);
        int n = colon - off;
        byte kind = switch (n) {
            case 2 -> Ascii.equalsLower(b, off, n, "te") ? FieldBytes.OTHER_HOP_BY_HOP : FieldBytes.OTHER;
            case 3 -> Ascii.equalsLower(b, off, n, "via") ? FieldBytes.VIA : FieldBytes.OTHER;
            case 7 -> Ascii.equalsLower(b, off, n, "upgrade") || Ascii.equalsLower(b, off, n, "trailer")
                    ? FieldBytes.OTHER_HOP_BY_HOP : FieldBytes.OTHER;
            case 10 -> Ascii.equalsLower(b, off, n, "connection") ? FieldBytes.CONNECTION
                    : Ascii.equalsLower(b, off, n, "keep-alive") ? FieldBytes.OTHER_HOP_BY_HOP : FieldBytes.OTHER;
            case 14 -> Ascii.equalsLower(b, off, n, "content-length") ? FieldBytes.CONTENT_LENGTH : FieldBytes.OTHER;
            case 16 -> Ascii.equalsLower(b, off, n, "proxy-connection") ? FieldBytes.OTHER_HOP_BY_HOP : FieldBytes.OTHER;
            case 17 -> Ascii.equalsLower(b, off, n, "transfer-encoding") ? FieldBytes.TRANSFER_ENCODING : FieldBytes.OTHER;
            default -> FieldBytes.OTHER;
        };
        fields.add(b, off, n, v, ve - v, kind);
        String name = switch (kind) {
            case FieldBytes.VIA -> "Via";
            case FieldBytes.CONNECTION -> "Connection";
            case FieldBytes.CONTENT_LENGTH -> "Content-Length";
            case FieldBytes.TRANSFER_ENCODING -> "Transfer-Encoding";
            default -> null;
        };
        if (name != null) headers.add(name, new String(b, v, ve - v, StandardCharsets.ISO_8859_1));
    }

    /** Validates an incomplete line as far as it goes (RFC 9112 §2.2 bare CR, §4 status line, §5 field line). */
    private static void checkPartial(byte[] b, int off, int end, boolean statusLine) throws HttpClientException.MalformedResponse {
        for (int i = off; i < end - 1; i++) {
            if (b[i] == '\r' && b[i + 1] != '\n') throw malformed("bare CR in response head (not followed by LF)");
        }
        int lim = end > off && b[end - 1] == '\r' ? end - 1 : end;
        if (lim == off) return;
        if (statusLine) checkStatusLine(b, off, lim, false);
        else FieldLines.checkPartial(b, off, lim, ClientErrors.MALFORMED);
    }

    /** @return the length of the line from {@code off} to its LF at {@code lf}, without its CRLF */
    private static int lineLength(byte[] b, int off, int lf) throws HttpClientException.MalformedResponse {
        int len = lf - off;
        if (len > 0 && b[lf - 1] == '\r') return len - 1;
        // RFC 9112 §2.2 lets a recipient accept a bare LF; Porter does not, on either side (smuggling risk).
        throw malformed("line ended by a bare LF in response head (expected CRLF)");
    }

    private HttpClientException.MalformedResponse tooLong(boolean statusLine) {
        return statusLine ? malformed("status line longer than " + MAX_STATUS_LINE + " bytes")
                : malformed("response head larger than " + maxHeaderBytes + " bytes");
    }

    private static HttpClientException.MalformedResponse malformed(String why) {
        return new HttpClientException.MalformedResponse(why);
    }

    /** status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). */
    private void parseStatusLine(byte[] b, int off, int len) throws HttpClientException.MalformedResponse {
        checkStatusLine(b, off, off + len, true);
        int major = b[off + 5] - '0';
        int minor = b[off + 7] - '0';
        if (major != 1) {
            throw malformed("unsupported HTTP version HTTP/" + major + "." + minor + " in status line (expected HTTP/1.x)");
        }
        // RFC 9110 §2.5: a higher minor version of a known major is read as the highest one known.
        version = minor == 0 ? 10 : 11;
        int code = (b[off + 9] - '0') * 100 + (b[off + 10] - '0') * 10 + (b[off + 11] - '0');
        // RFC 9110 §15: the first digit is the class; only 1xx to 5xx exist.
        if (code < 100 || code > 599) throw malformed("status code " + code + " is outside 100..599");
        // The usual reason phrase gives Porter's own Status (no string, and the server has its status line ready).
        Status known = Status.of(code);
        if (len > 13 && sameReason(b, off + 13, len - 13, known.reason())) {
            status = known;
        } else {
            status = new Status(code, len > 13 ? new String(b, off + 13, len - 13, StandardCharsets.ISO_8859_1) : "");
        }
        if (record) lines.add(new String(b, off, len, StandardCharsets.ISO_8859_1));
    }

    private static boolean sameReason(byte[] b, int off, int len, String reason) {
        if (len != reason.length()) return false;
        for (int i = 0; i < len; i++) {
            if (b[off + i] != reason.charAt(i)) return false;
        }
        return true;
    }

    /**
     * Checks a status line, or as much of it as arrived: {@code HTTP/} DIGIT {@code .} DIGIT, one SP, three digits,
     * then the end of the line or one SP and a reason phrase of HTAB, SP, VCHAR and obs-text. The space before an
     * empty reason phrase may be missing: RFC 9112 §4 tells clients to ignore the reason, and servers omit it.
     */
    private static void checkStatusLine(byte[] b, int off, int end, boolean complete) throws HttpClientException.MalformedResponse {
        int n = end - off;
        for (int k = 0; k < n; k++) {
            byte ch = b[off + k];
            if (k < 5) {
                if (ch != PREFIX.charAt(k)) throw malformed("status line does not start with HTTP/: " + excerpt(b, off, end));
            } else if (k == 5 || k == 7) {
                if (ch < '0' || ch > '9') throw malformed("malformed HTTP version in status line: " + excerpt(b, off, end));
            } else if (k == 6) {
                if (ch != '.') throw malformed("malformed HTTP version in status line: " + excerpt(b, off, end));
            } else if (k == 8) {
                if (ch != ' ') throw malformed("expected one space after the HTTP version: " + excerpt(b, off, end));
            } else if (k <= 11) {
                if (ch < '0' || ch > '9') throw malformed("status code is not three digits: " + excerpt(b, off, end));
            } else if (k == 12) {
                if (ch != ' ') throw malformed("expected a space after the status code: " + excerpt(b, off, end));
            } else if (!Ascii.isFieldValueChar(ch)) {
                throw malformed(ch == '\r' ? "bare CR in status line" : "control character in reason phrase");
            }
        }
        if (complete && n < 12) throw malformed("status line too short: " + excerpt(b, off, end));
    }

    /** @return the start of a line as printable ASCII, for error messages */
    static String excerpt(byte[] b, int off, int end) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = off; i < Math.min(end, off + 40); i++) {
            int ch = b[i] & 0xFF;
            if (ch >= 0x20 && ch < 0x7F) sb.append((char) ch);
            else sb.append(ch == '\t' ? "\\t" : ch == '\r' ? "\\r" : String.format("\\x%02x", ch));
        }
        if (end - off > 40) sb.append("...");
        return sb.append('\'').toString();
    }
}
