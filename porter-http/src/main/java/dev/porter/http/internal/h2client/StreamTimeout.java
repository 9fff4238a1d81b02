package dev.porter.http.internal.h2client;

import dev.porter.http.HttpClientException;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;

/**
 * A caller's wait on an HTTP/2 connection or stream passed its limit: the read timeout, or the whole request's
 * deadline. Every such wait is bounded the same way ({@link #await}), and what the caller finally sees is the
 * client's {@link HttpClientException.Timeout} of the matching kind ({@link #toClientTimeout}).
 */
final class StreamTimeout extends SocketTimeoutException {

    /** True if the request's deadline passed, false if the read timeout did. */
    final boolean deadline;

    StreamTimeout(boolean deadline) {
        super(deadline ? "request deadline passed" : "read timeout");
        this.deadline = deadline;
    }

    /**
     * Waits on {@code changed} until the earlier of {@code until} and {@code deadline}; its lock is held. The caller
     * turns an interruption into an {@link java.io.InterruptedIOException} naming what it waited for (built only
     * then: a body's reader waits here for every chunk).
     *
     * @param deadline whole-request deadline ({@link System#nanoTime()}) or 0
     * @throws StreamTimeout if that moment has passed already
     */
    static void await(Condition changed, long until, long deadline) throws StreamTimeout, InterruptedException {
        boolean byDeadline = deadline != 0 && deadline - until < 0;
        long left = (byDeadline ? deadline : until) - System.nanoTime();
        if (left <= 0) throw new StreamTimeout(byDeadline);
        changed.awaitNanos(left);
    }

    /**
     * @param remote           the server, for the message
     * @param requestTimeout   the whole request's timeout, for the message
     * @param readTimeoutNanos the read timeout, for the message
     * @param what             what did not come, for a read timeout
     * @return the client's timeout for this wait: the whole request's, or the read timeout
     */
    HttpClientException.Timeout toClientTimeout(String remote, Duration requestTimeout, long readTimeoutNanos,
                                                String what) {
        if (deadline) {
            return new HttpClientException.Timeout("request to " + remote + " did not complete within "
                    + requestTimeout.toMillis() + " ms", HttpClientException.Timeout.Kind.REQUEST);
        }
        return new HttpClientException.Timeout(what + " for " + readTimeoutNanos / 1_000_000 + " ms (read timeout)",
                HttpClientException.Timeout.Kind.READ);
    }
}
