package dev.porter.http;

/**
 * How much of a static-file root {@link StaticFiles} keeps at hand between requests, like nginx's
 * {@code open_file_cache}: descriptors kept open (with each file's attributes) and small files held in memory
 * with their response header fields rendered once. Entries are trusted for
 * {@link StaticFiles.Options#metadataCache()} (default 1 s) and then checked against the disk (inode, size,
 * modification time): a file changed, replaced or deleted is served as it was for at most that long.
 *
 * @param openFiles    how many paths are kept (attributes, and an open descriptor for a regular file); past it the
 *                     least recently used are evicted, their descriptors closed once no request still reads them.
 *                     0 disables the cache: every request stats and opens. Default 1000.
 * @param maxFileSize  the largest file held in memory, in bytes; 0 for none. Default 64 KiB.
 * @param memoryBytes  the bytes of file content held in memory at most, across all files; a file that does not
 *                     fit is served from its descriptor. Default 32 MiB.
 */
public record FileCache(int openFiles, long maxFileSize, long memoryBytes) {

    /** 1000 open files; files up to 64 KiB in memory, 32 MiB in all. */
    public static final FileCache DEFAULT = new FileCache(1000, 64 * 1024, 32L * 1024 * 1024);

    /** Nothing kept: every request stats, opens and reads its file. */
    public static final FileCache NONE = new FileCache(0, 0, 0);

    /** @throws IllegalArgumentException if a value is negative, or the file size exceeds 1 GiB */
    public FileCache {
        if (openFiles < 0) throw new IllegalArgumentException("openFiles must be >= 0: " + openFiles);
        if (maxFileSize < 0 || maxFileSize > 1L << 30) {
            throw new IllegalArgumentException("maxFileSize must be 0..1 GiB: " + maxFileSize);
        }
        if (memoryBytes < 0) throw new IllegalArgumentException("memoryBytes must be >= 0: " + memoryBytes);
    }
}
