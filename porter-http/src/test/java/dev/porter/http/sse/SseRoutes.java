package dev.porter.http.sse;

import dev.porter.http.EventStream;
import dev.porter.http.EventStreamClosedException;
import dev.porter.http.Router;
import dev.porter.http.ServerSentEvent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Event-stream handlers for the SSE tests, with hooks the tests wait on:
 * <ul>
 *   <li>{@code /gated}: three events with ids, continuing after {@code Last-Event-ID}; after each it waits until the
 *       test {@link #next() lets it go on}, so an event the client reads cannot have come with the stream's end</li>
 *   <li>{@code /beat}: one event, then silence but for heartbeats (every 100 ms) until {@link #release}</li>
 *   <li>{@code /forever}: an event every 20 ms until the stream ends; how it ended completes {@link #ended}</li>
 * </ul>
 */
final class SseRoutes {

    static final Duration FAST_BEAT = Duration.ofMillis(100);
    private static final long WAIT_SECONDS = 20;

    final Semaphore gate = new Semaphore(0);
    final CompletableFuture<Void> release = new CompletableFuture<>();
    volatile CompletableFuture<Throwable> ended = new CompletableFuture<>();

    Router router() {
        return new Router()
                .get("/gated", (req, res) -> {
                    EventStream events = res.eventStream(Duration.ZERO);
                    long n = events.lastEventId().map(Long::parseLong).orElse(0L);
                    for (int i = 0; i < 3; i++) {
                        n++;
                        events.send(ServerSentEvent.of("event " + n).withId(Long.toString(n)));
                        if (!gate.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("the test never went on");
                    }
                })
                .get("/beat", (req, res) -> {
                    EventStream events = res.eventStream(FAST_BEAT);
                    events.send(ServerSentEvent.of("first").withEvent("hello"));
                    release.get(WAIT_SECONDS, TimeUnit.SECONDS);
                })
                .get("/forever", (req, res) -> {
                    EventStream events = res.eventStream(FAST_BEAT);
                    try {
                        for (long n = 1; ; n++) {
                            events.send(ServerSentEvent.of("tick " + n).withId(Long.toString(n)));
                            Thread.sleep(20);
                        }
                    } catch (EventStreamClosedException e) {
                        ended.complete(e);
                        throw e;
                    } catch (Exception | Error e) {
                        ended.complete(e);
                        throw e;
                    }
                });
    }

    /** Lets {@code /gated} send its next event. */
    void next() {
        gate.release();
    }
}
