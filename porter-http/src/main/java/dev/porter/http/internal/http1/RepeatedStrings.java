package dev.porter.http.internal.http1;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of a connection's last request head, by position (the target, then each field's name and value), so
 * that a string repeated at the same place in the next head is handed out again instead of allocated: a client's
 * keep-alive requests mostly repeat their target and fields byte for byte. A string is reused only when its bytes
 * are equal, so the result is the same as {@code new String(b, off, len, ISO_8859_1)}. Bounded: strings longer than
 * {@link #MAX_BYTES} and positions past {@link #MAX_SLOTS} are never kept. Belongs to one connection's thread.
 */
final class RepeatedStrings {

    /** Longer strings (large cookies) are made anew each time: keeping them would hold memory for little. */
    static final int MAX_BYTES = 512;
    /** The target and up to 31 fields. */
    static final int MAX_SLOTS = 64;

    private static final String[] NO_STRINGS = {};
    private static final byte[][] NO_BYTES = {};

    private String[] strings = new String[8];
    private byte[][] bytes = new byte[8][];

    /** @return the Latin-1 string of {@code b[off, off + len)}, the one last made at {@code slot} if it is equal */
    String get(int slot, byte[] b, int off, int len) {
        if (slot >= MAX_SLOTS || len > MAX_BYTES) return new String(b, off, len, StandardCharsets.ISO_8859_1);
        if (slot >= strings.length) {
            int size = slot < 8 ? 8 : MAX_SLOTS; // 8 at first (or after a clear), all slots past them
            strings = Arrays.copyOf(strings, size);
            bytes = Arrays.copyOf(bytes, size);
        }
        String s = strings[slot];
        byte[] k = bytes[slot];
        if (s != null && s.length() == len && Arrays.equals(k, 0, len, b, off, off + len)) return s;
        s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        if (k == null || k.length < len) bytes[slot] = k = new byte[Math.max(len, 32)];
        System.arraycopy(b, off, k, 0, len);
        strings[slot] = s;
        return s;
    }

    /**
     * Forgets every kept string: for a connection that reads no more heads (it switched protocols), which would
     * otherwise hold about 1 KiB of them for as long as it lasts. A later {@link #get} starts over.
     */
    void clear() {
        strings = NO_STRINGS;
        bytes = NO_BYTES;
    }
}
