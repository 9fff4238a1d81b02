package dev.porter.http.internal.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One path of a static-file root as {@link OpenFiles} keeps it: its attributes as last stat'ed and, for a regular
 * file, a descriptor opened once and shared by every request that reads it (positional reads and transfers on a
 * {@link FileChannel} are thread-safe). Reference counted: the cache holds one reference while the entry is
 * cached, each request one while it reads; the descriptor is closed when the last is released, so eviction
 * never closes a file under a request still sending it.
 */
public final class OpenFile {

    private final Path path;
    private final BasicFileAttributes attributes;
    private final FileChannel channel;
    private final AtomicInteger references = new AtomicInteger(1);
    /** {@link System#nanoTime()} of the last stat that found the file unchanged. */
    volatile long checked;
    /** Set on every use, cleared by the eviction sweep: a second chance for entries in use (a clock). */
    volatile boolean used = true;
    /** The whole content, for a small file held in memory; else null. */
    private volatile byte[] content;
    /** The whole content in direct memory (read-only), for a larger file sent without sendfile; else null. */
    private volatile java.nio.ByteBuffer direct;
    /** Set once the cache evicted this entry: no content is held for it any more (under this entry's lock). */
    private boolean dropped;
    /** The identity variant, made once (its entity-tag is a string built from the attributes). */
    private volatile FileChoice.Variant identity;
    /** The header fields of the last 200 answer rendered for this file, with what they were rendered for. */
    private volatile PreparedHead head;

    /** Header lines rendered for one way of answering with this file. */
    record PreparedHead(String type, String encoding, boolean varies, byte[] fields) {
    }

    private OpenFile(Path path, BasicFileAttributes attributes, FileChannel channel, long checked) {
        this.path = path;
        this.attributes = attributes;
        this.channel = channel;
        this.checked = checked;
    }

    /**
     * Reads the whole file into memory. The bytes read are those of the descriptor, so they match the attributes
     * unless the file is rewritten in place meanwhile (then, like any read of it, they may mix old and new).
     *
     * @return false if the file is not as long as stat'ed (it changed): then nothing is held
     */
    boolean hold() throws IOException {
        int n = (int) attributes.size();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n);
        long pos = 0;
        while (b.hasRemaining()) {
            int r = channel.read(b, pos);
            if (r < 0) return false;
            pos += r;
        }
        content = b.array();
        return true;
    }

    /**
     * Reads the whole file into direct memory, under this entry's lock (one read however many requests ask),
     * unless {@link #drop} ran: an evicted entry holds nothing, so the cache's count stays exact.
     *
     * @return false if nothing was read now: evicted, already held, the file is not as long as stat'ed, or no direct memory is left
     */
    synchronized boolean holdDirect() throws IOException {
        if (dropped || direct != null) return false;
        java.nio.ByteBuffer b;
        try {
            b = java.nio.ByteBuffer.allocateDirect((int) attributes.size());
        } catch (OutOfMemoryError e) {
            // -XX:MaxDirectMemorySize below the budget: serve from the descriptor rather than fail the request.
            return false;
        }
        for (long pos = 0; b.hasRemaining(); ) {
            int r = channel.read(b, pos);
            if (r < 0) return false;
            pos += r;
        }
        direct = b.flip().asReadOnlyBuffer();
        return true;
    }

    /** @return the content held in direct memory (position 0, limit the size), or null. Slice it, never move it. */
    java.nio.ByteBuffer direct() {
        return direct;
    }

    /** Marks the entry evicted. @return the bytes of content it held, to give back to the budget */
    synchronized long drop() {
        dropped = true;
        return (content != null ? content.length : 0) + (direct != null ? direct.capacity() : 0);
    }

    /** @return the content held in memory, or null. Never modify it. */
    byte[] content() {
        return content;
    }

    /** @return the identity variant of this file */
    FileChoice.Variant identity() {
        FileChoice.Variant v = identity;
        if (v == null) identity = v = FileChoice.Variant.of(path, attributes, null);
        return v;
    }

    /** @return the fields last rendered if they were rendered for this type, encoding and Vary, else null */
    byte[] preparedHead(String type, String encoding, boolean varies) {
        PreparedHead h = head;
        return h != null && h.varies == varies && h.type.equals(type) && Objects.equals(h.encoding, encoding)
                ? h.fields : null;
    }

    void preparedHead(PreparedHead h) {
        head = h;
    }

    /**
     * Stats {@code path} and opens it if it is a regular file (a FIFO or device is never opened: that could block
     * forever). The stat is repeated after the open: a file replaced between the two is opened again, so the
     * descriptor always belongs to the attributes recorded.
     *
     * @return an entry holding one reference
     */
    static OpenFile load(Path path, long now) throws IOException {
        for (int attempt = 0; ; attempt++) {
            BasicFileAttributes before = Files.readAttributes(path, BasicFileAttributes.class);
            if (!before.isRegularFile()) return new OpenFile(path, before, null, now);
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            BasicFileAttributes after;
            try {
                after = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (same(before, after) || attempt == 2) return new OpenFile(path, after, ch, now);
            ch.close();
        }
    }

    /** @return true if {@code a} and {@code b} describe the same unchanged file: inode, size, modification time */
    static boolean same(BasicFileAttributes a, BasicFileAttributes b) {
        return a.size() == b.size() && a.lastModifiedTime().equals(b.lastModifiedTime())
                && Objects.equals(a.fileKey(), b.fileKey()) && a.isRegularFile() == b.isRegularFile()
                && a.isDirectory() == b.isDirectory();
    }

    /** @return the path this entry describes */
    public Path path() {
        return path;
    }

    /** @return the attributes as stat'ed when opened (the descriptor's file, for a regular file) */
    public BasicFileAttributes attributes() {
        return attributes;
    }

    /** @return the shared read-only channel of a regular file, or null for anything else. Never close it. */
    public FileChannel channel() {
        return channel;
    }

    /** @return true if a reference was taken; false if the entry was already released for good */
    boolean retain() {
        for (int r = references.get(); r > 0; r = references.get()) {
            if (references.compareAndSet(r, r + 1)) return true;
        }
        return false;
    }

    /** Gives back one reference; the last one closes the descriptor. */
    void release() {
        if (references.decrementAndGet() == 0 && channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // A read-only descriptor has nothing to flush: a failed close loses nothing, but say so.
                System.getLogger("dev.porter.http.StaticFiles").log(System.Logger.Level.DEBUG,
                        "closing {0} failed: {1}", path, e.toString());
            }
        }
    }
}
