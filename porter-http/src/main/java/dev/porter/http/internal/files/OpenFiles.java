package dev.porter.http.internal.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open-file cache of a static-file root, like nginx's {@code open_file_cache}: what a real path is (its
 * attributes) and, for a regular file, an open descriptor, kept for many requests instead of a stat, an open and
 * a close each. An entry is trusted for {@code validity}; the first request after that stats the path again and
 * keeps the entry only if inode, size and modification time are unchanged, else opens the file afresh. So a file
 * changed, replaced or deleted on disk is served as it was for at most {@code validity} (then anew, or 404).
 *
 * <p>Bounded by {@code maxEntries}: past it a sweep evicts entries not used since the previous sweep (a clock, an
 * approximation of least-recently-used). An evicted descriptor is closed when the last request using it releases
 * it ({@link OpenFile} counts references). A validity of zero or a bound of zero disables the cache: every
 * request stats and opens. Thread-safe.
 */
public final class OpenFiles {

    private final ConcurrentHashMap<Path, OpenFile> entries = new ConcurrentHashMap<>();
    private final long validityNanos;
    private final int maxEntries;
    private final ReentrantLock sweeping = new ReentrantLock();
    private final long maxFileSize;
    private final long memoryBytes;
    private final long maxDirectFileSize;
    /** Bytes of content held by cached entries. */
    private final AtomicLong held = new AtomicLong();

    /**
     * @param validity    how long an entry is used without a stat
     * @param maxEntries  how many paths are kept at most
     * @param maxFileSize the largest file whose content is held in memory
     * @param memoryBytes the content held in memory at most, across entries
     * @param maxDirectFileSize the largest file whose content is held in direct memory (see {@link #direct})
     */
    public OpenFiles(Duration validity, int maxEntries, long maxFileSize, long memoryBytes, long maxDirectFileSize) {
        this.maxDirectFileSize = maxDirectFileSize;
        this.validityNanos = validity.toNanos();
        this.maxEntries = maxEntries;
        this.maxFileSize = maxFileSize;
        this.memoryBytes = memoryBytes;
    }

    /**
     * @return the entry for {@code path} (a real path, links resolved), holding a reference the caller gives back
     *         with {@link #release}
     * @throws IOException as {@link Files#readAttributes} or {@link java.nio.channels.FileChannel#open} would
     */
    public OpenFile acquire(Path path) throws IOException {
        long now = System.nanoTime();
        if (validityNanos == 0 || maxEntries == 0) return OpenFile.load(path, now);
        while (true) {
            OpenFile f = entries.get(path);
            if (f == null) {
                OpenFile fresh = OpenFile.load(path, now);
                fresh.retain(); // the caller's reference; the one it was born with is the cache's
                boolean holding = hold(fresh);
                if (entries.putIfAbsent(path, fresh) == null) {
                    if (entries.size() > maxEntries) sweep(false);
                    return fresh;
                }
                if (holding) held.addAndGet(-fresh.attributes().size());
                fresh.release();
                fresh.release();
                continue; // another request cached it first: use that one
            }
            if (now - f.checked > validityNanos && !revalidate(path, f, now)) continue;
            if (f.retain()) {
                if (!f.used) f.used = true;
                return f;
            }
            // Evicted and closed since we looked it up: look again.
        }
    }

    /** Gives back the reference {@link #acquire} returned. */
    public void release(OpenFile f) {
        f.release();
    }

    /** @return true if {@code f} is still current (and now checked); false if it was evicted */
    private boolean revalidate(Path path, OpenFile f, long now) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            evict(path, f); // deleted or unreadable: forget it, the caller's answer is the error
            throw e;
        }
        if (OpenFile.same(f.attributes(), a)) {
            f.checked = now;
            return true;
        }
        evict(path, f);
        return false;
    }

    /**
     * Reads a small regular file into memory if the budget allows; when it is spent, entries held in memory but
     * unused since the last sweep make room first.
     *
     * @return true if the content is now held (and counted)
     */
    private boolean hold(OpenFile f) throws IOException {
        long size = f.attributes().size();
        if (f.channel() == null || size > maxFileSize) return false;
        if (!reserve(size)) {
            sweep(true);
            if (!reserve(size)) return false;
        }
        if (f.hold()) return true;
        held.addAndGet(-size);
        return false;
    }

    /**
     * The content of a cached regular file larger than the heap bound and at most {@code maxDirectFileSize}, in
     * direct memory: read on the first call, counted in the same budget as heap content (full: entries unused
     * since the last sweep make room first), dropped with the entry, so a file changed on disk is read anew once
     * the validity has passed. For responses that would copy the file anyway (no sendfile).
     *
     * @return the content (read-only, position 0), or null: not cached, outside the bounds, or no room
     */
    public java.nio.ByteBuffer direct(OpenFile f) throws IOException {
        java.nio.ByteBuffer b = f.direct();
        if (b != null) return b;
        long size = f.attributes().size();
        if (f.channel() == null || size <= maxFileSize || size > maxDirectFileSize || entries.get(f.path()) != f) {
            return null;
        }
        // Under the entry's lock: concurrent first requests read and count the file once.
        synchronized (f) {
            if (f.direct() != null) return f.direct();
            if (!reserve(size)) {
                sweep(true);
                if (!reserve(size)) return null;
            }
            if (f.holdDirect()) return f.direct();
            held.addAndGet(-size);
            return null;
        }
    }

    private boolean reserve(long size) {
        for (long h = held.get(); h + size <= memoryBytes; h = held.get()) {
            if (held.compareAndSet(h, h + size)) return true;
        }
        return false;
    }

    private void evict(Path path, OpenFile f) {
        if (entries.remove(path, f)) {
            held.addAndGet(-f.drop());
            f.release();
        }
    }

    /**
     * Evicts entries unused since the last sweep until the bound holds (or, for {@code memory}, until a quarter
     * of the memory budget is free); one sweeper at a time.
     */
    private void sweep(boolean memory) {
        if (!sweeping.tryLock()) return;
        try {
            for (int pass = 0; pass < 2 && over(memory); pass++) {
                Iterator<Map.Entry<Path, OpenFile>> it = entries.entrySet().iterator();
                while (it.hasNext() && over(memory)) {
                    Map.Entry<Path, OpenFile> e = it.next();
                    OpenFile f = e.getValue();
                    if (memory && f.content() == null && f.direct() == null) continue;
                    if (f.used && pass == 0) {
                        f.used = false;
                    } else {
                        evict(e.getKey(), f);
                    }
                }
            }
        } finally {
            sweeping.unlock();
        }
    }

    private boolean over(boolean memory) {
        return memory ? held.get() > memoryBytes - memoryBytes / 4 : entries.size() > maxEntries;
    }

    /**
     * Drops what is known of {@code path} (a file this server just stored): the next request opens it afresh,
     * without waiting for the validity window.
     */
    public void forget(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            real = path; // gone again already: forget it under the name given
        }
        OpenFile f = entries.get(real);
        if (f != null) evict(real, f);
    }

    /** @return the bytes of file content held in memory now */
    public long heldBytes() {
        return held.get();
    }
}
