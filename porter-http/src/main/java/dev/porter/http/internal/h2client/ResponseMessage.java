package dev.porter.http.internal.h2client;

import dev.porter.http.Headers;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;

/**
 * The response on one stream as the server's frames build it (RFC 9113 §8.1): interim (1xx) heads, the final
 * head, content, and trailers that end the stream; and the rules whose breach makes the response malformed
 * (§8.1.1), each a stream error (PROTOCOL_ERROR): an interim head that ends the stream or says 101 (§8.6), more
 * than {@link #MAX_INTERIM} of them, DATA before the final head, a second field block without END_STREAM, content
 * where none may be (a response to HEAD, 204, 304), and content that disagrees with its content-length. What it
 * knows also decides how the request fails when the connection ends under it ({@link #connectionEnded}). Not
 * thread-safe: used under its {@link Http2ClientStream}'s lock.
 */
final class ResponseMessage {

    /** Interim (1xx) responses tolerated before the final one. */
    private static final int MAX_INTERIM = 16;

    private final int streamId;
    /** The request was HEAD: the response has no content whatever its fields say (RFC 9110 §9.3.2). */
    private final boolean head;
    private final ArrayDeque<ResponseFields> interim = new ArrayDeque<>();
    private int interimCount;
    private ResponseFields finalHead;
    /** The caller has the final head. */
    private boolean headTaken;
    private ResponseFields trailers;
    /** Content bytes the server sent, kept or not. */
    private long received;

    ResponseMessage(int streamId, boolean head) {
        this.streamId = streamId;
        this.head = head;
    }

    /**
     * A complete field block: an interim or final response head, or trailers.
     *
     * @param endStream its HEADERS frame carried END_STREAM
     * @return true if it ended the response (the content length was checked)
     * @throws Http2Exception a stream error: the response is malformed
     */
    boolean fieldBlock(ResponseFields f, boolean endStream) {
        if (finalHead == null) {
            if (f.status < 200) {
                if (endStream) throw malformed("interim response " + f.status + " ends the stream");
                if (f.status == 101) throw malformed("101 Switching Protocols is not allowed in HTTP/2 (RFC 9113 §8.6)");
                if (++interimCount > MAX_INTERIM) throw malformed("more than " + MAX_INTERIM + " interim (1xx) responses");
                interim.add(f);
                return false;
            }
            finalHead = f;
            if (!endStream) return false;
            end();
            return true;
        }
        // Trailers (RFC 9113 §8.1): a field block after the content must end the stream.
        if (!endStream) throw malformed("a second field block without END_STREAM");
        trailers = f;
        end();
        return true;
    }

    /**
     * DATA carrying {@code n} bytes of content (0 for an empty frame).
     *
     * @param streamEnded END_STREAM came before
     * @throws Http2Exception a stream error: before the final head, after the end, or content that may not be
     */
    void data(int n, boolean streamEnded) {
        if (finalHead == null) throw malformed("DATA before the response head (RFC 9113 §8.1)");
        if (trailers != null || streamEnded) throw Http2Exception.stream(streamId, Http2Error.STREAM_CLOSED, "DATA after END_STREAM");
        if (n == 0) return;
        if (noContent()) throw malformed("content in a response to HEAD or with status " + finalHead.status);
        received += n;
        if (finalHead.contentLength >= 0 && received > finalHead.contentLength) {
            throw malformed("more content than its content-length of " + finalHead.contentLength);
        }
    }

    /** END_STREAM (on DATA, or on the final head or trailers): checks the content length (§8.1.1). */
    void end() {
        if (!noContent() && finalHead.contentLength >= 0 && received != finalHead.contentLength) {
            throw malformed("content of " + received + " bytes, not its content-length of " + finalHead.contentLength);
        }
    }

    private boolean noContent() {
        int s = finalHead.status;
        return head || s == 204 || s == 304;
    }

    private Http2Exception malformed(String why) {
        return Http2Exception.stream(streamId, Http2Error.PROTOCOL_ERROR, why);
    }

    /** @return true once the final head arrived (a field block now is trailers) */
    boolean answered() {
        return finalHead != null;
    }

    /** @return the next interim head for the caller, or null */
    ResponseFields nextInterim() {
        return interim.poll();
    }

    /** @return true if an interim head waits for the caller */
    boolean hasInterim() {
        return !interim.isEmpty();
    }

    /** @return the final head, which the caller now has; only once {@link #answered} */
    ResponseFields takeFinalHead() {
        headTaken = true;
        return finalHead;
    }

    /** @return the trailers' fields, or null if none came */
    Headers trailers() {
        return trailers != null ? trailers.headers : null;
    }

    /** @return content bytes the server sent */
    long received() {
        return received;
    }

    /**
     * @param cause            why the connection ended, or null if the server closed it
     * @param remote           the server, for the message
     * @param reusedConnection the connection carried complete exchanges before this stream
     * @return how the request fails: an earlier verdict as it is; a retry if a reused connection failed before any
     *         answer (it may have been stale); else an incomplete response saying how far it came
     */
    IOException connectionEnded(IOException cause, String remote, boolean reusedConnection) {
        if (cause instanceof HttpClientException || cause instanceof Http2Retry) return cause;
        if (finalHead == null && !headTaken && interimCount == 0 && reusedConnection && !(cause instanceof SocketTimeoutException)) {
            return new Http2Retry("reused HTTP/2 connection to " + remote + " failed before a response: "
                    + (cause == null ? "closed by the server" : cause.getMessage()), false, false);
        }
        if (cause instanceof SocketTimeoutException) return cause;
        if (finalHead == null) {
            return new HttpClientException.IncompleteResponse("server " + remote
                    + " closed the HTTP/2 connection without answering stream " + streamId, interimCount == 0);
        }
        return new HttpClientException.IncompleteResponse("server " + remote + " closed the HTTP/2 connection after "
                + received + " body bytes" + (finalHead.contentLength >= 0 ? " of " + finalHead.contentLength : ""), false);
    }
}
