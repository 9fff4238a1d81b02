package dev.porter.http.internal.h2;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.porter.http.internal.h2.Http2Error.COMPRESSION_ERROR;

/**
 * Decodes HPACK field blocks (RFC 7541) into (name, value) pairs: the static table (Appendix A), a dynamic table
 * bounded by our SETTINGS_HEADER_TABLE_SIZE (§4), integers (§5.1), string literals raw or Huffman-coded (§5.2),
 * and the representations of §6: indexed, literal with incremental indexing, without indexing, never indexed,
 * and dynamic table size updates. One decoder per connection, for the field blocks the peer sends, in order.
 * <p>
 * A block is decoded whole ({@link #decode}): the caller joins a HEADERS frame's fragment with its CONTINUATION
 * fragments first (bounding their total), so that a size update can be checked to come first (§4.2). Names and
 * values are Latin-1 strings (one char per octet, as received): indexed fields reuse the table's strings, a
 * literal costs one string. Names are not validated here (lower case, no pseudo-header after a regular field,
 * no forbidden octets in values: RFC 9113 §8.2 is the caller's).
 * <p>
 * <b>Header list limit.</b> The decoded size of a block (each field's name and value lengths plus 32, RFC 9113
 * §6.5.2) is bounded by {@link #maxHeaderListSize()}: the field that would exceed it and every one after it are
 * not given to the sink, so a small block cannot make the caller hold more than the limit (an "HPACK bomb" of
 * repeated references to a large entry). The rest of the block is still decoded without output, since the
 * dynamic table must stay in step with the peer's encoder (RFC 9113 §10.5.1: "the field block MUST be processed
 * to ensure a consistent connection state"); the work is bounded by the block's length. Then
 * {@link Http2Exception#headerListTooLarge()} is thrown, a stream error after which the connection goes on.
 * <p>
 * Every other error is a connection error COMPRESSION_ERROR (RFC 9113 §4.3): an index of 0 or past the tables
 * (§2.3.3, §6.1), an integer above 2^31-1 or longer than 5 continuation bytes (§5.1), a string or integer running
 * past the block, a bad Huffman string (§5.2), a size update after a field or above the limit, or missing when
 * the limit was lowered (§4.2, §6.3). Not thread-safe.
 */
public final class HpackDecoder {

