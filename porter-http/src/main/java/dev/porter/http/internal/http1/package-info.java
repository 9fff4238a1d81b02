/**
 * HTTP/1.1 on the wire (RFC 9112): pure parsers for request and response heads and chunked bodies, message
 * framing, and the HTTP/1.1 server protocol.
 */
package dev.porter.http.internal.http1;
