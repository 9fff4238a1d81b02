package dev.porter.http;

import java.io.IOException;

/**
 * An HTTP exchange of the {@link HttpClient} failed for a reason the client can name: the response broke the
 * protocol, ended early, took too long, redirected too often, or used a scheme the client cannot speak. The
 * message says which rule and where. The connection involved is closed, never reused.
 *
 * <p>Failures below HTTP keep their JDK types: {@link java.net.ConnectException} (refused),
 * {@link java.net.UnknownHostException}, and other {@link IOException}s such as a connection reset.
 */
public sealed class HttpClientException extends IOException
        permits HttpClientException.MalformedResponse, HttpClientException.IncompleteResponse,
        HttpClientException.Timeout, HttpClientException.TooManyRedirects, HttpClientException.UnsupportedScheme,
        HttpClientException.WebSocketHandshake {

    private HttpClientException(String message) {
        super(message);
    }

    private HttpClientException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The response does not follow HTTP/1.1 (RFC 9110, RFC 9112); the message names the rule it broke. */
    public static final class MalformedResponse extends HttpClientException {
        /** @param message what was wrong, for example "bare LF in status line (expected CRLF)" */
        public MalformedResponse(String message) {
            super(message);
        }

        /** @param message what was wrong; @param cause the underlying failure (for example a corrupt gzip body) */
        public MalformedResponse(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server closed the connection before the response was complete. */
    public static final class IncompleteResponse extends HttpClientException {
        private final boolean empty;

        /**
         * @param message what was missing
         * @param empty   true if not a single byte of a response arrived
         */
        public IncompleteResponse(String message, boolean empty) {
            super(message);
            this.empty = empty;
        }

        /** @return true if the connection closed before any byte of a response (curl's "empty reply") */
        public boolean empty() {
            return empty;
        }
    }

    /** A connect, read or whole-request timeout passed. */
    public static final class Timeout extends HttpClientException {

        /** Which limit passed. */
        public enum Kind {
            /** {@link ClientConfig#connectTimeout()}: no TCP connection in time */
            CONNECT,
            /** {@link ClientConfig#readTimeout()}: the server sent nothing for that long */
            READ,
            /** {@link ClientConfig#readTimeout()} while sending: the server took no request bytes for that long */
            WRITE,
            /** {@link ClientConfig#requestTimeout()}: the whole exchange took longer */
            REQUEST
        }

        private final Kind kind;

        /** @param message what timed out and after how long; @param kind which limit */
        public Timeout(String message, Kind kind) {
            super(message);
            this.kind = kind;
        }

        /** @return which limit passed */
        public Kind kind() {
            return kind;
        }
    }

    /** More redirects than {@link ClientConfig#maxRedirects()} for one request. */
    public static final class TooManyRedirects extends HttpClientException {
        /** @param message the limit and the last location */
        public TooManyRedirects(String message) {
            super(message);
        }
    }

    /**
     * The URI's scheme has no transport: only {@code http} is supported today ({@code https} needs TLS, which is
     * planned; see docs/client.md).
     */
    public static final class UnsupportedScheme extends HttpClientException {
        /** @param message the scheme and why it cannot be used */
        public UnsupportedScheme(String message) {
            super(message);
        }
    }

    /**
     * The server did not accept a WebSocket opening handshake ({@link HttpClient#websocket}): it answered with
     * another status than {@code 101 Switching Protocols} (a refusal such as 403 or 426, a redirect, which is never
     * followed, or a plain 200), or its {@code 101} broke a rule of RFC 6455 §4.1 (the message names it: a wrong
     * {@code Sec-WebSocket-Accept}, no {@code Upgrade: websocket}, a sub-protocol or extension that was not
     * offered). The connection is closed.
     */
    public static final class WebSocketHandshake extends HttpClientException {
        private final int status;
        private final Headers headers;

        /**
         * @param message what was wrong
         * @param status  the response's status code (101 when the 101 itself was invalid)
         * @param headers the response's header fields
         */
        public WebSocketHandshake(String message, int status, Headers headers) {
            super(message);
            this.status = status;
            this.headers = headers;
        }

        /** @return the status code of the server's answer: 101 if the switch itself was invalid */
        public int status() {
            return status;
        }

        /** @return the answer's header fields (for example {@code Location} of a redirect, or {@code WWW-Authenticate}) */
        public Headers headers() {
            return headers;
        }
    }
}
