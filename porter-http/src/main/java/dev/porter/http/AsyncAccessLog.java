package dev.porter.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An access log that never holds a request up: {@link #log} formats the entry and puts the line in a bounded queue,
 * and one writer thread writes the lines to an output stream in batches (one {@code write} and one {@code flush}
 * per batch). Without it, a log written on the connection's thread to an output nobody reads (a
 * stdout pipe to a stuck log shipper, a terminal paused with Ctrl-S) stops every answer once the pipe's buffer is
 * full; nginx avoids it by writing to files through a buffer, Jetty ({@code AsyncRequestLogWriter}) and Caddy by a
 * queue and a writer thread, as here.
 *
 * <pre>{@code
 * try (AsyncAccessLog log = AsyncAccessLog.start(System.out, AccessLog.Entry::combined, AsyncAccessLog.DEFAULT_CAPACITY);
 *      HttpServer server = HttpServer.start(HttpConfig.builder().accessLog(log).build(), handler)) {
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Thread-safe</b>: {@link #log} and {@link #text} may be called from any number of threads; what one thread
 *       queues is written in the order it queued it. One log may serve several servers.</li>
 *   <li><b>Capacity</b>: the queue holds at most {@code capacity} entries and texts ({@link #DEFAULT_CAPACITY}),
 *       and at most {@value #CHARS_PER_LINE} characters a line on average ({@code capacity} &times;
 *       {@value #CHARS_PER_LINE}, 4 Mi characters by default): lines count for their length, so requests with long
 *       targets and headers cannot make a stuck output's queue take {@code capacity} times the longest line.
 *       A single line longer than that budget is still taken into an empty queue.</li>
 *   <li><b>Drop policy</b>: when the queue is full the newest entry is dropped, never waited for, and counted
 *       ({@link #dropped()}); once the writer has caught up (the queue emptied), or at the latest after ten
 *       seconds of writing, one warning says how many were dropped since the last one. Nothing is dropped while the
 *       output keeps up and the writer gets its share of the CPU.</li>
 *   <li><b>Lines</b>: each entry is {@code format}ted on the thread that logs it and written as UTF-8 with
 *       {@code \n} after it. Why not on the writer: the CPU per request is the same either way, but one writer
 *       formatting every line falls behind sooner when the machine is busy (measured: several times the lines
 *       dropped from a small queue under load), while the requests' threads share the formatting.</li>
 *   <li><b>Stop</b>: {@link #close(Duration)} writes what is queued, then ends the writer thread; it waits at most
 *       the time given, so an output that is stuck cannot hold a stop. Close it after stopping the servers that
 *       use it. The writer is a daemon thread: it never keeps the JVM alive, but only a close writes the last
 *       lines for sure. The output stream is flushed, never closed (it is often {@code System.out}).</li>
 *   <li>A failure to write (the output was closed) drops that batch and counts it in {@link #dropped()}; one
 *       warning says so until a write succeeds again; later batches are still tried.</li>
 * </ul>
 */
public final class AsyncAccessLog implements AccessLog, AutoCloseable {

    /** The queue's capacity when none is given: 8192 lines, about 1.6 MiB at 200 bytes a line. */
    public static final int DEFAULT_CAPACITY = 8192;

    /** The characters a queued line may take on average: the queue holds {@code capacity} times this at most. */
    public static final int CHARS_PER_LINE = 512;

    /** How long {@link #close()} waits for the queued lines to be written. */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(AsyncAccessLog.class.getName());
    /** At most this many queued items per write: bounds the batch buffer (about 200 KiB at 200 bytes a line). */
    private static final int MAX_BATCH = 1024;
    private static final long REPORT_AT_LEAST_EVERY_NANOS = 10_000_000_000L;
    /**
     * Once woken by a first line, the writer waits this long for more before writing (unless the queue is already
     * half full): one wake-up and one write per batch rather than per line, which under load cost more CPU per
     * request than writing the line on the request's thread did. A line appears at most this much later.
     */
    private static final long LINGER_NANOS = 2_000_000L;

    private final OutputStream out;
    private final Function<Entry, String> format;
    private final Consumer<String> warnings;
    private final int capacity;
    /** Only offered to and drained, never waited on: the writer parks and is unparked by {@link #offer}. */
    private final ArrayBlockingQueue<Object> queue;
    /** Items in the queue, as offers and drains count them: tells an offer when the writer needs waking. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Characters in the queue, as offers and drains count them; at most {@link #maxChars}. */
    private final AtomicLong queuedChars = new AtomicLong();
    private final long maxChars;
    /** The queued count at which a lingering writer is woken at once. */
    private final int wakeAt;
    private final AtomicLong dropped = new AtomicLong();
    /** Dropped since the last warning. */
    private final AtomicLong unreported = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    /** Items in the write under way (a stuck output holds them there). */
    private volatile int inWrite;

    private AsyncAccessLog(OutputStream out, Function<Entry, String> format, int capacity, Consumer<String> warnings) {
        this.out = Objects.requireNonNull(out, "out");
        this.format = Objects.requireNonNull(format, "format");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxChars = (long) capacity * CHARS_PER_LINE;
        this.wakeAt = Math.max(1, Math.min(capacity / 2, MAX_BATCH));
        // A platform thread: it spends its life blocked in write(2) on a file or pipe. A virtual thread would hold
        // its carrier there all the same (file writes are not parked; the scheduler adds a carrier to make up for
        // it), so it would gain nothing, and a named daemon platform thread shows plainly in a thread dump.
        this.writer = Thread.ofPlatform().name("porter-access-log").daemon().unstarted(this::run);
    }

    /**
     * Starts the writer thread. Warnings (lines dropped, the output failing) go to the {@code System.Logger} of this
     * class at WARNING.
     *
     * @param out      where the lines go (not closed by {@link #close})
     * @param format   one entry's line, without the line end (for example {@link Entry#combined()}); called on the
     *                 thread that logs the entry, so it must be thread-safe
     * @param capacity the most entries waiting to be written (at least 1)
     */
    public static AsyncAccessLog start(OutputStream out, Function<Entry, String> format, int capacity) {
        return start(out, format, capacity, w -> LOG.log(System.Logger.Level.WARNING, w));
    }

    /**
     * Starts the writer thread, with warnings (one sentence each, such as {@code 12 access log lines dropped: …})
     * given to {@code warnings} on the writer thread.
     */
    public static AsyncAccessLog start(OutputStream out, Function<Entry, String> format, int capacity,
                                       Consumer<String> warnings) {
        AsyncAccessLog log = new AsyncAccessLog(out, format, capacity, warnings);
        log.writer.start();
        return log;
    }

    /**
     * Formats the entry and queues its line, or drops and counts it if the queue is full or the log closed. Never
     * blocks.
     */
    @Override
    public void log(Entry entry) {
        offer(format.apply(Objects.requireNonNull(entry, "entry")));
    }

    /**
     * Queues {@code text} to be written as it is (give it its line ends), between what was queued before and after
     * it: a server's own lines (a verbose log's header fields, a note at the stop) keep their place among the
     * entries. Dropped and counted like an entry when the queue is full.
     */
    public void text(String text) {
        offer(new Text(Objects.requireNonNull(text, "text")));
    }

    /** A {@link #text} in the queue, where a plain string is an entry's line (written with its line end). */
    private record Text(String text) {
    }

    private void offer(Object item) {
        int chars = chars(item);
        long inQueue = queuedChars.addAndGet(chars);
        if (closing || (inQueue > maxChars && inQueue != chars) || !queue.offer(item)) {
            queuedChars.addAndGet(-chars);
            dropped.incrementAndGet();
            unreported.incrementAndGet();
            return;
        }
        // The first line into an empty queue wakes the writer, which then lingers for more; the line that half
        // fills the queue ends that. Unparking a thread that is not parked costs no system call.
        int n = queued.incrementAndGet();
        if (n == 1 || n == wakeAt) LockSupport.unpark(writer);
    }

    private static int chars(Object item) {
        return item instanceof String line ? line.length() + 1 : ((Text) item).text().length();
    }

    /** @return how many entries and texts were dropped since the start */
    public long dropped() {
        return dropped.get();
    }

    /** @return how many entries and texts are not written yet: queued, or in a write under way */
    public int pending() {
        return Math.max(0, queued.get()) + inWrite;
    }

    /** @return the most entries and texts waiting to be written */
    public int capacity() {
        return capacity;
    }

    /** Writes what is queued, waiting at most {@link #DEFAULT_CLOSE_WAIT}, then ends the writer thread. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_WAIT);
    }

    /**
     * Stops taking entries (later ones are dropped), writes those queued and ends the writer thread, waiting at most
     * {@code wait} for it. Idempotent.
     *
     * @return true if everything queued was written and the thread ended; false if the output is stuck (the writer
     *         ends once it moves again, or with the JVM) or the caller was interrupted
     */
    public boolean close(Duration wait) {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !writer.isAlive();
    }

    private void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        Batch bytes = new Batch();
        long unreportedSince = 0;
        boolean failed = false;
        while (true) {
            if (queued.get() == 0) {
                if (closing) return;
                LockSupport.park(this); // until an offer into the empty queue, or the close
                if (!closing && queued.get() < wakeAt) LockSupport.parkNanos(this, LINGER_NANOS);
                continue; // a wake-up may be spurious: look again
            }
            int items = queue.drainTo(batch, MAX_BATCH);
            if (items == 0) {
                Thread.yield(); // an offer between its queue.offer and its count: it is about to count
                continue;
            }
            queued.addAndGet(-items);
            bytes.reset();
            long chars = 0;
            for (Object item : batch) {
                chars += chars(item);
                if (item instanceof String line) bytes.line(line);
                else bytes.text(((Text) item).text());
            }
            batch.clear();
            queuedChars.addAndGet(-chars);
            inWrite = items;
            try {
                out.write(bytes.array(), 0, bytes.size());
                out.flush();
                failed = false;
            } catch (IOException | RuntimeException e) {
                dropped.addAndGet(items); // not "unreported": this warning says it, not the queue's
                if (!failed) warn("access log not written: " + message(e));
                failed = true;
            } finally {
                inWrite = 0;
            }
            boolean caughtUp = queued.get() == 0;
            long now = System.nanoTime();
            if (unreported.get() > 0) {
                if (unreportedSince == 0) unreportedSince = now | 1;
                if (caughtUp || closing || now - unreportedSince >= REPORT_AT_LEAST_EVERY_NANOS) {
                    report(unreported.getAndSet(0));
                    unreportedSince = 0;
                }
            }
            if (closing && caughtUp) {
                report(unreported.getAndSet(0));
                return;
            }
        }
    }

    /** Gives {@code warning} to the warnings' consumer; a consumer that fails does not end the writer. */
    private void warn(String warning) {
        try {
            warnings.accept(warning);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, warning, e);
        }
    }

    private void report(long n) {
        if (n == 0) return;
        warn(n + " access log " + (n == 1 ? "line" : "lines") + " dropped: the output did not take them "
                + "as fast as they came, and the queue was full (" + capacity + " lines or " + maxChars + " characters)");
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The bytes of one batch: a buffer reused from batch to batch, grown as needed. */
    private static final class Batch {
        private byte[] buf = new byte[16 * 1024];
        private int size;

        void reset() {
            size = 0;
            if (buf.length > 1024 * 1024) buf = new byte[16 * 1024]; // one huge batch does not keep its buffer
        }

        void line(String s) {
            text(s);
            room(1);
            buf[size++] = '\n';
        }

        void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            room(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        private void room(int n) {
            if (size + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }

        byte[] array() {
            return buf;
        }

        int size() {
            return size;
        }
    }
}
