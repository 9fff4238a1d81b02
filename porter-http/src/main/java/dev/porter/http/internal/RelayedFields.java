package dev.porter.http.internal;

/**
 * A response that can take header field lines already rendered and checked (a proxy passing a backend's fields
 * on): they are copied as bytes into the head behind the fields set with {@code header}, instead of being turned
 * into strings, checked and encoded again. A {@code Date}, {@code Server} or {@code Strict-Transport-Security}
 * among them takes the place of the server's own, as if it had been set with {@code header}. Implemented by the
 * HTTP/1.1 response; anything else takes the fields the usual way.
 */
public interface RelayedFields {

    /**
     * Adds {@code lines}: complete field lines ({@code Name: value} CRLF each, the name a token and the value of
     * field-value octets, RFC 9110 §5), none of them Content-Length, Transfer-Encoding or Connection (the server
     * frames the message itself). The array is the response's from then on.
     *
     * @return false if nothing was added (the response is committed, or holds such lines already) and the caller
     *         must set the fields the usual way
     */
    boolean relayFields(byte[] lines);
}
