package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.http.HttpConfig;

/**
 * The objects one connection's HTTP/1.1 loop reuses for each of its requests, so that a request without a body
 * allocates nothing: the head and its framing, the {@link ServerRequest} and {@link ServerResponse} handed to the
 * handler, and the empty body. Reuse is safe because a handler may use the request and response only until it
 * returns ({@link dev.porter.http.Handler#handle}), and the next request is read only after that. Lives as long as
 * the connection's thread: a parked connection holds none of it. Belongs to that thread.
 */
final class Reused {

    final RequestHead head;
    final RequestFraming framing = new RequestFraming();
    private final Connection c;
    private final HttpConfig config;
    private final byte[] serverLine;
    private ServerResponse response;
    private ServerRequest request;
    private BodyStream.Empty empty;

    Reused(Connection c, HttpConfig config, byte[] serverLine) {
        this.c = c;
        this.config = config;
        this.serverLine = serverLine;
        this.head = new RequestHead(config);
    }

    /** @return the response for the request just parsed, as new */
    ServerResponse response(boolean close) {
        boolean headRequest = "HEAD".equals(head.method);
        boolean http10 = head.version == 10;
        if (response == null) {
            response = new ServerResponse(c, serverLine, headRequest, http10, close, head.headers);
        } else {
            response.reset(headRequest, http10, close, head.headers);
        }
        return response;
    }

    /** @return the request view of the head just parsed, with this body */
    ServerRequest request(BodyStream body) {
        if (request == null) {
            request = new ServerRequest(head, framing, c, config.maxBodySize(), config.trustedProxies(), body);
        } else {
            request.next(body);
        }
        return request;
    }

    /** @return the body of a request without one */
    BodyStream.Empty emptyBody() {
        // A broken body is never reused; an empty one cannot break, but the check keeps that true if it ever can.
        if (empty == null || empty.broken()) empty = new BodyStream.Empty(c);
        return empty;
    }
}
