package dev.porter.http.internal.http1;

import dev.porter.http.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The field lines of a parsed head kept as bytes, each in the form it is sent in ({@code Name: value} CRLF, the
 * value without its surrounding whitespace): what a proxy needs to pass a backend's fields on without making a
 * {@code String} of every name and value and encoding them again. Filled by {@link ResponseHead} only after a line
 * passed the parser's checks, so every line is a valid field line (RFC 9112 §5). One per head; not thread-safe.
 */
public final class FieldBytes {

    /** {@link #kind(int)} of a field that is none of the others. */
    public static final byte OTHER = 0;
    public static final byte VIA = 1;
    public static final byte CONNECTION = 2;
    public static final byte CONTENT_LENGTH = 3;
    public static final byte TRANSFER_ENCODING = 4;
    /** Keep-Alive, Proxy-Connection, TE, Trailer, Upgrade: connection-specific by definition (RFC 9110 §7.6.1). */
    public static final byte OTHER_HOP_BY_HOP = 5;

    private byte[] bytes = new byte[512];
    private int length;
    /** Per field: where its line starts, and its name's length. */
    private int[] starts = new int[16];
    private int[] nameLengths = new int[16];
    private byte[] kinds = new byte[16];
    private int size;

    /** Forgets every field. */
    void clear() {
        length = 0;
        size = 0;
    }

    /** Appends {@code name: value} CRLF from the name at {@code b[nameOff, nameOff + nameLen)} and the value. */
    void add(byte[] b, int nameOff, int nameLen, int valueOff, int valueLen, byte kind) {
        int need = length + nameLen + valueLen + 4;
        if (need > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            nameLengths = Arrays.copyOf(nameLengths, size * 2);
            kinds = Arrays.copyOf(kinds, size * 2);
        }
        starts[size] = length;
        nameLengths[size] = nameLen;
        kinds[size] = kind;
        size++;
        System.arraycopy(b, nameOff, bytes, length, nameLen);
        length += nameLen;
        bytes[length++] = ':';
        bytes[length++] = ' ';
        System.arraycopy(b, valueOff, bytes, length, valueLen);
        length += valueLen;
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    /** @return the number of fields */
    public int size() {
        return size;
    }

    /** @return the array holding the lines (valid up to {@link #lineEnd(int) lineEnd(size() - 1)}) */
    public byte[] array() {
        return bytes;
    }

    /** @return where field {@code i}'s line (and its name) starts in {@link #array()} */
    public int lineStart(int i) {
        return starts[i];
    }

    /** @return where field {@code i}'s line ends in {@link #array()}, after its CRLF */
    public int lineEnd(int i) {
        return i + 1 < size ? starts[i + 1] : length;
    }

    /** @return the length of field {@code i}'s name */
    public int nameLength(int i) {
        return nameLengths[i];
    }

    /** @return what field {@code i} is, by its name: {@link #OTHER}, {@link #VIA}, ... */
    public byte kind(int i) {
        return kinds[i];
    }

    /** @return field {@code i}'s name, as received */
    public String name(int i) {
        return new String(bytes, starts[i], nameLengths[i], StandardCharsets.ISO_8859_1);
    }

    /** @return field {@code i}'s value, without surrounding whitespace */
    public String value(int i) {
        int v = starts[i] + nameLengths[i] + 2;
        return new String(bytes, v, lineEnd(i) - 2 - v, StandardCharsets.ISO_8859_1);
    }

    /** Appends every field to {@code headers}, as strings (for whoever asks for the fields by name). */
    public void addTo(Headers headers) {
        for (int i = 0; i < size; i++) headers.add(name(i), value(i));
    }
}
