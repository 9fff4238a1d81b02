package dev.porter.core;

/**
 * The output buffer of a {@link Connection}, for protocols that assemble messages in place (an HTTP head written
 * byte by byte, with no intermediate strings): the caller writes into {@code array()} from {@link #length()}, then
 * {@link #advance advances} the length; {@link Connection#flush()} sends the buffered bytes. Unsent bytes may be
 * taken back with {@link #truncate} (to replace an answer that has not left yet).
 *
 * <p>Thread-safety: this view skips the lock that serializes writers. Use it only where one thread both reads and
 * writes the connection (an HTTP/1.1 exchange), never while another thread writes to the same connection.
 */
public interface WriteBuffer {

    /** @return the output array (taken from the pool on first use); bytes go at {@link #length()} */
    byte[] array();

    /** @return the number of bytes buffered and not yet sent */
    int length();

    /** @return free room after {@link #length()} in {@link #array()} */
    default int free() {
        return array().length - length();
    }

    /**
     * Marks {@code n} more bytes of {@link #array()} as buffered (the caller put them there).
     *
     * @throws IllegalArgumentException if that would pass the end of the array
     */
    void advance(int n);

    /**
     * Discards buffered bytes from {@code length} on.
     *
     * @throws IllegalArgumentException if {@code length} is negative or more than {@link #length()}
     */
    void truncate(int length);

    /** @return bytes handed to the network so far (tells whether buffered output left since a mark) */
    long flushedBytes();
}
