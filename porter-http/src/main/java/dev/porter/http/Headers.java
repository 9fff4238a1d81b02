package dev.porter.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An ordered list of header fields with case-insensitive names (RFC 9110 §5.1). Small and array-backed: a
 * request has a handful of fields, so a linear scan beats hashing. Mutable (filters may add or change fields);
 * not thread-safe. Names and values are not validated here: the parser validates what it receives,
 * {@link Response#header} validates what is sent, and a response checks the fields added to its
 * {@link Response#headers()} list directly when it writes its head ({@code IllegalArgumentException}, so a 500).
 */
public final class Headers {

    /** An empty array shared by every list that has no field yet: most lists stay small, many stay empty. */
    private static final String[] NONE = {};
    /** The first array a list gets: room for four fields, as many as a typical response's or HTTP/2 request's. */
    private static final int FIRST = 8;

    /**
     * Names and values interleaved (name of field i at 2i, its value at 2i + 1): one array per list rather than
     * two, allocated at the first {@link #add} and grown by doubling, because a list is made for every request and
     * every response and two arrays of 16 up front were the largest allocation of a small request.
     */
    private String[] fields = NONE;
    private int size;

    /** An empty list; it allocates nothing until its first field. */
    public Headers() {
    }

    /** @return the number of fields (a repeated name counts once per field) */
    public int size() {
        return size;
    }

    /** @return the name of field {@code i}, as received */
    public String name(int i) {
        checkIndex(i);
        return fields[2 * i];
    }

    /** @return the value of field {@code i}, without surrounding whitespace */
    public String value(int i) {
        checkIndex(i);
        return fields[2 * i + 1];
    }

    /** @return the first value of {@code name}, or null */
    public String first(String name) {
        String[] f = fields;
        for (int i = 0, n = 2 * size; i < n; i += 2) {
            if (f[i].equalsIgnoreCase(name)) return f[i + 1];
        }
        return null;
    }

    /** @return every value of {@code name}, in order (empty if none) */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        String[] f = fields;
        for (int i = 0, n = 2 * size; i < n; i += 2) {
            if (f[i].equalsIgnoreCase(name)) out.add(f[i + 1]);
        }
        return out;
    }

    /** @return how many fields are named {@code name} */
    public int count(String name) {
        int c = 0;
        String[] f = fields;
        for (int i = 0, n = 2 * size; i < n; i += 2) {
            if (f[i].equalsIgnoreCase(name)) c++;
        }
        return c;
    }

    /** @return true if a field named {@code name} exists */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /** Appends a field. */
    public Headers add(String name, String value) {
        int at = 2 * size;
        if (at == fields.length) fields = Arrays.copyOf(fields, at == 0 ? FIRST : at * 2);
        fields[at] = name;
        fields[at + 1] = value;
        size++;
        return this;
    }

    /** Replaces every field named {@code name} by one with {@code value}. */
    public Headers set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every field named {@code name}. @return how many were removed */
    public int remove(String name) {
        String[] f = fields;
        int n = 2 * size;
        int w = 0;
        for (int r = 0; r < n; r += 2) {
            if (!f[r].equalsIgnoreCase(name)) {
                f[w] = f[r];
                f[w + 1] = f[r + 1];
                w += 2;
            }
        }
        Arrays.fill(f, w, n, null);
        int removed = size - w / 2;
        size = w / 2;
        return removed;
    }

    /** Removes every field (the array is kept, so a reused list does not allocate again). */
    public void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0, n = 2 * size; i < n; i += 2) action.accept(fields[i], fields[i + 1]);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 2 * size; i < n; i += 2) sb.append(fields[i]).append(": ").append(fields[i + 1]).append('\n');
        return sb.toString();
    }
}
