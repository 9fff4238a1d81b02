package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.http.HttpClientException;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The client's side of the shared parsing rules: malformed bytes become
 * {@link HttpClientException.MalformedResponse}, an early end becomes {@link HttpClientException.IncompleteResponse},
 * and socket timeouts become {@link HttpClientException.Timeout} naming the limit that passed.
 */
public final class ClientErrors implements ChunkedDecoder.Errors<HttpClientException> {

    public static final ClientErrors INSTANCE = new ClientErrors();
    static final FieldLines.Failure<HttpClientException.MalformedResponse> MALFORMED = HttpClientException.MalformedResponse::new;

    private ClientErrors() {
    }

    @Override
    public HttpClientException malformed(String why) {
        return new HttpClientException.MalformedResponse(why);
    }

    @Override
    public HttpClientException truncated(String why) {
        return new HttpClientException.IncompleteResponse(why, false);
    }

    @Override
    public HttpClientException tooManyTrailers(String why) {
        return new HttpClientException.MalformedResponse(why);
    }

    /**
     * Names a socket failure: a read timeout, the whole-request deadline, or a write the watchdog cut off.
     *
     * @param deadline the whole-request deadline ({@link System#nanoTime()}), or 0
     * @param timeout  the whole-request timeout, or null
     */
    public static IOException translate(IOException e, Connection c, long deadline, Duration timeout, Duration readTimeout) {
        if (e instanceof HttpClientException) return e;
        boolean pastDeadline = deadline != 0 && System.nanoTime() - deadline >= -2_000_000L;
        if (e instanceof SocketTimeoutException || c.timedOut()) {
            if (pastDeadline) {
                return new HttpClientException.Timeout("request to " + remote(c) + " did not complete within "
                        + timeout.toMillis() + " ms", HttpClientException.Timeout.Kind.REQUEST);
            }
            if (e instanceof SocketTimeoutException) {
                return new HttpClientException.Timeout("no data from " + remote(c) + " for " + readTimeout.toMillis()
                        + " ms (read timeout)", HttpClientException.Timeout.Kind.READ);
            }
            return new HttpClientException.Timeout(remote(c) + " did not take request bytes for "
                    + readTimeout.toMillis() + " ms (write timeout)", HttpClientException.Timeout.Kind.WRITE);
        }
        return e;
    }

    public static String remote(Connection c) {
        var a = c.remoteAddress();
        return a.getHostString() + ":" + a.getPort();
    }
}
