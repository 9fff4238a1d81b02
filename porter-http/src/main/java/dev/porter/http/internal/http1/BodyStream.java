package dev.porter.http.internal.http1;

import dev.porter.core.Connection;
import dev.porter.core.ReadBuffer;
import dev.porter.http.HttpException;
import dev.porter.http.Status;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * A request body bounded by its framing. Reading past the end returns -1, never bytes of the next request.
 * The first read sends {@code 100 Continue} when the client asked for it. A framing error, an over-limit body or a
 * read timeout marks the stream broken and records the status that describes it ({@link #failure()}: 400, 413 or
 * 408): the connection is then closed after the response, and a handler that swallowed the failure and answered
 * anyway has its answer replaced by that status if it is still unsent.
 */
abstract sealed class BodyStream extends InputStream permits BodyStream.Empty, BodyStream.Fixed, ChunkedBody {

    /** Sends the interim 100 response; called once, before the first body byte is read. */
    interface Continuer {
        void sendContinue() throws IOException;
    }

    final Connection c;
    final long limit;
    private Continuer continuer;
    long consumed;
    boolean done;
    boolean broken;
    private HttpException failure;

    BodyStream(Connection c, long limit, Continuer continuer) {
        this.c = c;
        this.limit = limit;
        this.continuer = continuer;
    }

    /** @return body bytes still to come when the length is known, else 0 */
    long remainingKnown() {
        return 0;
    }

    final boolean complete() {
        return done && !broken;
    }

    /** @return true if the framing failed and the connection cannot carry another request */
    final boolean broken() {
        return broken;
    }

    /** @return true if the client waits for 100 Continue that was never sent (so it may never send the body) */
    final boolean continuePending() {
        return continuer != null;
    }

    final void beforeRead() throws IOException {
        if (continuer != null) {
            Continuer k = continuer;
            continuer = null;
            k.sendContinue();
        }
    }

    final HttpException fail(HttpException e) {
        broken = true;
        if (failure == null) failure = e;
        return e;
    }

    /** Marks the body as not received in time (RFC 9110 §15.5.9: 408); the caller rethrows {@code e}. */
    private SocketTimeoutException timedOut(SocketTimeoutException e) {
        fail(new HttpException(Status.REQUEST_TIMEOUT, "request body not received in time"));
        return e;
    }

    /** @return what broke the body (its status and message), or null if it is not broken */
    final HttpException failure() {
        if (failure == null && broken) failure = new HttpException(Status.BAD_REQUEST, "malformed request body");
        return failure;
    }

    /** @return true if the body was neither read to its end nor can be discarded within {@code maxDrain} bytes */
    final boolean blocksReuse(long maxDrain) {
        return !done && (broken || continuePending() || remainingKnown() > maxDrain);
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        try {
            return readBody(b, off, len);
        } catch (SocketTimeoutException e) {
            throw timedOut(e);
        } catch (IOException e) {
            // The client reset or the socket failed inside the body: the request is broken, not the handler.
            fail(new HttpException(Status.BAD_REQUEST, "connection failed inside the request body"));
            throw e;
        }
    }

    /** Reads body bytes like {@link InputStream#read(byte[], int, int)}, within the body's framing. */
    abstract int readBody(byte[] b, int off, int len) throws IOException;

    final HttpException tooLarge() {
        return fail(new HttpException(Status.CONTENT_TOO_LARGE, "request body is over the limit of " + limit + " bytes"));
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    /**
     * Reads and discards the rest of the body, up to {@code max} bytes.
     *
     * @return true if the body ended within {@code max}; false leaves the connection unusable for more requests
     */
    final boolean drain(long max) {
        if (done) return !broken;
        if (broken || continuePending() || remainingKnown() > max) return false;
        byte[] skip = new byte[(int) Math.min(8192, Math.max(1, max))];
        long left = max;
        try {
            while (!done) {
                if (left <= 0) return false;
                int n = read(skip, 0, (int) Math.min(skip.length, left));
                if (n < 0) break;
                left -= n;
            }
            return !broken;
        } catch (IOException e) {
            // read() recorded why: 408 for a timeout, 400 for any other failure of the connection.
            return false;
        } catch (HttpException e) {
            fail(e);
            return false;
        }
    }

    /** No body. */
    static final class Empty extends BodyStream {
        Empty(Connection c) {
            super(c, 0, null);
            done = true;
        }

        @Override
        int readBody(byte[] b, int off, int len) {
            return -1;
        }
    }

    /** A body of Content-Length bytes (RFC 9112 §6.2). */
    static final class Fixed extends BodyStream {
        private final long length;

        Fixed(Connection c, long length, long limit, Continuer continuer) {
            super(c, limit, continuer);
            this.length = length;
        }

        @Override
        int readBody(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (consumed >= length) {
                done = true;
                return -1;
            }
            beforeRead();
            int want = (int) Math.min(len, length - consumed);
            int n = c.input().read(b, off, want, ReadBuffer.Wait.IN_MESSAGE);
            if (n < 0) {
                throw fail(new HttpException(Status.BAD_REQUEST,
                        "connection closed after " + consumed + " of " + length + " body bytes"));
            }
            consumed += n;
            if (consumed == length) done = true;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(c.input().available(), length - consumed);
        }

        @Override
        long remainingKnown() {
            return length - consumed;
        }
    }
}
