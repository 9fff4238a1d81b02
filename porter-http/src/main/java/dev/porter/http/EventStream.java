package dev.porter.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A response in server-sent events mode ({@code text/event-stream}, WHATWG HTML "Server-sent events"), from
 * {@link Response#eventStream()}. The handler sends events for as long as it likes, in plain blocking style on
 * its own virtual thread, and the stream ends when the handler returns (or calls {@link #close()}).
 *
 * <pre>{@code
 * router.get("/ticks", (req, res) -> {
 *     EventStream events = res.eventStream();
 *     long n = events.lastEventId().filter(id -> id.matches("\\d{1,18}"))   // the browser reconnected: go on
 *             .map(Long::parseLong).orElse(0L);                        // (a client may send any text)
 *     while (true) {
 *         events.send(ServerSentEvent.of("tick " + ++n).withId(Long.toString(n)));
 *         Thread.sleep(1000);
 *     }   // ends with EventStreamClosedException when the client leaves: nothing to catch
 * });
 * }</pre>
 *
 * <p>Every event is flushed at once. While nothing else is sent, a comment line goes out every heartbeat
 * interval (default {@link #DEFAULT_HEARTBEAT}), so proxies keep the connection and a client that left is noticed
 * even when the handler has nothing to say; the heartbeats run on one shared scheduler, not a thread per stream.
 *
 * <p>When the client goes away, a graceful stop begins, or the stream was closed, {@code send} and
 * {@code comment} throw {@link EventStreamClosedException}: the chosen signal (rather than a boolean) so a handler
 * that ignores it still ends; the server treats it as the stream's normal end and logs nothing above DEBUG.
 * A client that left is noticed at the first write that fails: the next event or heartbeat after the kernel
 * learned of the close.
 *
 * <p>Thread-safe: several threads may send on one stream; each event is written whole.
 */
public interface EventStream extends AutoCloseable {

    /** The heartbeat interval of {@link Response#eventStream()}. */
    Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    /**
     * Sends one event and flushes it.
     *
     * @throws EventStreamClosedException if the client left, a stop began or the stream was closed
     * @throws IOException                if the write failed otherwise
     */
    void send(ServerSentEvent event) throws IOException;

    /** Sends an event of type {@code message} with {@code data}; see {@link #send(ServerSentEvent)}. */
    default void send(String data) throws IOException {
        send(ServerSentEvent.of(data));
    }

    /**
     * Sends a comment (a line starting with a colon, which the browser ignores) and flushes it; a multi-line
     * text becomes several comment lines.
     *
     * @throws EventStreamClosedException as {@link #send(ServerSentEvent)}
     */
    void comment(String text) throws IOException;

    /**
     * @return the request's {@code Last-Event-ID}: the id of the last event a reconnecting browser received, so the
     *         handler can go on from there; empty on a first connection
     */
    Optional<String> lastEventId();

    /** @return false once the client left, a graceful stop began, or the stream was closed */
    boolean isOpen();

    /** Ends the stream now (the handler returning does the same). Idempotent. */
    @Override
    void close() throws IOException;
}
