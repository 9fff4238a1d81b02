package dev.porter.http.internal.client;

import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;

import java.io.InputStream;

/**
 * A response's content codings (RFC 9110 §8.4) and its body with them undone. They are listed, in one field or
 * several, in the order they were applied, so the last is undone first. Only gzip (and its alias x-gzip, §8.4.1.3)
 * is undone: the one coding this client asks for. A list with another coding (br, deflate, anything unknown) is
 * left as it is, the whole body undecoded: undoing only the gzip layers would hand out a body its
 * {@code Content-Encoding} no longer describes, while the body as sent and that field let the caller decode it.
 */
final class ContentCodings {

    /**
     * At most this many codings are decoded (curl's limit too): a server that stacks codings without end would
     * otherwise make the client stack decoders without end.
     */
    static final int MAX_CODINGS = 5;

    private ContentCodings() {
    }

    /**
     * @return the gzip layers to undo: 0 when no coding applies, or one the client cannot undo is listed
     * @throws HttpClientException.MalformedResponse if more than {@link #MAX_CODINGS} codings are listed
     */
    static int gzipLayers(Headers headers) throws HttpClientException.MalformedResponse {
        int codings = 0;
        int gzip = 0;
        boolean other = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (!headers.name(i).equalsIgnoreCase("Content-Encoding")) continue;
            String v = headers.value(i);
            for (int at = 0, len = v.length(); at <= len; ) {
                int comma = v.indexOf(',', at);
                int end = comma < 0 ? len : comma;
                int s = at;
                int e = end;
                while (s < e && (v.charAt(s) == ' ' || v.charAt(s) == '\t')) s++;
                while (e > s && (v.charAt(e - 1) == ' ' || v.charAt(e - 1) == '\t')) e--;
                if (e > s) { // §5.6.1: empty list elements do not count
                    codings++;
                    if (is(v, s, e, "gzip") || is(v, s, e, "x-gzip")) gzip++;
                    else if (!is(v, s, e, "identity")) other = true;
                }
                at = end + 1;
            }
        }
        if (codings > MAX_CODINGS) {
            throw new HttpClientException.MalformedResponse("the response lists " + codings + " content codings; "
                    + "at most " + MAX_CODINGS + " are decoded");
        }
        return other ? 0 : gzip;
    }

    /** As {@link #gzipLayers(Headers)}; a refused response is ended ({@code body} closed) before the exception. */
    static int gzipLayers(Headers headers, ClientBody body) throws HttpClientException.MalformedResponse {
        try {
            return gzipLayers(headers);
        } catch (HttpClientException.MalformedResponse e) {
            body.close();
            throw e;
        }
    }

    /** @return {@code raw} with {@code layers} gzip codings undone, the last applied first (the outermost reader) */
    static InputStream decode(ClientBody raw, int layers) {
        InputStream in = raw;
        for (int i = 0; i < layers; i++) in = new GzipBody(raw, in);
        return in;
    }

    private static boolean is(String v, int s, int e, String token) {
        return e - s == token.length() && v.regionMatches(true, s, token, 0, token.length());
    }
}
