package dev.porter.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A connection's long reads as the {@link Watchdog} sees them, for {@code Connection.abandonLongReadsWhen}: once a
 * blocked read has lasted {@link #ASK_AFTER_NANOS}, the question is asked on a virtual thread of its own (it may
 * block briefly, and the watchdog's thread must not), then again after as long while the read goes on; a true
 * answer closes the connection, ending the read. Nothing here runs per read: the reading thread only sets the
 * question; a read is told from the next by its deadline ({@code ByteSource.readingUntil}, distinct per read).
 * The scan's own fields belong to the watchdog's thread; the two threads share only the volatile ones.
 */
final class LongRead {

    private static final System.Logger LOG = System.getLogger(LongRead.class.getName());
    /** How long a read lasts before the question is asked, and how often it is asked again while it goes on. */
    static final long ASK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private volatile BooleanSupplier abandon;
    private volatile boolean asking;
    // The watchdog thread's view of the current read.
    private long seenUntil;
    private long lastAsked;

    /** The reading thread sets (or clears, with null) the question. */
    void ask(BooleanSupplier question) {
        abandon = question;
    }

    /**
     * The watchdog's scan of a connection.
     *
     * @param until the deadline of the read in progress ({@code ByteSource.readingUntil}), 0 when not reading
     */
    void check(SocketConnection c, long until, long now) {
        BooleanSupplier a = abandon;
        if (a == null || until == 0) {
            seenUntil = 0;
            return;
        }
        if (until != seenUntil) { // a new read: counted from this scan
            seenUntil = until;
            lastAsked = now;
            return;
        }
        if (asking || now - lastAsked < ASK_AFTER_NANOS) return;
        lastAsked = now;
        asking = true;
        Thread.ofVirtual().name("porter-long-read").start(() -> {
            try {
                // Asked again after the answer: the reading thread may have cleared or replaced the question
                // meanwhile (its read ended), and then this answer is about a read that is over.
                if (a.getAsBoolean() && abandon == a) c.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a long read's question failed; the read goes on", e);
            } finally {
                asking = false;
            }
        });
    }
}
