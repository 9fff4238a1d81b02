package dev.porter.http.internal.files;

import dev.porter.http.HttpException;
import dev.porter.http.Status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One upload on its way to disk: written to a temporary file in the target folder (a dotfile, so neither listed nor
 * served while it grows), then renamed to its name in one step, so the name shows the whole file or nothing. Closed
 * without {@link #commit()} (the client went away, the body broke a rule, the disk filled up) it deletes the
 * temporary file: no partial file is ever left under a real name, nor a temporary one behind.
 *
 * <p>The rename is atomic: {@code rename(2)} through {@link StandardCopyOption#ATOMIC_MOVE} when overwriting is
 * allowed; otherwise {@code link(2)} ({@link Files#createLink}), which fails if the name exists, so two uploads
 * racing for one name cannot overwrite each other either. On a file system without hard links it falls back to a
 * move that refuses an existing name (checked, then renamed: a race there could still replace a file). Not
 * thread-safe: one per upload.
 */
final class StoredFile implements AutoCloseable {

    /** Prefix of temporary upload files: a dotfile, hidden by default. */
    static final String TEMP_PREFIX = ".porter-upload-";

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final long maxBytes;
    private final boolean overwrite;
    private long written;
    private boolean committed;

    /**
     * @throws HttpException 409 if {@code target} exists and may not be overwritten, 403 if the folder is not
     *                       writable, 507 if the disk is full
     */
    StoredFile(Path target, long maxBytes, boolean overwrite) throws IOException {
        this.target = target;
        this.maxBytes = maxBytes;
        this.overwrite = overwrite;
        if (Files.isDirectory(target)) throw new HttpException(Status.CONFLICT, "a folder has that name");
        if (!overwrite && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw exists();
        try {
            this.temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, ".part");
        } catch (IOException e) {
            throw storage(e);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.WRITE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw storage(e);
        }
        this.channel = ch;
    }

    /** @throws HttpException 413 past the size limit, 507 if the disk is full */
    void write(byte[] b, int off, int len) throws IOException {
        written += len;
        if (written > maxBytes) {
            throw new HttpException(Status.CONTENT_TOO_LARGE, "upload larger than the limit of " + maxBytes + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        try {
            while (buf.hasRemaining()) channel.write(buf);
        } catch (IOException e) {
            throw storage(e);
        }
    }

    /** @return the name the file gets on commit */
    Path target() {
        return target;
    }

    /** @return bytes written so far */
    long written() {
        return written;
    }

    /** Makes the file durable, then gives it its name. @throws HttpException 409 if the name was taken meanwhile */
    void commit() throws IOException {
        try {
            channel.force(true); // on disk before it has a name: a crash leaves the old file or the whole new one
            channel.close();
        } catch (IOException e) {
            throw storage(e);
        }
        if (overwrite) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
            try {
                Files.createLink(target, temp);
                Files.delete(temp);
            } catch (FileAlreadyExistsException e) {
                throw exists();
            } catch (UnsupportedOperationException | FileSystemException e) {
                try {
                    Files.move(temp, target); // no REPLACE_EXISTING: an existing name fails
                } catch (FileAlreadyExistsException again) {
                    throw exists();
                }
            }
        }
        committed = true;
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (!committed) Files.deleteIfExists(temp);
        }
    }

    private static HttpException exists() {
        return new HttpException(Status.CONFLICT, "a file with that name exists (overwriting is off)");
    }

    /**
     * Maps a failure to store: 507 for a full disk or quota (ENOSPC, EDQUOT; the JDK reports them only in the
     * message), 403 for a folder we may not write. Anything else is rethrown and answers 500.
     */
    static HttpException storage(IOException e) throws IOException {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("No space left") || m.contains("Disk quota")) {
            return new HttpException(Status.INSUFFICIENT_STORAGE, "not enough space left on the server's disk");
        }
        if (e instanceof AccessDeniedException) return new HttpException(Status.FORBIDDEN, "the folder is not writable");
        throw e;
    }
}
