package dev.porter.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An ordered list of header fields with case-insensitive names (RFC 9110 §5.1). Small and array-backed: a
 * request has a handful of fields, so a linear scan beats hashing. Mutable (filters may add or change fields);
 * not thread-safe. Names and values are not validated here: the parser validates what it receives and
 * {@link Response#header} validates what is sent.
 */
public final class Headers {

    private String[] names;
    private String[] values;
    private int size;

    /** An empty list with room for a typical request's fields. */
    public Headers() {
        names = new String[16];
        values = new String[16];
    }

    /** @return the number of fields (a repeated name counts once per field) */
    public int size() {
        return size;
    }

    /** @return the name of field {@code i}, as received */
    public String name(int i) {
        checkIndex(i);
        return names[i];
    }

    /** @return the value of field {@code i}, without surrounding whitespace */
    public String value(int i) {
        checkIndex(i);
        return values[i];
    }

    /** @return the first value of {@code name}, or null */
    public String first(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) return values[i];
        }
        return null;
    }

    /** @return every value of {@code name}, in order (empty if none) */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) out.add(values[i]);
        }
        return out;
    }

    /** @return how many fields are named {@code name} */
    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) n++;
        }
        return n;
    }

    /** @return true if a field named {@code name} exists */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /** Appends a field. */
    public Headers add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
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
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (!names[r].equalsIgnoreCase(name)) {
                names[w] = names[r];
                values[w] = values[r];
                w++;
            }
        }
        int removed = size - w;
        for (int i = w; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = w;
        return removed;
    }

    /** Removes every field. */
    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) action.accept(names[i], values[i]);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) sb.append(names[i]).append(": ").append(values[i]).append('\n');
        return sb.toString();
    }
}
