package dev.porter.core.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for tests. Each fails the test with an {@link AssertionError} naming what did not happen, after
 * {@link TestServers#TIMEOUT} at most; none of them measures time (the bound only keeps a broken build from
 * hanging).
 */
public final class Await {

    private Await() {
    }

    /** Waits until {@code condition} holds, polling every few milliseconds. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, TestServers.TIMEOUT, condition);
    }

    /** Waits at most {@code limit} until {@code condition} holds. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out after " + limit + " waiting until " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** Waits for {@code latch} to reach zero. */
    public static void latch(String what, CountDownLatch latch) {
        try {
            if (!latch.await(TestServers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out waiting until " + what + " (" + latch.getCount() + " left)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting until " + what, e);
        }
    }

    /**
     * Waits for {@code future}'s result.
     *
     * @throws AssertionError on timeout, or wrapping what the future's task threw
     */
    public static <T> T result(String what, Future<T> future) {
        try {
            return future.get(TestServers.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Joins {@code thread}, failing if it is still alive after the timeout. */
    public static void join(String what, Thread thread) {
        try {
            if (!thread.join(TestServers.TIMEOUT)) throw new AssertionError("timed out waiting until " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting until " + what, e);
        }
    }
}
