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
 * @param memoryBytes  the bytes of file content held in memory at most, across all files (both kinds below); a
 *                     file that does not fit is served from its descriptor. Default 32 MiB.
 * @param maxDirectFileSize the largest file held in direct (off-heap) memory for responses that cannot use
 *                     {@code sendfile} (HTTP/2, and HTTP/1.1 over TLS): read once on the first such request, then
 *                     sent as DATA frames or TLS records straight from memory, with no read and no copy in the
 *                     JVM. Files up to {@code maxFileSize} are held on the heap instead; plain HTTP/1.1 keeps
 *                     {@code sendfile} for larger ones either way. 0 for none. Default 4 MiB: an eighth of the
 *                     default budget, so one large file never takes the memory of many small ones.
 */
public record FileCache(int openFiles, long maxFileSize, long memoryBytes, long maxDirectFileSize) {

    /** 1000 open files; files up to 64 KiB on the heap and up to 4 MiB in direct memory, 32 MiB in all. */
    public static final FileCache DEFAULT = new FileCache(1000, 64 * 1024, 32L * 1024 * 1024, 4L * 1024 * 1024);

    /** Nothing kept: every request stats, opens and reads its file. */
    public static final FileCache NONE = new FileCache(0, 0, 0, 0);

    /** The cache without direct memory: {@code maxDirectFileSize} 0. */
    public FileCache(int openFiles, long maxFileSize, long memoryBytes) {
        this(openFiles, maxFileSize, memoryBytes, 0);
    }

    /** @throws IllegalArgumentException if a value is negative, or a file size exceeds 1 GiB */
    public FileCache {
        if (openFiles < 0) throw new IllegalArgumentException("openFiles must be >= 0: " + openFiles);
        if (maxFileSize < 0 || maxFileSize > 1L << 30) {
            throw new IllegalArgumentException("maxFileSize must be 0..1 GiB: " + maxFileSize);
        }
        if (maxDirectFileSize < 0 || maxDirectFileSize > 1L << 30) {
            throw new IllegalArgumentException("maxDirectFileSize must be 0..1 GiB: " + maxDirectFileSize);
        }
        if (memoryBytes < 0) throw new IllegalArgumentException("memoryBytes must be >= 0: " + memoryBytes);
    }
}
