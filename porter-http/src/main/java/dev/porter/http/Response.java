package dev.porter.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.time.Duration;

/**
 * The answer to one request. Set the status and headers, then send once: {@link #send(byte[])},
 * {@link #send(String)}, {@link #sendFile}, or {@link #stream()}. The head is written when the body starts
 * ("committed"); after that status and headers can no longer change.
 *
 * <p>Framing is automatic (RFC 9112 §6): a known length gets {@code Content-Length}; a stream of unknown length
 * is chunked for HTTP/1.1 and close-delimited for HTTP/1.0; responses to HEAD and 1xx/204/304 responses carry no
 * body. {@code Date} and {@code Server} are added by the server. Not thread-safe.
 */
public interface Response {

    /** Sets the status (default 200). @throws IllegalStateException once committed */
    Response status(Status status);

    /** Sets the status by code. @throws IllegalStateException once committed */
    default Response status(int code) {
        return status(Status.of(code));
    }

    /** @return the status set so far */
    Status status();

    /**
     * Adds a header field.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF, NUL or another
     *                                  control character (no response splitting), or a character above U+00FF
     * @throws IllegalStateException    once committed
     */
    Response header(String name, String value);

    /** Replaces every field named {@code name} (case-insensitive) with this one; validated like {@link #header}. */
    Response setHeader(String name, String value);

    /**
     * @return the response header fields set so far, as a mutable list; a field added to it directly is checked
     *         like {@link #header}'s when the head is written, where a bad one fails the send with
     *         {@code IllegalArgumentException}
     */
    Headers headers();

    /** Sets {@code Content-Type}. */
    default Response contentType(String type) {
        return setHeader("Content-Type", type);
    }

    /** Sends {@code body} with Content-Length and completes the response. */
    void send(byte[] body) throws IOException;

    /** Sends {@code body} as UTF-8 ({@code text/plain; charset=utf-8} unless a Content-Type was set). */
    void send(String body) throws IOException;

    /** Sends {@code status} with {@code body} as plain text. */
    default void send(Status status, String body) throws IOException {
        status(status);
        send(body);
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code position} with Content-Length, zero-copy (sendfile)
     * where the platform allows, never loading the file into memory.
     */
    void sendFile(FileChannel file, long position, long length) throws IOException;

    /**
     * Declares the body length before {@link #stream()}, so the stream is sent with Content-Length. Writing more
     * or fewer bytes than declared fails the response and closes the connection.
     */
    Response contentLength(long length);

    /**
     * Starts a streamed body; the head is written at the first flush or write beyond the buffer. Closing the
     * stream completes the response (the server also completes it when the handler returns).
     */
    OutputStream stream() throws IOException;

    /**
     * Switches to server-sent events with a heartbeat every {@link EventStream#DEFAULT_HEARTBEAT}; see
     * {@link #eventStream(Duration)}.
     */
    default EventStream eventStream() throws IOException {
        return eventStream(EventStream.DEFAULT_HEARTBEAT);
    }

    /**
     * Switches to server-sent events: sends the head now ({@code Content-Type: text/event-stream; charset=utf-8},
     * {@code Cache-Control: no-store}, never compressed; chunked over HTTP/1.1, close-delimited over HTTP/1.0, DATA
     * frames over HTTP/2) and returns the stream to send events on. Set the status (default 200) and any other
     * header first. A second call returns the same stream.
     *
     * @param heartbeat how often a comment goes out while nothing else is sent; {@link Duration#ZERO} for none
     * @throws IllegalStateException    if the response was committed another way
     * @throws IllegalArgumentException if {@code heartbeat} is negative
     */
    EventStream eventStream(Duration heartbeat) throws IOException;

    /** @return true once the head was written; status and headers are then fixed */
    boolean committed();

    /** Asks to close the connection after this response ({@code Connection: close}). */
    Response closeConnection();
}
