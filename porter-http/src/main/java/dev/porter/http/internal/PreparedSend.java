package dev.porter.http.internal;

import java.io.IOException;

/**
 * A response that can send a whole 200 answer whose header fields were rendered once in advance (a static file
 * held in memory): the fields are copied as bytes behind the status line, the server's own fields (Date, Server,
 * Content-Length, Connection) added as for any response, and head and body leave together. Implemented by the
 * HTTP/1.1 response; anything else answers the usual way.
 */
public interface PreparedSend {

    /**
     * Sends status 200, {@code fields} (complete lines, each ending CRLF, none of Date, Server, Content-Length,
     * Connection or Transfer-Encoding), and {@code body} (not for HEAD), unless the response cannot: it was
     * committed, its status changed, or a header field was set (a filter's field could clash with the prepared
     * ones).
     *
     * @return false if nothing was sent and the caller must answer the usual way
     */
    boolean sendPrepared(byte[] fields, byte[] body) throws IOException;
}
