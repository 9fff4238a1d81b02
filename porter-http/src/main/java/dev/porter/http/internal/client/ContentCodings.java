package dev.porter.http.internal.client;

import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.http1.FieldLists;

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
            for (String coding : FieldLists.elements(headers.value(i))) { // §5.6.1: empty elements do not count
                codings++;
                if (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip")) gzip++;
                else if (!coding.equalsIgnoreCase("identity")) other = true;
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
}
