package dev.porter.http.internal.h2;

import dev.porter.core.InputWatch;

import java.io.IOException;

/**
 * When the reader may wait for the client without a timer, and what the core's watchdog asks about such a wait.
 * A timed wait costs each request of a connection with one stream at a time a timer task and a wake-up of the
 * JDK's delay scheduler thread; the timer exists only so the reader notices its last stream ending (to park) and a
 * graceful stop. A connection whose frames come back to back ("hot": {@link #HOT_RUN} waits in a row ended by
 * input within {@link #HOT_GAP_NANOS}) waits untimed instead, watched: the watchdog sees the streams end
 * ({@link #quiet}) and has the client nudged with a PING (RFC 9113 §6.7: it must answer), whose ACK wakes the reader
 * so it lingers and parks as after any other wait. A connection with gaps keeps the timed slices.
 */
final class ReaderWatch implements InputWatch {

    private static final System.Logger LOG = System.getLogger("dev.porter.http.HttpServer");
    /** A wait ended by input within this is "back to back" (as HTTP/1.1's hot connections). */
    static final long HOT_GAP_NANOS = 20_000_000L;
    /** This many back-to-back waits in a row make a connection hot (a few requests and a pause do not). */
    static final int HOT_RUN = 8;
    /** The nudge's PING payload ("nudge!!!" in ASCII), told apart from nothing: the ACK is ignored like any. */
    private static final long NUDGE = 0x6e75646765212121L;

    private final StreamTable streams;
    private final Http2Writer writer;
    private long waitStart;
    private int backToBack;

    ReaderWatch(StreamTable streams, Http2Writer writer) {
        this.streams = streams;
        this.writer = writer;
    }

    /** The reader starts waiting for input. */
    void waitStarts() {
        waitStart = System.nanoTime();
    }

    /** The reader's wait ended (with input, or the end of it). */
    void waitEnded() {
        backToBack = System.nanoTime() - waitStart < HOT_GAP_NANOS ? backToBack + 1 : 0;
    }

    /** @return true if the reader may wait without a timer */
    boolean hot() {
        return backToBack >= HOT_RUN;
    }

    @Override
    public boolean quiet() {
        return streams.isEmpty();
    }

    /** Streams are running while the reader waits: the status view lists the connection as handling. */
    @Override
    public boolean busy() {
        return !streams.isEmpty();
    }

    @Override
    public void nudge() {
        try {
            writer.ping(NUDGE);
        } catch (IOException e) {
            // The connection failed: the reader's own read reports it and ends the connection.
            LOG.log(System.Logger.Level.TRACE, "HTTP/2 nudge not sent: {0}", e.getMessage());
        }
    }
}
