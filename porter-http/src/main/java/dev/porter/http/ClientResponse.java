package dev.porter.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * The final response to a {@link ClientRequest}: status, header fields, and a body read as a stream or all at
 * once. Its head has been fully validated; the body is read from the network as the caller reads it, so a large
 * download never sits in memory.
 *
 * <p>Always close a response (try-with-resources): reading the body to its end or closing the response gives the
 * connection back to the pool; closing it early drains a small rest (at most 64 KiB, briefly) to keep the
 * connection, and otherwise closes the connection. A response without a body (HEAD, 204, 304, or an empty body)
 * has already given its connection back.
 *
 * <p>Not thread-safe: one thread reads the body. Errors while reading the body are the client's exceptions
 * ({@link HttpClientException.IncompleteResponse} if the server closes early,
 * {@link HttpClientException.MalformedResponse} for broken chunked framing, {@link HttpClientException.Timeout}).
 */
public interface ClientResponse extends Closeable {

    /** @return the status with the reason phrase as received */
    Status status();

    /** @return the status code, for example 200 */
    default int statusCode() {
        return status().code();
    }

    /**
     * @return {@code HTTP/2} for a response on an HTTP/2 stream, else {@code HTTP/1.1} or {@code HTTP/1.0} (the
     *         server's version, a higher 1.x minor read as 1.1)
     */
    String version();

    /** @return the header fields as received, looked up case-insensitively (the caller may change this copy) */
    Headers headers();

    /** @return the first value of header {@code name} (case-insensitive), or null */
    default String header(String name) {
        return headers().first(name);
    }

    /** @return the URI that answered: the request's, or the last redirect's location */
    URI uri();

    /**
     * @return the declared body length from Content-Length, or -1 when unknown (chunked, read until close, or
     *         decoded from gzip); 0 when the response has no body
     */
    long contentLength();

    /**
     * The body as a stream, bounded by the response's framing; decoded from gzip when the client asked for it.
     * The same stream is returned every time. Closing it is closing the response.
     */
    InputStream body();

    /**
     * Reads the rest of the body into memory and closes the response.
     *
     * @throws IOException if the body is larger than 2 GiB, or reading fails
     */
    byte[] bodyBytes() throws IOException;

    /** Reads the rest of the body as text in the charset of Content-Type (UTF-8 if none), and closes the response. */
    String bodyString() throws IOException;

    /** @return the trailer fields of a chunked body: empty until the body was read to its end */
    Headers trailers();

    /** Ends the response: keeps the connection if the body was read (or a small rest can be), else closes it. */
    @Override
    void close();
}
