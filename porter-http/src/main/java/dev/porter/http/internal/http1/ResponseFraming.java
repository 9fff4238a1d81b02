package dev.porter.http.internal.http1;

import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;

/**
 * How a response's body is delimited (RFC 9112 §6.3) and whether its connection may carry another request
 * (RFC 9112 §9.3), decided from the final head and the request's method.
 *
 * @param kind       the body's framing
 * @param length     the body's length for {@link Kind#LENGTH}, else -1
 * @param persistent true if the connection may be reused once the body was read
 */
public record ResponseFraming(Kind kind, long length, boolean persistent) {

    /** The body framings of RFC 9112 §6.3. */
    public enum Kind {
        /** No body: a response to HEAD, 1xx, 204 or 304 (CONNECT, §6.3 (2), is never sent by this client). */
        NONE,
        /** Content-Length bytes. */
        LENGTH,
        /** The chunked transfer coding. */
        CHUNKED,
        /** Everything until the server closes the connection. */
        UNTIL_CLOSE
    }

    /**
     * @param method the request's method
     * @throws HttpClientException.MalformedResponse if the framing fields are invalid or contradict each other
     */
    public static ResponseFraming of(ResponseHead head, String method) throws HttpClientException.MalformedResponse {
        Headers h = head.headers;
        boolean close = false;
        boolean keepAlive = false;
        long cl = -1;
        StringBuilder codings = null;
        for (int i = 0, n = h.size(); i < n; i++) {
            String name = h.name(i);
            String value = h.value(i);
            if (name.equalsIgnoreCase("Connection")) {
                // RFC 9110 §7.6.1: a list of connection options, case-insensitive.
                if (RequestFraming.hasToken(value, "close")) close = true;
                if (RequestFraming.hasToken(value, "keep-alive")) keepAlive = true;
            } else if (name.equalsIgnoreCase("Content-Length")) {
                // Validated even where the status means no body: a server sending nonsense is not trusted.
                cl = RequestFraming.contentLength(value, cl, ClientErrors.MALFORMED);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                if (codings == null) codings = new StringBuilder(value);
                else codings.append(',').append(value);
            }
        }
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
        boolean persistent = head.version == 11 ? !close : keepAlive && !close;
        int code = head.status.code();
        // §6.3 (1): HEAD, 1xx, 204 and 304 never have a body, whatever the fields say.
        if ("HEAD".equals(method) || code < 200 || code == 204 || code == 304) {
            return new ResponseFraming(Kind.NONE, -1, persistent);
        }
        if (codings != null) {
            // §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing: read until close, never reuse.
            if (head.version == 10) return new ResponseFraming(Kind.UNTIL_CLOSE, -1, false);
            // §6.3 (3): both is a smuggling or splitting attempt, which "ought to be handled as an error".
            if (cl >= 0) throw new HttpClientException.MalformedResponse("both Transfer-Encoding and Content-Length in response");
            if (chunkedIsFinal(codings.toString())) return new ResponseFraming(Kind.CHUNKED, -1, persistent);
            // §6.3 (4): a response whose final coding is not chunked runs until the server closes.
            return new ResponseFraming(Kind.UNTIL_CLOSE, -1, false);
        }
        // §6.3 (5)-(6)
        if (cl >= 0) return new ResponseFraming(Kind.LENGTH, cl, persistent);
        // §6.3 (8): no framing fields: the body ends when the server closes.
        return new ResponseFraming(Kind.UNTIL_CLOSE, -1, false);
    }

    /**
     * @return true if the coding list ends with chunked (RFC 9112 §7); other codings are not decoded here
     * @throws HttpClientException.MalformedResponse for an empty list or chunked applied twice
     */
    private static boolean chunkedIsFinal(String list) throws HttpClientException.MalformedResponse {
        String last = null;
        int chunked = 0;
        for (String element : FieldLists.elements(list)) {
            last = element;
            if (last.equalsIgnoreCase("chunked")) chunked++;
        }
        if (last == null) throw new HttpClientException.MalformedResponse("empty Transfer-Encoding in response");
        // RFC 9112 §7: chunked must not be applied more than once.
        if (chunked > 1) throw new HttpClientException.MalformedResponse("chunked applied more than once in response");
        return last.equalsIgnoreCase("chunked");
    }
}
