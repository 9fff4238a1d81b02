package dev.porter.core.internal;

import java.nio.ByteBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A small LIFO pool of equal-sized buffers (heap, or direct for a transport that hands them to the socket itself),
 * shared by every connection of a process.
 *
 * <p>Connections take buffers when they have bytes to hold and give them back when they wait idle, so an idle
 * connection holds none. The pool keeps at most {@code capacity} buffers; beyond that, returned buffers are left
 * to the garbage collector, and an empty pool allocates. Thread-safe: a spin lock around a few instructions, no
 * allocation. Not a {@link java.util.concurrent.locks.ReentrantLock}: every read and write of every connection
 * passes here, and its release is a full fence (a volatile write, then a look for waiters) where this one's is a
 * plain store with release order.
 */
public final class BufferPool {

    /** Size of every pooled buffer: a whole typical HTTP request head and a whole small response fit. */
    public static final int BUFFER_SIZE = 16 * 1024;

    private static final BufferPool SHARED = new BufferPool(BUFFER_SIZE, 1024);

    private final int bufferSize;
    private final boolean direct;
    private final ByteBuffer[] stack;
    private int size;
    /** 1 while a thread is inside; taken with {@link #lock()}, given back with {@link #unlock()}. */
    private volatile int locked;

    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(BufferPool.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param bufferSize bytes per buffer; @param capacity most buffers kept */
    public BufferPool(int bufferSize, int capacity) {
        this(bufferSize, capacity, false);
    }

    /**
     * @param direct direct buffers instead of heap ones: the JDK copies a heap buffer into a temporary direct one
     *               on every socket or file read and write, which a direct buffer skips
     */
    public BufferPool(int bufferSize, int capacity, boolean direct) {
        this.bufferSize = bufferSize;
        this.direct = direct;
        this.stack = new ByteBuffer[capacity];
    }

    /** @return the process-wide pool */
    public static BufferPool shared() {
        return SHARED;
    }

    /** @return the size of every buffer this pool hands out */
    public int bufferSize() {
        return bufferSize;
    }

    /** @return a cleared buffer of {@link #bufferSize()} bytes, from the pool or new */
    public ByteBuffer acquire() {
        lock();
        try {
            if (size > 0) {
                ByteBuffer b = stack[--size];
                stack[size] = null;
                return b.clear();
            }
        } finally {
            unlock();
        }
        return direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
    }

    /** Gives a buffer back. Buffers of another size, and any beyond the capacity, are dropped. */
    public void release(ByteBuffer b) {
        if (b == null || b.capacity() != bufferSize || b.isDirect() != direct) return;
        lock();
        try {
            if (size < stack.length) stack[size++] = b;
        } finally {
            unlock();
        }
    }

    /** @return buffers waiting in the pool now (for tests and stats) */
    public int pooled() {
        lock();
        try {
            return size;
        } finally {
            unlock();
        }
    }

    private void lock() {
        // Held for a few instructions: spin, then let the holder (preempted, or on the other core) finish.
        for (int spins = 0; !LOCKED.compareAndSet(this, 0, 1); spins++) {
            if (spins < 64) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    private void unlock() {
        LOCKED.setRelease(this, 0);
    }
}
