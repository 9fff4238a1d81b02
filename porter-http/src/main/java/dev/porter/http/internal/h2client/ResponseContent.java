package dev.porter.http.internal.h2client;

import dev.porter.http.internal.h2.BodyChunks;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;

/**
 * The content of one response stream on its way from the reader thread to the caller, and the stream's receive
 * window (RFC 9113 §6.9): every DATA frame counts against the window as it arrives (padding included), its content
 * waits here until the caller reads it, and what was consumed is given back once half the window was, so a body
 * never sits in memory beyond one window and a slow reader holds back only its own stream. Not thread-safe: used
 * under its {@link Http2ClientStream}'s lock.
 */
final class ResponseContent {

    private final int streamId;
    /** Our SETTINGS_INITIAL_WINDOW_SIZE: the window this stream started with. */
    private final int window;
    /** Content not read yet; small frames packed, so a hostile server's one-byte frames cost no array each. */
    private final BodyChunks chunks = new BodyChunks();
    private long buffered;
    /** What the server may still send (our receive window for this stream). */
    private long recvWindow;
    /** Bytes consumed (read, or padding) not yet given back with WINDOW_UPDATE. */
    private int unacked;
    /** The caller gave up: content is counted, never kept. */
    private boolean discarded;

    ResponseContent(int streamId, int window) {
        this.streamId = streamId;
        this.window = window;
        this.recvWindow = window;
    }

    /**
     * Counts a DATA frame of {@code flow} bytes (padding included) against the stream's window.
     *
     * @throws Http2Exception FLOW_CONTROL_ERROR, a stream error, if the server sent beyond the window (§6.9.1)
     */
    void receive(int flow) {
        if (flow > recvWindow) {
            throw Http2Exception.stream(streamId, Http2Error.FLOW_CONTROL_ERROR, "DATA beyond the stream's window");
        }
        recvWindow -= flow;
    }

    /** Padding (and frame overhead) of a DATA frame: never read, so it is credited at once. */
    void padding(int n) {
        unacked += n;
    }

    /** Keeps {@code n} bytes of content for the reader (copied out of the frame), unless it was discarded. */
    void add(byte[] b, int from, int n) {
        if (discarded) return;
        chunks.add(b, from, n);
        buffered += n;
    }

    /** @return true if no content waits to be read */
    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** @return content bytes waiting, readable without blocking */
    long buffered() {
        return buffered;
    }

    /**
     * Moves up to {@code len} bytes of what waits into {@code b}; they count as consumed.
     *
     * @return bytes moved (0 if nothing waits)
     */
    int read(byte[] b, int off, int len) {
        int n = chunks.read(b, off, len);
        buffered -= n;
        unacked += n;
        return n;
    }

    /**
     * Takes the credit due: what was consumed, once it is half the window (one WINDOW_UPDATE per half, not one per
     * read). The window grows back by it at once; the caller sends the WINDOW_UPDATE.
     *
     * @param more false once the server ended or reset the stream: no more DATA comes, nothing is given back
     * @return the bytes to give back now, or 0
     */
    int credit(boolean more) {
        if (!more || unacked < window / 2) return 0;
        int credit = unacked;
        recvWindow += credit;
        unacked = 0;
        return credit;
    }

    /** The caller gave up on the response: what waits is dropped, and later content is not kept. */
    void discard() {
        discarded = true;
        chunks.clear();
        buffered = 0;
    }
}
