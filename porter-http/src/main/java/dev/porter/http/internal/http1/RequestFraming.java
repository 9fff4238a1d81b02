package dev.porter.http.internal.http1;

import dev.porter.http.Headers;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.Status;
import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.Targets;

/**
 * What a parsed head means for the connection: the body's framing (RFC 9112 §6.3), persistence (§9.3), the
 * Host (§3.2) and expectations (RFC 9110 §10.1.1). Every ambiguity that could let two parsers disagree on where a
 * request ends is rejected, and the caller closes the connection after any rejection. Reused; not thread-safe.
 */
public final class RequestFraming {

    /** Body length from Content-Length, 0 when there is no body, -1 when chunked. */
    public long contentLength;
    public boolean chunked;
    public boolean keepAlive;
    public boolean expectContinue;
    /**
     * True when bytes after this request must never be read as another request: a CONNECT tunnel. An
     * {@code Upgrade} request is not such a case: Porter switches to no other protocol, so it ignores Upgrade
     * (RFC 9110 §7.8) and the client, having received no 101, goes on speaking HTTP/1.1 (clients such as Apache
     * HttpClient 5.4 offer {@code Upgrade: TLS/1.2} on every plain request; closing would end keep-alive for them).
     */
    public boolean closeAfter;
    public String host;

