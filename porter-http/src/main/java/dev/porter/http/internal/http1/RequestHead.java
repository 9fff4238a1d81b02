package dev.porter.http.internal.http1;

import dev.porter.http.Headers;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.Status;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.Methods;
import dev.porter.http.internal.Targets;

/**
 * Parses and validates one request head (request line and header section, RFC 9112 §2-§5): a pure state machine
 * over bytes that does no I/O. Feed it the unread bytes with {@link #parse}; it consumes whole lines and stops when
 * the head is {@link #done() done} or a line is incomplete (then feed the unconsumed bytes again, with more after
 * them). Strict: anything the grammar does not allow is an {@link HttpException} naming the rule (400, 414, 431,
 * 501 or 505), raised as soon as the bytes already seen are wrong, and the connection must then be closed because
 * its remaining bytes can no longer be framed safely. The result is the same however the bytes are split.
 * Reused for every request of a connection ({@link #reset()}); not thread-safe.
 */
public final class RequestHead {

    /** Leading empty lines tolerated before a request line (RFC 9112 §2.2 says ignore at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    private static final int REQUEST_LINE = 0;
    private static final int FIELDS = 1;
    private static final int DONE = 2;

    public String method;
    public String target;
    /** 10 for HTTP/1.0, 11 for HTTP/1.1. */
    public int version;
    public final Headers headers = new Headers();
    private int state;
    /** Bytes of the pending (incomplete) line already scanned for its LF, so a refeed does not scan them again. */
    private int scanned;
    private int empties;
    private int headerBytes;
    private long contentLengthSeen;
    private final HttpConfig config;
    /** The last head's target and fields, handed out again where this head repeats them. */
    private final RepeatedStrings repeats = new RepeatedStrings();

    public RequestHead(HttpConfig config) {
        this.config = config;
        reset();
    }

    /** Forgets the strings kept for the next head: the connection reads no more heads (it switched protocols). */
    public void forgetRepeats() {
        repeats.clear();
    }

    /** Forgets the last head: ready for the next request of the connection. */
    public void reset() {
        method = null;
        target = null;
        version = 0;
        headers.clear();
        state = REQUEST_LINE;
        scanned = 0;
        empties = 0;
        headerBytes = 0;
        contentLengthSeen = -1;
    }

    /** @return true once the empty line ending the header section was consumed */
    public boolean done() {
        return state == DONE;
    }

    /** @return true once the request line was parsed (a clean end of stream before it is no request at all) */
    public boolean pastRequestLine() {
        return state != REQUEST_LINE;
    }

    /** @return the most unread bytes a caller must hold for the pending line to complete (its limit and line end) */
    public int maxPending() {
        return lineLimit() + 3;
    }

    private int lineLimit() {
        return state == REQUEST_LINE ? config.maxRequestLineLength() : Math.max(0, config.maxHeaderBytes() - headerBytes);
    }