    /** Receives the fields of a block, in order. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One field. It should not throw: a block left half-decoded breaks the HPACK context (then only a
         * connection error can follow); record a problem and act on it after {@link #decode} returns.
         *
         * @param name  as received, Latin-1
         * @param value as received, Latin-1
         */
        void header(String name, String value);
    }

    private final HpackDynamicTable table;
    private int maxTableSize;
    private int maxHeaderListSize;
    /** The limit was lowered below the table's maximum: the next block must start with a size update. */
    private boolean sizeUpdateRequired;
    private byte[] scratch = new byte[64];
    /** Literals decoded lately, by their encoded bytes ({@link #cached}): a few short ones, replaced in turn. */
    private static final int CACHED = 4;
    private static final int CACHED_MAX = 64;
    private final byte[][] cacheKeys = new byte[CACHED][];
    private final boolean[] cacheHuffman = new boolean[CACHED];
    private final String[] cacheValues = new String[CACHED];
    private int cacheNext;
    private long lastHeaderListSize;

    private byte[] buf;
    private int pos;
    private int limit;

    /**
     * @param maxTableSize      the dynamic table's initial maximum and the limit of the peer's size updates: the
     *                          protocol default 4096, which the peer's encoder assumes until it has our SETTINGS
     *                          (announce a lower SETTINGS_HEADER_TABLE_SIZE, then call {@link #maxTableSize(int)}
     *                          once it is acknowledged; a higher one may be set at once)
     * @param maxHeaderListSize the most a block may decode to ({@link Settings#maxHeaderListSize()} we announce)
     */
    public HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        if (maxTableSize < 0 || maxHeaderListSize < 0) throw new IllegalArgumentException("negative limit");
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
        this.table = new HpackDynamicTable(maxTableSize);
    }

    /**
     * Changes the limit on the dynamic table's size when our SETTINGS_HEADER_TABLE_SIZE changes: raise it when
     * the SETTINGS frame is sent, lower it once the peer acknowledged it. If the new limit is below the table's
     * current maximum, the peer's next block must start with a size update within it (§4.2).
     */
    public void maxTableSize(int maxTableSize) {
        if (maxTableSize < 0) throw new IllegalArgumentException("negative limit");
        this.maxTableSize = maxTableSize;
        if (maxTableSize < table.maxSize()) sizeUpdateRequired = true;
    }

    /** @return the limit on the dynamic table's size (our SETTINGS_HEADER_TABLE_SIZE) */
    public int maxTableSize() {
        return maxTableSize;
    }

    /** @param maxHeaderListSize the most a block may decode to (name + value + 32 per field) */
    public void maxHeaderListSize(int maxHeaderListSize) {
        if (maxHeaderListSize < 0) throw new IllegalArgumentException("negative limit");
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /** @return the most a block may decode to */
    public int maxHeaderListSize() {
        return maxHeaderListSize;
    }

    /** @return the decoded size of the last block decoded to its end, as counted against the limit */
    public long lastHeaderListSize() {
        return lastHeaderListSize;
    }

    /** @return entries in the dynamic table */
    public int tableLength() {
        return table.length();
    }

    /** @return the dynamic table's size in octets (§4.1) */
    public long tableSize() {
        return table.size();
    }

    /** @return the dynamic table's current maximum size, as last set by a size update */
    public int tableMaxSize() {
        return table.maxSize();
    }

    /** @return the dynamic table, as RFC 7541 Appendix C lists it; for tests and diagnostics */
    @Override
    public String toString() {
        return table.toString();
    }

    /**
     * Decodes the complete field block {@code b[start..end)}, giving its fields to {@code sink} in order.
     *
     * @param streamId the stream the block belongs to (greater than 0), for the header-list-too-large stream error
     * @throws Http2Exception COMPRESSION_ERROR, a connection error, for any violation of RFC 7541; or, once the
     *                        whole block was processed, the stream error {@link Http2Exception#headerListTooLarge()}
     */
    public void decode(byte[] b, int start, int end, int streamId, Sink sink) {
        buf = b;
        pos = start;
        limit = end;
        try {
            decodeBlock(streamId, sink);
        } finally {
            buf = null;
        }
    }

    private void decodeBlock(int streamId, Sink sink) {
        boolean fieldSeen = false;
        long listSize = 0;
        boolean tooLarge = false;
        if (sizeUpdateRequired && (pos == limit || (buf[pos] & 0xe0) != 0x20)) {
            throw error("the block does not start with the size update required by a lower limit (§4.2)");
        }
        while (pos < limit) {
            int x = buf[pos] & 0xff;
            String name;
            String value;
            if (x >= 0x80) {
                // §6.1 Indexed Header Field: both from a table.
                int index = readInt(7);
                if (index == 0) throw error("index 0 (RFC 7541 §6.1)");
                name = name(index);
                value = index <= HpackStaticTable.LENGTH
                        ? HpackStaticTable.VALUES[index] : table.value(index - HpackStaticTable.LENGTH - 1);
            } else if (x >= 0x40) {
                // §6.2.1 Literal with Incremental Indexing: added to the dynamic table, so always materialized.
                int index = readInt(6);
                name = index == 0 ? readString(true) : name(index);
                value = readString(true);
                table.add(name, value);
            } else if (x >= 0x20) {
                // §6.3 Dynamic Table Size Update: only before the first field of a block (§4.2).
                if (fieldSeen) throw error("size update after a field (RFC 7541 §4.2)");
                int size = readInt(5);
                if (size > maxTableSize) throw error("size update to " + size + " above the limit " + maxTableSize);
                table.maxSize(size);
                sizeUpdateRequired = false;
                continue;
            } else {
                // §6.2.2 without indexing (0000xxxx) and §6.2.3 never indexed (0001xxxx): no table change.
                int index = readInt(4);
                name = index == 0 ? readString(!tooLarge) : name(index);
                value = readString(!tooLarge);
            }
            fieldSeen = true;
            if (tooLarge) continue;
            listSize += (long) name.length() + value.length() + HpackDynamicTable.ENTRY_OVERHEAD;
            if (listSize > maxHeaderListSize) {
                tooLarge = true;
                continue;
            }
            sink.header(name, value);
        }
        if (tooLarge) throw Http2Exception.headerListTooLarge(streamId, maxHeaderListSize);
        lastHeaderListSize = listSize;
    }

    /** @return the name of the entry at {@code index}, 1 or more (§2.3.3) */
    private String name(int index) {
        if (index <= HpackStaticTable.LENGTH) return HpackStaticTable.NAMES[index];
        int i = index - HpackStaticTable.LENGTH - 1;
        if (i >= table.length()) throw error("index " + index + " past the tables (RFC 7541 §2.3.3)");
        return table.name(i);
    }

    /** Reads an integer with an N-bit prefix (§5.1) at {@code pos}, at most 2^31-1. */
    private int readInt(int prefixBits) {
        int max = (1 << prefixBits) - 1;
        int v = buf[pos++] & max;
        if (v < max) return v;
        long value = max;
        for (int shift = 0; shift <= 28; shift += 7) {
            if (pos >= limit) throw error("integer past the end of the block");
            int x = buf[pos++];
            value += (long) (x & 0x7f) << shift;
            if (value > Integer.MAX_VALUE) throw error("integer above 2^31-1 (RFC 7541 §5.1)");
            if ((x & 0x80) == 0) return (int) value;
        }
        throw error("integer longer than 5 continuation bytes (RFC 7541 §5.1)");
    }

    /**
     * Reads a string literal (§5.2).
     *
     * @param materialize false to check and skip it (nothing allocated): "" is returned
     */
    private String readString(boolean materialize) {
        if (pos >= limit) throw error("string past the end of the block");
        boolean huffman = (buf[pos] & 0x80) != 0;
        int length = readInt(7);
        if (length > limit - pos) throw error("string of " + length + " bytes past the end of the block");
        int start = pos;
        pos += length;
        if (materialize && length <= CACHED_MAX) {
            String known = cached(huffman, start, length);
            if (known != null) return known;
        }
        String s;
        if (!huffman) {
            s = materialize ? new String(buf, start, length, StandardCharsets.ISO_8859_1) : "";
        } else {
            int max = Huffman.maxDecodedLength(length);
            if (scratch.length < max) scratch = new byte[Math.max(max, scratch.length * 2)];
            int n = Huffman.decode(buf, start, start + length, scratch, 0);
            s = materialize ? new String(scratch, 0, n, StandardCharsets.ISO_8859_1) : "";
        }
        if (materialize && length <= CACHED_MAX) remember(huffman, start, length, s);
        return s;
    }

    /**
     * @return the string a literal with these exact bytes decoded to lately, or null. Encoders send some values as
     *         literals never added to the table on every request (nghttp2 and browsers do so for {@code :path}):
     *         the same bytes decode to the same string, so it is reused rather than decoded and made again.
     */
    private String cached(boolean huffman, int start, int length) {
        for (int i = 0; i < CACHED; i++) {
            byte[] k = cacheKeys[i];
            if (k != null && k.length == length && cacheHuffman[i] == huffman
                    && Arrays.equals(k, 0, length, buf, start, start + length)) {
                return cacheValues[i];
            }
        }
        return null;
    }

    private void remember(boolean huffman, int start, int length, String value) {
        int i = cacheNext;
        cacheNext = (i + 1) % CACHED;
        cacheKeys[i] = Arrays.copyOfRange(buf, start, start + length);
        cacheHuffman[i] = huffman;
        cacheValues[i] = value;
    }

    private static Http2Exception error(String why) {
        return Http2Exception.connection(COMPRESSION_ERROR, "HPACK: " + why);
    }
}
