package dev.porter.http.internal.client;

import dev.porter.core.Connection;
import dev.porter.http.ClientConfig;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.http1.ResponseFraming;
import dev.porter.http.internal.http1.ResponseHead;

import java.net.URI;

/**
 * A final answer other than 101 read on a connection opened for a protocol switch
 * ({@link ClientEngine#connectForUpgrade}), as a {@link ClientResponse}: its body framed as any response's
 * (RFC 9112 §6.3). The connection is closed once the body ends or the response is closed: it was opened for an
 * upgrade, never pooled, and is not reused for anything else.
 */
public final class UpgradeAnswers {

    private UpgradeAnswers() {
    }

    /**
     * @param head   the parsed final head (status 2xx-5xx) whose body, if any, follows in {@code c.input()}
     * @param method the request's method (a HEAD answer has no body)
     * @throws HttpClientException.MalformedResponse if the head's framing is invalid (then close {@code c})
     */
    public static ClientResponse wrap(Connection c, ResponseHead head, String method, URI uri, ClientConfig config)
            throws HttpClientException.MalformedResponse {
        ResponseFraming f = ResponseFraming.of(head, method);
        ResponseBody body = new ResponseBody(c, f, config.maxHeaderBytes(), config.maxHeaderCount(), ok -> c.close(),
                0, null, config.readTimeout());
        long length = switch (f.kind()) {
            case NONE -> 0;
            case LENGTH -> f.length();
            default -> -1;
        };
        return new ClientResponseImpl(head.status, head.version == 10 ? "HTTP/1.0" : "HTTP/1.1", head.headers, uri,
                body, body, length);
    }
}
