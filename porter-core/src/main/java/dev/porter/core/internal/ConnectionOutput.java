package dev.porter.core.internal;

import dev.porter.core.WriteBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The output side of a {@link SocketConnection}: a pooled buffer, blocking writes, zero-copy file transfer, and
 * the bookkeeping the watchdog needs for write timeouts.
 *
 * <p>Guarded by a lock so another thread may write while the connection's own thread reads (a chat room
 * delivering to a member blocked in a read). The lock is a {@link ReentrantLock}, not {@code synchronized}, so a
 * JDK 21 virtual thread never pins its carrier while blocked in a write. The unlocked {@link WriteBuffer} view
 * ({@link #array()}, {@link #advance}, {@link #truncate}) is for protocols where one thread reads and writes.
 */
final class ConnectionOutput implements WriteBuffer {

    private final ByteSink sink;
    private final BufferPool pool;
    private final ReentrantLock lock = new ReentrantLock();
    private ByteBuffer buffer;
    private byte[] out;
    private int length;
    private long flushedBytes;
    /** {@link System#nanoTime()} (odd, so never 0) when the current blocking write began, or 0. */
    private volatile long writeStarted;
    /** A send to the peer failed: read by the protocol on the connection's thread, possibly after another thread's write. */
    private volatile boolean failed;

    ConnectionOutput(ByteSink sink, BufferPool pool) {
        this.sink = sink;
        this.pool = pool;
    }

    @Override
    public byte[] array() {
        if (out == null) {
            buffer = pool != null ? pool.acquire() : ByteBuffer.allocate(BufferPool.BUFFER_SIZE);
            out = buffer.array();
        }
        return out;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long flushedBytes() {
        return flushedBytes;
    }

    @Override
    public void advance(int n) {
        if (n < 0 || out == null || n > out.length - length) throw new IllegalArgumentException("cannot advance output by " + n);
        length += n;
    }

    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) throw new IllegalArgumentException("bad output length " + newLength);
        length = newLength;
    }

    /** @return true once a send to the peer failed ({@link dev.porter.core.Connection#writeFailed()}) */
    boolean failed() {
        return failed;
    }

    /** @return {@link System#nanoTime()} when the blocking write in progress began, or 0 (for the watchdog) */
    long writeStarted() {
        return writeStarted;
    }

    /** Buffers {@code first} then {@code second} with no other writer's bytes between them (a frame's header and payload). */
    void writeTogether(byte[] first, byte[] second) throws IOException {
        lock.lock();
        try {
            bufferOrSend(first, 0, first.length);
            bufferOrSend(second, 0, second.length);
        } finally {
            lock.unlock();
        }
    }

    void write(byte[] src, int off, int len) throws IOException {
        lock.lock();
        try {
            bufferOrSend(src, off, len);
        } finally {
            lock.unlock();
        }
    }

    /** Buffers, or sends straight from {@code src} when it is large; the caller holds the lock. */
    private void bufferOrSend(byte[] src, int off, int len) throws IOException {
        byte[] o = array();
        if (len <= o.length - length) {
            System.arraycopy(src, off, o, length, len);
            length += len;
            return;
        }
        if (len >= o.length / 2) {
            sendWith(ByteBuffer.wrap(src, off, len));
        } else {
            sendBuffered();
            System.arraycopy(src, off, o, 0, len);
            length = len;
        }
    }

    /**
     * Sends what is buffered, then {@code b}: in one gathering write when something is buffered (a frame's or a
     * response's head before a large payload), rather than a write of the head's few bytes on its own.
     */
    private void sendWith(ByteBuffer b) throws IOException {
        if (length == 0) {
            writeFully(b);
        } else {
            sendGathered(new ByteBuffer[]{b});
        }
    }

    /**
     * Sends what is buffered and then {@code srcs}, in one gathering write where the sink allows (the buffered
     * bytes go first in it rather than in a write of their own).
     */
    void send(ByteBuffer[] srcs) throws IOException {
        lock.lock();
        try {
            sendGathered(srcs);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #send}; the caller holds the lock. */
    private void sendGathered(ByteBuffer[] srcs) throws IOException {
        ByteBuffer[] all = srcs;
        if (length > 0) {
            all = new ByteBuffer[srcs.length + 1];
            all[0] = buffer.limit(length).position(0);
            System.arraycopy(srcs, 0, all, 1, srcs.length);
        }
        for (ByteBuffer b : all) flushedBytes += b.remaining();
        writeStarted = System.nanoTime() | 1;
        try {
            sink.write(all);
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            writeStarted = 0;
            if (length > 0) {
                length = 0;
                buffer.clear();
            }
        }
    }

    /** Flushes; if the reader waits idle, also gives the buffer back (nobody needs it until the next write). */
    void flush(boolean readerIdle) throws IOException {
        lock.lock();
        try {
            sendBuffered();
            if (readerIdle) release();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before a wait for input: sends buffered output, unless another thread is writing right now (a full-duplex
     * writer flushes its own output; waiting for its lock here would make the reader wait on a slow peer).
     */
    void flushPending() throws IOException {
        if (length > 0 && lock.tryLock()) { // length read unlocked: only a hint, rechecked under the lock
            try {
                sendBuffered();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Sends what is buffered; the caller holds the lock. */
    private void sendBuffered() throws IOException {
        sendBuffered(false);
    }

    /** @param last the output is shut down next (the sink may send both at once) */
    private void sendBuffered(boolean last) throws IOException {
        if (length == 0) return;
        buffer.limit(length).position(0);
        try {
            writeFully(buffer, last);
        } finally {
            length = 0;
            buffer.clear();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        writeFully(b, false);
    }

    private void writeFully(ByteBuffer b, boolean last) throws IOException {
        flushedBytes += b.remaining();
        writeStarted = System.nanoTime() | 1;
        try {
            if (last) sink.writeLast(b);
            else sink.write(b);
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            writeStarted = 0;
        }
    }

    long transfer(FileChannel file, long position, long count) throws IOException {
        lock.lock();
        try {
            sendBuffered();
            long sent = 0;
            while (sent < count) {
                writeStarted = System.nanoTime() | 1;
                long n;
                try {
                    n = sink.transferFrom(file, position + sent, count - sent);
                } catch (IOException e) {
                    // Usually the peer (reset, broken pipe); a failing disk is rare, and after part of a file was
                    // sent nothing can follow either way.
                    failed = true;
                    throw e;
                } finally {
                    writeStarted = 0;
                }
                if (n > 0) {
                    sent += n;
                    flushedBytes += n;
                    continue;
                }
                // n < 0: the sink cannot send files directly (TLS encrypts every byte): copy, a buffer at a time.
                // n == 0 with bytes left: the socket buffer is full and (on JDK 25, from a virtual thread)
                // transferTo does not park. A buffered write parks until the socket drains; then retry, so the
                // loop never spins.
                if (n == 0 && position + sent >= file.size()) break;
                long copied = copyChunk(file, position + sent, count - sent);
                if (copied == 0) break; // the file ended early
                sent += copied;
            }
            return sent;
        } finally {
            lock.unlock();
        }
    }

    private long copyChunk(FileChannel file, long position, long max) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(array());
        b.limit((int) Math.min(b.capacity(), max));
        int n = file.read(b, position);
        if (n <= 0) return 0;
        b.flip();
        writeFully(b);
        return n;
    }

    void shutdown() throws IOException {
        lock.lock();
        try {
            sendBuffered(true);
            writeStarted = System.nanoTime() | 1; // TLS sends close_notify first: bounded by the write timeout too
            try {
                sink.shutdownOutput();
            } finally {
                writeStarted = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives the buffer back unless a writer holds the lock right now (it releases when it flushes). */
    void releaseIfFree() {
        if (lock.tryLock()) {
            try {
                release();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Gives the buffer back if nothing unsent is in it; the caller holds the lock. */
    private void release() {
        if (length == 0 && out != null) {
            if (pool != null) pool.release(buffer);
            buffer = null;
            out = null;
        }
    }
}