    /**
     * Consumes the complete lines in {@code b[start, end)}.
     *
     * @return the index after the last byte consumed; unless {@link #done()}, the bytes from there to {@code end}
     *         are an incomplete line to feed again, followed by more
     * @throws HttpException 400, 414, 431, 501 or 505 for a malformed or oversized head
     */
    public int parse(byte[] b, int start, int end) {
        int p = start;
        while (state != DONE) {
            boolean requestLine = state == REQUEST_LINE;
            int limit = lineLimit();
            int lf = -1;
            for (int i = p + scanned; i < end; i++) {
                if (b[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            // Errors are reported in byte order, so the answer is the same however the bytes were split: what is
            // wrong within the first limit + 2 bytes of a line comes before "too long".
            if (lf < 0) {
                int pending = end - p;
                // Reject what is already wrong before waiting for the rest of the line: a bad prefix never becomes good.
                if (pending > 0) checkPartial(b, p, Math.min(end, p + limit + 2), requestLine);
                if (pending > limit + 1) throw tooLong(requestLine);
                scanned = pending;
                return p;
            }
            scanned = 0;
            if (lf - p > limit + 1) {
                checkPartial(b, p, p + limit + 2, requestLine);
                throw tooLong(requestLine);
            }
            int len = lineLength(b, p, lf, requestLine);
            if (requestLine) {
                if (len == 0) {
                    // RFC 9112 §2.2: ignore empty lines before the request line (a client's stray CRLF after a body).
                    p = lf + 1;
                    if (++empties > MAX_LEADING_EMPTY_LINES) throw bad("too many empty lines before the request line");
                    continue;
                }
                // The bound above leaves room for a CR; with a bare LF (lenient) the line itself must still fit.
                if (len > config.maxRequestLineLength()) throw refusedAtItsEnd(b, p, lf, true, tooLong(true));
                parseRequestLine(b, p, len);
                state = FIELDS;
            } else {
                headerBytes += lf + 1 - p;
                if (len == 0) {
                    state = DONE;
                } else {
                    // The limit counts every field line with its line end; the bound above is looser (it must also
                    // admit the final empty line), so the exact check is here.
                    if (headerBytes > config.maxHeaderBytes()) throw refusedAtItsEnd(b, p, lf, false, tooLong(false));
                    if (headers.size() >= config.maxHeaderCount()) {
                        throw refusedAtItsEnd(b, p, lf, false, new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE,
                                "more than " + config.maxHeaderCount() + " header fields"));
                    }
                    parseField(b, p, len);
                }
            }
            p = lf + 1;
        }
        return p;
    }

    /**
     * @return {@code refusal}, the error for a complete line judged only at its end (it breaks a limit, or ends with
     *         a bare LF), unless the line holds a byte that {@link #checkPartial} refuses: fed in pieces, that byte
     *         was refused when it arrived, before the line was complete, so it must come first whole too (the status
     *         must not depend on the split)
     */
    private HttpException refusedAtItsEnd(byte[] b, int off, int lf, boolean requestLine, HttpException refusal) {
        checkPartial(b, off, lf, requestLine);
        return refusal;
    }

    /** Validates an incomplete line as far as it goes (RFC 9112 §2.2 bare CR, §3 request line, §5 field line). */
    private void checkPartial(byte[] b, int off, int end, boolean requestLine) {
        // Byte order: the bytes before a bare CR are judged first, so a refusal that is not a 400 and came before it
        // wins however the line was split: a 25th method byte is 501, an unsupported version's 8th byte 505.
        // Fix (found by RequestHeadFuzzTest, finding-unsupported-version-then-bare-cr-split): the CR scan ran over
        // the whole range first, so "GET / HTTP/0.1\rX" was 505 whole but 400 when a read held the CR and the byte
        // after it.
        int cr = -1;
        for (int i = off; i < end - 1; i++) {
            if (b[i] == '\r' && b[i + 1] != '\n') {
                cr = i;
                break;
            }
        }
        // A CR as the last byte so far may yet be followed by its LF: not judged.
        int lim = cr >= 0 ? cr : end > off && b[end - 1] == '\r' ? end - 1 : end;
        if (lim > off) {
            if (requestLine) partialRequestLine(b, off, lim);
            else FieldLines.checkPartial(b, off, lim, RequestHead::bad);
        }
        if (cr >= 0) throw bad("bare CR (not followed by LF)");
    }

    private void partialRequestLine(byte[] b, int off, int lim) {
        int i = methodEnd(b, off, lim);
        if (i == lim) return;
        if (i == off || b[i] != ' ') throw bad("invalid character in method or missing space after it");
        // Known as soon as its space is in, as parseRequestLine knows it: a refusal of the rest of a HEAD line has
        // no body (RFC 9110 §9.3.2) however the line was split. (Found by HttpExchangeFuzzTest,
        // finding-head-line-refused-in-pieces-carried-a-body: only the whole line set it.)
        if (method == null) method = Methods.intern(b, off, i - off);
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
        // A well-formed version this server does not speak is refused (505) as soon as its 8 bytes are in, as
        // llhttp does: whatever follows, the request is refused. parseRequestLine keeps the same order.
        if (lim - i >= 8) parseVersion(b, i, 8);
        if (lim - i > 8) throw bad("characters after the HTTP version");
    }

    /**
     * @return the index after the method token starting at {@code off}
     * @throws HttpException 501 as soon as the token is longer than any method this server knows (RFC 9112 §3:
     *                       a server that receives a method longer than any it implements should answer 501; the
     *                       target's 414 is for long targets)
     */
    private static int methodEnd(byte[] b, int off, int lim) {
        int i = off;
        while (i < lim && Ascii.isTchar(b[i])) {
            if (++i - off > Methods.MAX_LENGTH) {
                throw new HttpException(Status.NOT_IMPLEMENTED, "method longer than any method this server implements");
            }
        }
        return i;
    }

    /** @return the length of the line from {@code off} to its LF at {@code lf}, without CRLF (or bare LF if lenient) */
    private int lineLength(byte[] b, int off, int lf, boolean requestLine) {
        int len = lf - off;
        if (len > 0 && b[lf - 1] == '\r') return len - 1;
        // RFC 9112 §2.2: a bare LF may be accepted as a line end; strict by default (smuggling risk).
        if (!config.lenientLineEnds()) {
            // Fix (found by RequestHeadFuzzTest, finding-bare-lf-after-unsupported-version-split): the LF is the
            // line's last byte, so whatever is wrong before it comes first, as when the line arrives in pieces:
            // "… HTTP/0.0\n" was 400 whole but 505 when a read ended after the version's 8 bytes.
            throw refusedAtItsEnd(b, off, lf, requestLine, bad("line ended by a bare LF (expected CRLF)"));
        }
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
        int i = methodEnd(b, off, end);
        if (i == off) throw bad("request line does not start with a method token");
        if (i == end || b[i] != ' ') throw bad("invalid character in method or missing space after it");
        method = Methods.intern(b, off, i - off);
        int t = ++i;
        while (i < end && Ascii.isTargetChar(b[i])) i++;
        if (i == t) throw bad("empty request-target");
        if (i == end) throw bad("missing HTTP version");
        if (b[i] != ' ') throw bad("invalid character in request-target");
        target = repeats.get(0, b, t, i - t);
        i++;
        // Byte order, as partialRequestLine sees it when the line comes in pieces: "HTTP/2.0x" is 505 for its
        // first 8 bytes before 400 for the 9th (whole it was 400, split after "2.0" 505).
        if (end - i > 8) {
            parseVersion(b, i, 8);
            throw bad("characters after the HTTP version");
        }
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
        if (Targets.isAbsoluteForm(target)) {
            // RFC 9112 §3.2.2: the authority stands for Host; RFC 9110 §4.2.1: an http(s) URI with an empty host is
            // invalid, and its recipient MUST reject it.
            String problem = Targets.absoluteFormAuthorityProblem(target);
            if (problem != null) throw bad(problem);
            return;
        }
        throw bad("request-target is not in origin, absolute, authority or asterisk form");
    }

    /** One field line, validated by the rules shared with the client ({@link FieldLines#parse}). */
    private void parseField(byte[] b, int off, int len) {
        FieldLines.parse(b, off, len, headers, RequestHead::bad, repeats);
        int last = headers.size() - 1;
        // Content-Length is checked as soon as it arrives (RFC 9110 §8.6), not only once the head is complete.
        if (headers.name(last) == HeaderNames.CONTENT_LENGTH) {
            contentLengthSeen = RequestFraming.contentLength(headers.value(last), contentLengthSeen);
        }
    }

    /**
     * @return the request line as parsed ({@code GET /path HTTP/1.1}), for the status view; safe from another
     *         thread (it reads three fields that are each replaced whole), though it may mix two requests' fields
     *         for a moment while the connection moves on
     */
    @Override
    public String toString() {
        String m = method;
        String t = target;
        int v = version;
        if (m == null) return "(reading a request)";
        return m + " " + t + (v == 10 ? " HTTP/1.0" : " HTTP/1.1");
    }
}
