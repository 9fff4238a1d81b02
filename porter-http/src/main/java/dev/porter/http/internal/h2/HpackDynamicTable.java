package dev.porter.http.internal.h2;

/**
 * The dynamic table of HPACK (RFC 7541 §2.3.2, §4), shared in design by the decoder and the encoder (each has
 * its own): a ring of (name, value) entries, newest first, whose size is the sum of each entry's name and value
 * lengths in octets plus 32 (§4.1), evicted oldest first to stay within the maximum size (§4.3, §4.4). Names and
 * values are Latin-1 strings, one char per octet. Not thread-safe.
 */
final class HpackDynamicTable {

    /** Per-entry overhead in the size of the table (§4.1). */
    static final int ENTRY_OVERHEAD = 32;

    private String[] names = new String[16];
    private String[] values = new String[16];
    /** Slot of the oldest entry. */
    private int oldest;
    private int length;
    private long size;
    private int maxSize;

    HpackDynamicTable(int maxSize) {
        this.maxSize = maxSize;
    }

    /** @return the size of an entry (§4.1) */
    static long entrySize(String name, String value) {
        return (long) name.length() + value.length() + ENTRY_OVERHEAD;
    }

    /** @return the number of entries */
    int length() {
        return length;
    }

    /** @return the current size in octets (§4.1) */
    long size() {
        return size;
    }

    /** @return the maximum size */
    int maxSize() {
        return maxSize;
    }

    /** @param i 0 for the newest entry (HPACK index 62), up to {@link #length()} - 1 */
    String name(int i) {
        return names[slot(i)];
    }

    /** @param i 0 for the newest entry (HPACK index 62), up to {@link #length()} - 1 */
    String value(int i) {
        return values[slot(i)];
    }

    private int slot(int i) {
        return (oldest + length - 1 - i) & (names.length - 1);
    }

    /** Sets the maximum size, evicting the oldest entries until the table fits (§4.3). */
    void maxSize(int maxSize) {
        this.maxSize = maxSize;
        evictTo(maxSize);
    }

    /**
     * Adds an entry as the newest, after evicting what must go to make room (§4.4); an entry larger than the
     * maximum size empties the table and is not added.
     */
    void add(String name, String value) {
        long entry = entrySize(name, value);
        if (entry > maxSize) {
            evictTo(0);
            return;
        }
        evictTo(maxSize - entry);
        if (length == names.length) grow();
        int s = (oldest + length) & (names.length - 1);
        names[s] = name;
        values[s] = value;
        length++;
        size += entry;
    }

    /** Empties the table. */
    void clear() {
        evictTo(0);
    }

    private void evictTo(long target) {
        while (size > target) {
            int s = oldest;
            size -= entrySize(names[s], values[s]);
            names[s] = null;
            values[s] = null;
            oldest = (s + 1) & (names.length - 1);
            length--;
        }
    }

    /** @return the entries as RFC 7541 Appendix C lists them ("[  1] (s =  57) name: value", then the size) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(String.format("[%3d] (s = %3d) %s: %s\n", i + 1, entrySize(name(i), value(i)), name(i), value(i)));
        }
        return sb.append(String.format("      Table size: %3d", size)).toString();
    }

    /** Doubles the ring (at most maxSize / 32 entries fit, so it stays small). */
    private void grow() {
        String[] n = new String[names.length * 2];
        String[] v = new String[names.length * 2];
        for (int i = 0; i < length; i++) {
            int s = (oldest + i) & (names.length - 1);
            n[i] = names[s];
            v[i] = values[s];
        }
        names = n;
        values = v;
        oldest = 0;
    }
}
