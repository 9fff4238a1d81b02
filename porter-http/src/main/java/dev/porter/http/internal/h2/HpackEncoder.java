package dev.porter.http.internal.h2;

/**
 * Encodes fields into HPACK field blocks (RFC 7541) for one connection, mirroring the dynamic table of the
 * peer's decoder. A block is {@link #startBlock} then one {@link #field} per field, written straight into the
 * caller's array (then framed by {@link FrameWriter#headers}, possibly in place).
 * <p>
 * Policy, per field:
 * <ol>
 *   <li>sensitive fields ({@code authorization}, {@code proxy-authorization}, {@code set-cookie}, a
 *       {@code cookie} shorter than 20 octets, or any field flagged by the caller) are literals <em>never
 *       indexed</em> (§6.2.3, §7.1.3), so neither this hop nor a later one puts them in a table;</li>
 *   <li>a field in the static table, or in the dynamic table, is sent as its index (§6.1);</li>
 *   <li>otherwise a literal, naming the static or dynamic entry of the same name if there is one, with
 *       <em>incremental indexing</em> (§6.2.1), except for fields whose values change from message to message
 *       ({@code :path}, {@code content-length}, validators and the others listed in {@link #worthIndexing}) and for
 *       entries over 3/4 of the table, which are sent <em>without indexing</em> (§6.2.2) so as not to flush the
 *       table;</li>
 *   <li>each string is Huffman-coded unless that is longer (§5.2; a tie is coded, as in the examples of
 *       Appendix C.6), or Huffman is off.</li>
 * </ol>
 * <b>Table size.</b> The table uses at most the smaller of our own cap and the peer's SETTINGS_HEADER_TABLE_SIZE
 * ({@link #peerMaxTableSize}). When that limit shrinks below what the peer's decoder holds, or when we grow the
 * table, the next block starts with size updates (§4.2, §6.3): the smallest value reached since the last block,
 * then the final one. A table smaller than the decoder's needs no update (the decoder merely evicts later).
 * <p>
 * Names must be lower case (RFC 9113 §8.2.1) and names and values Latin-1 (one char per octet); both are the
 * caller's to validate. Not thread-safe.
 */
public final class HpackEncoder {

    /** The most bytes {@link #startBlock} writes: two size updates. */
    public static final int MAX_START_LENGTH = 12;

    private final HpackDynamicTable table;
    private final int cap;
    private final boolean huffman;
    /** The peer's SETTINGS_HEADER_TABLE_SIZE. */
    private int peerLimit = Settings.DEFAULT_HEADER_TABLE_SIZE;
    /** The smallest peer limit since the last block. */
    private int lowestPeerLimit = Integer.MAX_VALUE;
    /** The maximum size of the peer decoder's table, as last signalled (or the default it starts with). */
    private int decoderMax = Settings.DEFAULT_HEADER_TABLE_SIZE;
    /** The static table's content-length entry (Appendix A). */
    private static final int CONTENT_LENGTH_INDEX = 28;
    /** Status codes as strings, made once each (a benign race: any thread's copy is as good). */
    private static final String[] STATUS_STRINGS = new String[1000];
    /** The content-length last encoded, and its encoding. */
    private long lastLength = -1;
    private final byte[] lastLengthBytes = new byte[14 + 19 + 16];
    private int lastLengthSize;

    /** An encoder using Huffman coding unless longer; see {@link #HpackEncoder(int, boolean)}. */
    public HpackEncoder(int maxTableSize) {
        this(maxTableSize, true);
    }

    /**
     * @param maxTableSize the largest dynamic table we are willing to keep for this connection, whatever the peer
     *                     allows (4096 is the usual choice)
     * @param huffman      Huffman-code strings unless that is longer
     */
    public HpackEncoder(int maxTableSize, boolean huffman) {
        if (maxTableSize < 0) throw new IllegalArgumentException("negative table size");
        this.cap = maxTableSize;
        this.huffman = huffman;
        this.table = new HpackDynamicTable(Math.min(maxTableSize, peerLimit));
    }

    /**
     * Takes the peer's SETTINGS_HEADER_TABLE_SIZE, when its SETTINGS frame is applied. Entries that no longer fit
     * are evicted at once; the size updates go at the start of the next block.
     */
    public void peerMaxTableSize(int size) {
        if (size < 0) throw new IllegalArgumentException("negative table size");
        peerLimit = size;
        lowestPeerLimit = Math.min(lowestPeerLimit, size);
        table.maxSize(Math.min(table.maxSize(), Math.min(cap, size)));
    }

    /** @return the size the table may grow to now: the smaller of our cap and the peer's limit */
    public int capacity() {
        return Math.min(cap, peerLimit);
    }

    /** @return entries in the dynamic table */
    public int tableLength() {
        return table.length();
    }

    /** @return the dynamic table's size in octets (§4.1) */
    public long tableSize() {
        return table.size();
    }

    /** @return the dynamic table, as RFC 7541 Appendix C lists it; for tests and diagnostics */
    @Override
    public String toString() {
        return table.toString();
    }

    /**
     * Starts a block: writes the size updates owed to the peer's decoder, if any (§4.2).
     *
     * @return the offset after them (at most {@link #MAX_START_LENGTH} bytes)
     */
    public int startBlock(byte[] b, int off) {
        int p = off;
        int capacity = capacity();
        if (lowestPeerLimit < decoderMax) {
            int low = Math.min(lowestPeerLimit, cap);
            p = writeInt(b, p, 0x20, 5, low);
            decoderMax = low;
            table.maxSize(Math.min(table.maxSize(), low));
        }
        lowestPeerLimit = Integer.MAX_VALUE;
        if (capacity > decoderMax) {
            p = writeInt(b, p, 0x20, 5, capacity);
            decoderMax = capacity;
        }
        table.maxSize(Math.min(capacity, decoderMax));
        return p;
    }

