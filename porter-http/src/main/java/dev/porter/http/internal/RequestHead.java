package dev.porter.http.internal;

import dev.porter.core.internal.SocketConnection;
import dev.porter.http.Headers;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.Status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses and validates one request head (request line and header section, RFC 9112 §2-§5) straight from the
 * connection's input buffer, one line at a time as bytes arrive. Strict: anything the grammar does not allow is
 * an {@link HttpException} naming the rule, and the connection must then be closed, because its remaining bytes
 * can no longer be framed safely. Reused for every request of a connection; not thread-safe.
 */
public final class RequestHead {

    /** Leading empty lines tolerated before a request line (RFC 9112 §2.2 says ignore at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    public String method;
    public String target;
    /** 10 for HTTP/1.0, 11 for HTTP/1.1. */
    public int version;
    public final Headers headers = new Headers();
    private int headerBytes;
    private long contentLengthSeen;
    private final HttpConfig config;

    public RequestHead(HttpConfig config) {
        this.config = config;
    }

    private void reset() {
        method = null;
        target = null;
        version = 0;
        headers.clear();
        headerBytes = 0;
        contentLengthSeen = -1;
    }

    /**
     * Reads one request head.
     *
     * @param headerTimeoutNanos time allowed for the whole head from its first byte
     * @param firstByteDeadline  {@link System#nanoTime()} by which the first byte must come, or 0 to wait for it
     *                           as long as the connection's idle (keep-alive) timeout allows
     * @return false if the peer closed the connection cleanly before sending a byte of a new request
     * @throws HttpException          400, 414, 431 or 505 for a malformed or oversized head
     * @throws java.net.SocketTimeoutException if the head did not arrive within the header timeout
     */
    public boolean read(SocketConnection c, long headerTimeoutNanos, long firstByteDeadline) throws IOException {
        reset();
        c.setReadDeadline(firstByteDeadline);
        if (!c.hasBufferedInput() && !c.fill(false, Integer.MAX_VALUE)) return false;
        if (firstByteDeadline == 0) c.setReadDeadline(System.nanoTime() + headerTimeoutNanos);
        int empties = 0;
        while (true) {
            int end = nextLine(c, config.maxRequestLineLength(), true);
            if (end == -1) return false;
            int len = lineLength(c, end);
            if (len == 0) {
                // RFC 9112 §2.2: ignore empty lines before the request line (a client's stray CRLF after a body).
                c.inPos = end + 1;
                if (++empties > MAX_LEADING_EMPTY_LINES) throw bad("too many empty lines before the request line");
                continue;
            }
            // nextLine's bound leaves room for a CR; with a bare LF (lenient) the line itself must still fit.
            if (len > config.maxRequestLineLength()) throw tooLong(true);
            parseRequestLine(c.in, c.inPos, len);
            c.inPos = end + 1;
            break;
        }
        while (true) {
            int remaining = config.maxHeaderBytes() - headerBytes;
            int end = nextLine(c, remaining, false);
            int len = lineLength(c, end);
            headerBytes += end + 1 - c.inPos;
            if (len == 0) {
                c.inPos = end + 1;
                return true;
            }
            // The limit counts every field line with its line end; nextLine's bound is looser (it must also admit
            // the final empty line), so the exact check is here.
            if (headerBytes > config.maxHeaderBytes()) throw tooLong(false);
            if (headers.size() >= config.maxHeaderCount()) {
                throw new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "more than " + config.maxHeaderCount() + " header fields");
            }
            parseField(c.in, c.inPos, len);
            c.inPos = end + 1;
        }
    }

    /**
     * Finds the LF ending the next line, reading more bytes as needed.
     *
     * @return the index of the LF in {@code c.in}, or -1 at a clean end of stream before any byte (request line only)
     */
    private int nextLine(SocketConnection c, int limit, boolean requestLine) throws IOException {
        int scanned = 0;
        while (true) {
            byte[] in = c.in;
            int from = c.inPos + scanned;
            int lim = c.inLim;
            for (int i = from; i < lim; i++) {
                if (in[i] == '\n') {
                    if (i - c.inPos > limit + 1) throw tooLong(requestLine);
                    return i;
                }
            }
            scanned = lim - c.inPos;
            if (scanned > limit + 1) throw tooLong(requestLine);
            // Reject what is already wrong before waiting for the rest of the line: a bad prefix never becomes good.
            if (scanned > 0) checkPartial(in, c.inPos, lim, requestLine && version == 0);
            // A pipelining client may wait for earlier responses before it sends the rest of this head.
            if (c.outLength() > 0) c.flush();
            boolean started = scanned > 0 || !requestLine || version != 0;
            if (!c.fill(started, limit + 2 + 1)) {
                if (requestLine && scanned == 0) return -1;
                throw bad("connection closed inside the request head");
            }
        }
    }

    /** Validates an incomplete line as far as it goes (RFC 9112 §2.2 bare CR, §3 request line, §5 field line). */
    private void checkPartial(byte[] b, int off, int end, boolean requestLine) {
        for (int i = off; i < end - 1; i++) {
            if (b[i] == '\r' && b[i + 1] != '\n') throw bad("bare CR (not followed by LF)");
        }
        int lim = end > off && b[end - 1] == '\r' ? end - 1 : end;
        if (lim == off) return;
        if (requestLine) partialRequestLine(b, off, lim);
        else FieldLines.checkPartial(b, off, lim, RequestHead::bad);
    }

    private static void partialRequestLine(byte[] b, int off, int lim) {
        int i = off;
        while (i < lim && Ascii.isTchar(b[i])) i++;
        if (i == lim) return;
        if (i == off || b[i] != ' ') throw bad("invalid character in method or missing space after it");
        int t = ++i;
        while (i < lim && Ascii.isTargetChar(b[i])) i++;
        if (i == lim) return;
        if (i == t || b[i] != ' ') throw bad("invalid character in request-target");
        i++;
        int n = Math.min(lim - i, 8);
        for (int k = 0; k < n; k++) {
            byte ch = b[i + k];
            boolean ok = k < 5 ? ch == "HTTP/".charAt(k) : k == 6 ? ch == '.' : ch >= '0' && ch <= '9';
            if (!ok) throw bad("malformed HTTP version");
        }
        if (lim - i >= 8) parseVersion(b, i, 8);
        if (lim - i > 8) throw bad("characters after the HTTP version");
    }

    /** @return the length of the line ending at LF index {@code end}, without CRLF (or bare LF if lenient) */
    private int lineLength(SocketConnection c, int end) {
        int len = end - c.inPos;
        if (len > 0 && c.in[end - 1] == '\r') return len - 1;
        // RFC 9112 §2.2: a bare LF may be accepted as a line end; strict by default (smuggling risk).
        if (!config.lenientLineEnds()) throw bad("line ended by a bare LF (expected CRLF)");
        return len;
    }

    private HttpException tooLong(boolean requestLine) {
        return requestLine
                ? new HttpException(Status.URI_TOO_LONG, "request line longer than " + config.maxRequestLineLength() + " bytes")
                : new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "header section larger than " + config.maxHeaderBytes() + " bytes");
    }

    static HttpException bad(String why) {
        return new HttpException(Status.BAD_REQUEST, why);
    }

    /** request-line = method SP request-target SP HTTP-version (RFC 9112 §3). Exactly one SP between parts. */
    private void parseRequestLine(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && Ascii.isTchar(b[i])) i++;
        if (i == off) throw bad("request line does not start with a method token");
        if (i == end || b[i] != ' ') throw bad("invalid character in method or missing space after it");
        method = Methods.intern(b, off, i - off);
        int t = ++i;
        while (i < end && Ascii.isTargetChar(b[i])) i++;
        if (i == t) throw bad("empty request-target");
        if (i == end) throw bad("missing HTTP version");
        if (b[i] != ' ') throw bad("invalid character in request-target");
        target = new String(b, t, i - t, StandardCharsets.ISO_8859_1);
        i++;
        version = parseVersion(b, i, end - i);
        validateTargetForm();
    }

    /** HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3). 1.0 and 1.1 are served; other versions 505. */
    private static int parseVersion(byte[] b, int off, int len) {
        if (len != 8 || b[off] != 'H' || b[off + 1] != 'T' || b[off + 2] != 'T' || b[off + 3] != 'P'
                || b[off + 4] != '/' || b[off + 6] != '.') {
            throw bad("malformed HTTP version");
        }
        int major = b[off + 5] - '0';
        int minor = b[off + 7] - '0';
        if (major < 0 || major > 9 || minor < 0 || minor > 9) throw bad("malformed HTTP version");
        if (major == 1 && (minor == 1 || minor == 0)) return 10 + minor;
        throw new HttpException(Status.HTTP_VERSION_NOT_SUPPORTED, "HTTP/" + major + "." + minor + " is not supported");
    }

    /**
     * RFC 9112 §3.2: origin-form for all methods; absolute-form for all (proxies' form, servers must accept);
     * authority-form only with CONNECT; asterisk-form only with OPTIONS. A fragment is never part of a target.
     */
    private void validateTargetForm() {
        char first = target.charAt(0);
        if ("CONNECT".equals(method)) {
            if (first == '/' || target.contains("/") || target.indexOf(':') <= 0) {
                throw bad("CONNECT needs an authority-form target (host:port)");
            }
            return;
        }
        if (first == '/') return;
        if (first == '*') {
            // RFC 9112 §3.2.4: only OPTIONS means anything with "*"; other methods get 405 from the router,
            // the request itself is well framed.
            if (target.length() == 1) return;
            throw bad("invalid asterisk-form target");
        }
        if (Targets.isAbsoluteForm(target)) return;
        throw bad("request-target is not in origin, absolute, authority or asterisk form");
    }

    /** One field line, validated by the rules shared with the client ({@link FieldLines#parse}). */
    private void parseField(byte[] b, int off, int len) {
        FieldLines.parse(b, off, len, headers, RequestHead::bad);
        int last = headers.size() - 1;
        // Content-Length is checked as soon as it arrives (RFC 9110 §8.6), not only once the head is complete.
        if (headers.name(last) == HeaderNames.CONTENT_LENGTH) {
            contentLengthSeen = RequestFraming.contentLength(headers.value(last), contentLengthSeen);
        }
    }
}