    /** Analyzes {@code head}. @throws HttpException 400, 413, 417 or 501 */
    public void analyze(RequestHead head, HttpConfig config) {
        Headers h = head.headers;
        contentLength = 0;
        chunked = false;
        expectContinue = false;
        closeAfter = "CONNECT".equals(head.method);
        host = null;
        int hostCount = 0;
        boolean connClose = false;
        boolean connKeepAlive = false;
        boolean hasTransferEncoding = false;
        long cl = -1;
        StringBuilder codings = null;
        for (int i = 0, n = h.size(); i < n; i++) {
            String name = h.name(i);
            String value = h.value(i);
            switch (name.length()) {
                case 4 -> {
                    if (name.equalsIgnoreCase("Host")) {
                        hostCount++;
                        host = value;
                    }
                }
                case 6 -> {
                    if (name.equalsIgnoreCase("Expect")) expect(value, head.version);
                }
                case 10 -> {
                    if (name.equalsIgnoreCase("Connection")) {
                        // RFC 9110 §7.6.1: a list of connection options, case-insensitive.
                        if (hasToken(value, "close")) connClose = true;
                        if (hasToken(value, "keep-alive")) connKeepAlive = true;
                    }
                }
                case 14 -> {
                    if (name.equalsIgnoreCase("Content-Length")) cl = contentLength(value, cl);
                }
                case 17 -> {
                    if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        hasTransferEncoding = true;
                        if (codings == null) codings = new StringBuilder(value);
                        else codings.append(',').append(value);
                    }
                }
                default -> {
                    // Other fields do not affect framing.
                }
            }
        }
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1; a second one, or none, is a 400.
        if (hostCount > 1) throw RequestHead.bad("more than one Host header field");
        if (head.version == 11 && hostCount == 0) throw RequestHead.bad("missing Host header field (required in HTTP/1.1)");
        if (host != null && !Targets.validHost(host)) throw RequestHead.bad("invalid Host header field");
        if (hasTransferEncoding) {
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
            if (head.version == 10) throw RequestHead.bad("Transfer-Encoding in an HTTP/1.0 request");
            // RFC 9112 §6.3 (3): both present is a smuggling attempt or an error; reject and close.
            if (cl >= 0) throw RequestHead.bad("both Transfer-Encoding and Content-Length");
            transferCodings(codings.toString());
            chunked = true;
            contentLength = -1;
        } else if (cl >= 0) {
            contentLength = cl;
        }
        if (contentLength > config.maxBodySize()) {
            throw new HttpException(Status.CONTENT_TOO_LARGE,
                    "request body of " + contentLength + " bytes is over the limit of " + config.maxBodySize());
        }
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
        keepAlive = head.version == 11 ? !connClose : connKeepAlive && !connClose;
        if (closeAfter) {
            // RFC 9110 §9.3.6: CONNECT asks for a tunnel, which only a proxy provides; to an origin server it is a
            // method not implemented (§9.1, §15.6.2: 501). The connection then closes: bytes after a CONNECT are
            // tunnel data, never a request.
            throw new HttpException(Status.NOT_IMPLEMENTED, "CONNECT is not implemented: this server is not a proxy");
        }
    }

    /** Expect = #expectation (RFC 9110 §10.1.1): empty list elements are no expectation (§5.6.1). */
    private void expect(String value, int version) {
        for (String expectation : FieldLists.elements(value)) {
            if (!expectation.equalsIgnoreCase("100-continue")) {
                throw new HttpException(Status.EXPECTATION_FAILED, "unsupported expectation");
            }
            // RFC 9110 §10.1.1: ignore 100-continue from an HTTP/1.0 client.
            expectContinue = version == 11;
        }
    }

    /** Content-Length = 1*DIGIT (RFC 9110 §8.6); a list or repeat of identical values is one value. */
    static long contentLength(String value, long previous) {
        return contentLength(value, previous, RequestHead::bad);
    }

    /**
     * Parses Content-Length with the rules shared by requests and responses.
     *
     * @param previous the value of an earlier Content-Length field, or -1
     * @return the length
     */
    static <E extends Exception> long contentLength(String value, long previous, FieldLines.Failure<E> fail) throws E {
        long result = previous;
        int i = 0;
        int n = value.length();
        while (i <= n) {
            int start = i;
            while (i < n && value.charAt(i) != ',') i++;
            int s = start;
            int e = i;
            while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) s++;
            while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) e--;
            if (s == e) throw fail.malformed("empty Content-Length");
            if (e - s > 18) throw fail.malformed("Content-Length out of range");
            long v = 0;
            for (int k = s; k < e; k++) {
                char c = value.charAt(k);
                if (c < '0' || c > '9') throw fail.malformed("Content-Length is not a non-negative integer");
                v = v * 10 + (c - '0');
            }
            if (result >= 0 && result != v) throw fail.malformed("conflicting Content-Length values");
            result = v;
            i++;
        }
        return result;
    }

    /**
     * transfer-coding list (RFC 9112 §6.1, §7): chunked must be the final coding (else 400, §6.3) and appear once
     * (§7); any other coding is one this server cannot decode (501, §6.1).
     */
    private static void transferCodings(String list) {
        String last = null;
        int chunkedCount = 0;
        String unknown = null;
        for (String coding : FieldLists.elements(list)) {
            last = coding;
            if (coding.equalsIgnoreCase("chunked")) chunkedCount++;
            else if (unknown == null) unknown = coding;
        }
        if (last == null) throw RequestHead.bad("empty Transfer-Encoding");
        if (!last.equalsIgnoreCase("chunked")) throw RequestHead.bad("Transfer-Encoding does not end with chunked");
        if (chunkedCount > 1) throw RequestHead.bad("chunked applied more than once");
        if (unknown != null) {
            boolean token = Ascii.isToken(unknown);
            throw token ? new HttpException(Status.NOT_IMPLEMENTED, "transfer coding not supported")
                    : RequestHead.bad("malformed Transfer-Encoding");
        }
    }

    /** @return true if the comma-separated {@code list} holds {@code token}, case-insensitively */
    public static boolean hasToken(String list, String token) {
        int n = list.length();
        int i = 0;
        while (i < n) {
            while (i < n && (list.charAt(i) == ' ' || list.charAt(i) == '\t' || list.charAt(i) == ',')) i++;
            int s = i;
            while (i < n && list.charAt(i) != ',') i++;
            int e = i;
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) e--;
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, token.length())) return true;
        }
        return false;
    }
}
