package dev.porter.http;

/**
 * Which HTTP versions an {@link HttpClient} may speak ({@link ClientConfig#httpVersion()}). HTTP/2 is only ever used
 * where the server agreed to it in advance: by ALPN in the TLS handshake of {@code https} (RFC 9113 §3.2), or, for
 * {@code http}, when the caller knows the server speaks it ({@link #HTTP_2_PRIOR_KNOWLEDGE}, §3.3). The
 * deprecated {@code Upgrade: h2c} dance is never attempted.
 */
public enum HttpVersion {

    /** HTTP/1.1 only: ALPN offers {@code http/1.1} alone, and {@code http} URIs speak HTTP/1.1. */
    HTTP_1_1,

    /**
     * The default: HTTP/2 where the server agrees. Over TLS, ALPN offers {@code h2} then {@code http/1.1} and the
     * server's choice is spoken; {@code http} URIs speak HTTP/1.1, since a cleartext connection has nothing to
     * negotiate with (use {@link #HTTP_2_PRIOR_KNOWLEDGE} for h2c).
     */
    HTTP_2,

    /**
     * As {@link #HTTP_2} for {@code https}, and HTTP/2 with prior knowledge for {@code http} (h2c, RFC 9113 §3.3:
     * the connection starts with the HTTP/2 preface; curl's {@code --http2-prior-knowledge}). A server that only
     * speaks HTTP/1.1 on that port fails the request with {@link HttpClientException.MalformedResponse}.
     */
    HTTP_2_PRIOR_KNOWLEDGE
}
