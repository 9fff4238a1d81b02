package dev.porter.http.internal.proxy;

import dev.porter.http.HttpClientException;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * How one attempt at a backend failed, which decides whether another backend may be tried and what the client
 * is told: 502 Bad Gateway (RFC 9110 §15.6.3) when the backend failed, 504 Gateway Timeout (§15.6.5) when it did
 * not answer in time. Each with a one-line plain-text body that names the kind of failure, never the backend's
 * address (that goes to the log).
 */
enum Failure {
    /** No connection: nothing was sent, so any request may go elsewhere, and the backend is marked down. */
    REFUSED(502, "Bad Gateway: the upstream server refused the connection"),
    /**
     * The TLS handshake with an {@code https} backend failed (its certificate not trusted or not for its name, no
     * protocol or cipher in common): nothing was sent, so as {@link #REFUSED}, with its own line, since the cure is
     * the proxy's trust ({@code upstreamTls}) or the backend's certificate, not the backend's health.
     */
    TLS_FAILED(502, "Bad Gateway: the TLS handshake with the upstream server failed"),
    /** No connection within the connect timeout: as {@link #REFUSED}, but 504. */
    CONNECT_TIMEOUT(504, "Gateway Timeout: the upstream server could not be reached in time"),
    /** No answer (or a stalled one) within the read or total timeout: not retried, the backend is busy. */
    TIMEOUT(504, "Gateway Timeout: the upstream server did not answer in time"),
    /** The connection broke or the answer was malformed, after the request (or part of it) was sent. */
    BROKEN(502, "Bad Gateway: the upstream server closed the connection or sent a malformed response"),
    /** The backend's answer holds a field Porter's server will not send. */
    UNSENDABLE(502, "Bad Gateway: the upstream server's response cannot be forwarded"),
    /** Every backend was excluded (a single backend that failed once). */
    NONE_LEFT(502, "Bad Gateway: no upstream server is available");

    final int status;
    final String line;

    Failure(int status, String line) {
        this.status = status;
        this.line = line;
    }

    /** @return true if the request never left: no connection was made */
    boolean beforeSending() {
        return this == REFUSED || this == TLS_FAILED || this == CONNECT_TIMEOUT;
    }

    static Failure of(IOException e) {
        if (e instanceof HttpClientException.Timeout t) {
            return t.kind() == HttpClientException.Timeout.Kind.CONNECT ? CONNECT_TIMEOUT : TIMEOUT;
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
            return REFUSED;
        }
        if (e instanceof SSLHandshakeException) return TLS_FAILED; // only new connections shake hands
        if (e instanceof SocketTimeoutException) return TIMEOUT;
        return BROKEN;
    }
}
