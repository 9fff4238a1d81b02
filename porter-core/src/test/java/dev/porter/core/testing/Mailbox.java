package dev.porter.core.testing;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands values from server threads (a protocol under test) to the test thread: the protocol {@link #put}s what it
 * read or the exception it met, the test {@link #take}s them in order. Thread-safe, unbounded.
 *
 * @param <T> what is passed
 */
public final class Mailbox<T> {

    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();

    /** Adds a value; never blocks. */
    public void put(T value) {
        queue.add(value);
    }

    /**
     * Takes the oldest value, waiting for one.
     *
     * @throws AssertionError if none arrives within {@link TestServers#TIMEOUT}
     */
    public T take() {
        try {
            T v = queue.poll(TestServers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (v == null) throw new AssertionError("nothing arrived in the mailbox in time");
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the mailbox", e);
        }
    }

    /** @return the oldest value without waiting, or null */
    public T poll() {
        return queue.poll();
    }

    /** @return values waiting now */
    public int size() {
        return queue.size();
    }
}
