package dev.porter.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as received (RFC 9112 §3). Its head was fully validated before the handler saw it.
 * Valid only during {@link Handler#handle}; not thread-safe (it belongs to the connection's thread).
 */
public interface Request {

    /** @return the method token, e.g. {@code GET}; case-sensitive (RFC 9110 §9.1) */
    String method();

    /** @return the request-target exactly as sent, e.g. {@code /a%20b?x=1} */
    String target();

    /** @return the path of the target, percent-decoded once (UTF-8), without the query; {@code *} for OPTIONS * */
    String path();

    /** @return the raw (still percent-encoded) path of the target, without the query */
    String rawPath();

    /** @return the raw query after {@code ?}, or {@code null} if there is none */
    String rawQuery();

    /** @return the first value of query parameter {@code name}, decoded (form rules: {@code +} is a space), or null */
    String query(String name);

    /** @return all query parameters, decoded, in order of appearance */
    Map<String, List<String>> queryParams();

    /** @return {@code HTTP/1.1} or {@code HTTP/1.0} */
    String version();

    /** @return the header fields, looked up case-insensitively */
    Headers headers();

    /** @return the first value of header {@code name} (case-insensitive), or null */
    default String header(String name) {
        return headers().first(name);
    }

    /** @return the value bound to {@code {name}} by the {@link Router} pattern, or null */
    String pathParam(String name);

    /** @return the client's address */
    InetSocketAddress remoteAddress();

    /**
     * The body as a stream bounded by its framing (Content-Length or chunked), empty when there is none.
     * The first read answers {@code Expect: 100-continue}. Reading past the server's body limit throws
     * {@link HttpException} with 413.
     */
    InputStream body();

    /**
     * Reads the whole body.
     *
     * @param maxBytes the most bytes accepted
     * @throws HttpException 413 if the body is longer than {@code maxBytes}
     */
    byte[] bodyBytes(int maxBytes) throws IOException;

    /** Reads the whole body (at most the server's body limit) as UTF-8. */
    String bodyString() throws IOException;

    /** @return the declared body length, or -1 when chunked or unknown */
    long contentLength();
}