    /** @return the most bytes {@link #field} writes for this field */
    public static int maxFieldLength(String name, String value) {
        return name.length() + value.length() + 16;
    }

    /** {@link #field(byte[], int, String, String, boolean)}, sensitive only by name per the policy above. */
    public int field(byte[] b, int off, String name, String value) {
        return field(b, off, name, value, false);
    }

    /**
     * Encodes one field.
     *
     * @param sensitive never index this field, whatever its name
     * @return the offset after it (at most {@link #maxFieldLength} bytes)
     */
    public int field(byte[] b, int off, String name, String value, boolean sensitive) {
        int found = HpackStaticTable.find(name, value);
        if (sensitive || isSensitive(name, value)) {
            return literal(b, off, 0x10, 4, found != 0 ? Math.abs(found) : dynamicNameIndex(name), name, value);
        }
        if (found > 0) return writeInt(b, off, 0x80, 7, found);
        int nameIndex = -found;
        for (int i = 0, n = table.length(); i < n; i++) {
            if (!table.name(i).equals(name)) continue;
            if (table.value(i).equals(value)) return writeInt(b, off, 0x80, 7, HpackStaticTable.LENGTH + 1 + i);
            if (nameIndex == 0) nameIndex = HpackStaticTable.LENGTH + 1 + i;
        }
        long entry = HpackDynamicTable.entrySize(name, value);
        if (worthIndexing(name) && entry * 4 <= table.maxSize() * 3L) {
            int p = literal(b, off, 0x40, 6, nameIndex, name, value);
            table.add(name, value);
            return p;
        }
        return literal(b, off, 0x00, 4, nameIndex, name, value);
    }

    /**
     * Encodes {@code :status}: as {@link #field} would, without a string for the codes of the static table
     * (200, 204, 206, 304, 400, 404, 500: one byte, §6.1).
     *
     * @param code 100 to 999
     * @return the offset after it (at most 3 + 16 bytes)
     */
    public int status(byte[] b, int off, int code) {
        int index = switch (code) {
            case 200 -> 8;
            case 204 -> 9;
            case 206 -> 10;
            case 304 -> 11;
            case 400 -> 12;
            case 404 -> 13;
            case 500 -> 14;
            default -> 0;
        };
        if (index != 0) return writeInt(b, off, 0x80, 7, index);
        return field(b, off, ":status", statusString(code));
    }

    /**
     * Encodes {@code content-length}: as {@link #field} would (a literal without indexing naming static entry 28,
     * since a length differs from message to message), from a cache of the last value's encoding, so the same
     * length sent again costs a copy.
     *
     * @param length 0 or more
     * @return the offset after it (at most 14 + 19 + 16 bytes)
     */
    public int contentLength(byte[] b, int off, long length) {
        if (length != lastLength) {
            String v = Long.toString(length);
            int n = literal(lastLengthBytes, 0, 0x00, 4, CONTENT_LENGTH_INDEX, "content-length", v);
            lastLengthSize = n;
            lastLength = length;
        }
        System.arraycopy(lastLengthBytes, 0, b, off, lastLengthSize);
        return off + lastLengthSize;
    }

    private static String statusString(int code) {
        String[] cache = STATUS_STRINGS;
        if (code >= 0 && code < cache.length) {
            String s = cache[code];
            if (s == null) cache[code] = s = Integer.toString(code);
            return s;
        }
        return Integer.toString(code);
    }

    /** Fields whose values are secrets or easily guessed ones (RFC 7541 §7.1.3). */
    static boolean isSensitive(String name, String value) {
        return switch (name) {
            case "authorization", "proxy-authorization", "set-cookie" -> true;
            case "cookie" -> value.length() < 20;
            default -> false;
        };
    }

    /** Fields that differ in nearly every message: indexing them would only flush the table. */
    static boolean worthIndexing(String name) {
        return switch (name) {
            case ":path", "content-length", "content-range", "etag", "if-none-match", "if-modified-since",
                 "last-modified", "age" -> false;
            default -> true;
        };
    }

    private int dynamicNameIndex(String name) {
        for (int i = 0, n = table.length(); i < n; i++) {
            if (table.name(i).equals(name)) return HpackStaticTable.LENGTH + 1 + i;
        }
        return 0;
    }

    /** A literal representation (§6.2): the pattern and prefix, the name's index or the name, the value. */
    private int literal(byte[] b, int off, int pattern, int prefixBits, int nameIndex, String name, String value) {
        int p = writeInt(b, off, pattern, prefixBits, nameIndex);
        if (nameIndex == 0) p = writeString(b, p, name);
        return writeString(b, p, value);
    }

    private int writeString(byte[] b, int off, String s) {
        int n = s.length();
        if (huffman) {
            int h = Huffman.encodedLength(s);
            if (h <= n) return Huffman.encode(s, b, writeInt(b, off, 0x80, 7, h));
        }
        int p = writeInt(b, off, 0x00, 7, n);
        for (int i = 0; i < n; i++) b[p + i] = (byte) s.charAt(i);
        return p + n;
    }

    /**
     * Writes an integer with an N-bit prefix (§5.1) after the representation's pattern bits.
     *
     * @return the offset after it
     */
    static int writeInt(byte[] b, int off, int pattern, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            b[off] = (byte) (pattern | value);
            return off + 1;
        }
        b[off++] = (byte) (pattern | max);
        int v = value - max;
        while (v >= 0x80) {
            b[off++] = (byte) (v & 0x7f | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }
}
