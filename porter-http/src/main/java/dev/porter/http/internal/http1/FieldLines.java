package dev.porter.http.internal.http1;

import dev.porter.http.Headers;
import dev.porter.http.internal.Ascii;

import java.nio.charset.StandardCharsets;

/**
 * Field lines (RFC 9112 §5) parsed and validated byte by byte, with the same rules for request heads (the server)
 * and response heads (the client). Each side supplies its own error through a {@link Failure}: the server answers
 * 400, the client raises a malformed-response exception. Stateless.
 */
final class FieldLines {

    /** Creates the exception for a broken rule, so both sides share the rules but keep their own error types. */
    @FunctionalInterface
    interface Failure<E extends Exception> {
        /** @param why the rule broken, in words a peer's operator can act on */
        E malformed(String why);
    }

    private FieldLines() {
    }

    /**
     * Validates an incomplete field line as far as it goes, so a bad prefix is rejected before waiting for the
     * rest: it can never become valid.
     *
     * @param lim the end of the bytes received, without a trailing CR
     */
    static <E extends Exception> void checkPartial(byte[] b, int off, int lim, Failure<E> fail) throws E {
        if (b[off] == ' ' || b[off] == '\t') throw fail.malformed("obsolete line folding (obs-fold) in header section");
        int i = off;
        while (i < lim && Ascii.isTchar(b[i])) i++;
        if (i == lim) return;
        if (b[i] != ':') {
            throw fail.malformed(b[i] == ' ' || b[i] == '\t' ? "whitespace between header field name and colon"
                    : "invalid character in header field name");
        }
        if (i == off) throw fail.malformed("empty header field name");
        for (int k = i + 1; k < lim; k++) {
            if (!Ascii.isFieldValueChar(b[k])) {
                throw fail.malformed(b[k] == 0 ? "NUL in header field value" : "control character in header field value");
            }
        }
    }

    /**
     * Parses {@code field-line = field-name ":" OWS field-value OWS} (RFC 9112 §5) and appends it to
     * {@code headers}. No whitespace before the colon (§5.1: must reject), no obs-fold (§5.2: rejected; the
     * client could unfold it, but an obsolete fold is more often an attack than a legacy server), no CTL other
     * than HTAB in the value (RFC 9110 §5.5; this also catches a bare CR, RFC 9112 §2.2). Well-known names are
     * interned in their canonical spelling.
     *
     * @param len the line's length without its CRLF; at least 1
     */
    static <E extends Exception> void parse(byte[] b, int off, int len, Headers headers, Failure<E> fail) throws E {
        parse(b, off, len, headers, fail, null);
    }

    /**
     * As {@link #parse(byte[], int, int, Headers, Failure)}, taking the name and value strings from {@code repeats}
     * (at the positions of field {@code headers.size()}) when they repeat the last head's.
     *
     * @param repeats the strings of the last head, or null to make new ones
     */
    static <E extends Exception> void parse(byte[] b, int off, int len, Headers headers, Failure<E> fail,
                                            RepeatedStrings repeats) throws E {
        int end = off + len;
        int i = check(b, off, len, fail);
        int slot = 1 + 2 * headers.size();
        String name = HeaderNames.known(b, off, i - off);
        if (name == null) {
            name = repeats != null ? repeats.get(slot, b, off, i - off)
                    : new String(b, off, i - off, StandardCharsets.ISO_8859_1);
        }
        int v = valueStart(b, i, end);
        int ve = valueEnd(b, v, end);
        headers.add(name, repeats != null ? repeats.get(slot + 1, b, v, ve - v)
                : new String(b, v, ve - v, StandardCharsets.ISO_8859_1));
    }

    /**
     * Checks a complete field line by the rules of {@link #parse(byte[], int, int, Headers, Failure)}, making no
     * string (a proxy relays the line as bytes).
     *
     * @return the index of the colon ending the name
     */
    static <E extends Exception> int check(byte[] b, int off, int len, Failure<E> fail) throws E {
        int end = off + len;
        byte first = b[off];
        if (first == ' ' || first == '\t') throw fail.malformed("obsolete line folding (obs-fold) in header section");
        int i = off;
        while (i < end && Ascii.isTchar(b[i])) i++;
        if (i == end) throw fail.malformed("header field without a colon");
        if (b[i] != ':') {
            if (b[i] == ' ' || b[i] == '\t') throw fail.malformed("whitespace between header field name and colon");
            throw fail.malformed("invalid character in header field name");
        }
        if (i == off) throw fail.malformed("empty header field name");
        // The whole rest is checked: the OWS around the value is SP or HTAB, which a value may hold anyway.
        for (int k = i + 1; k < end; k++) {
            if (!Ascii.isFieldValueChar(b[k])) {
                throw fail.malformed(b[k] == '\r' ? "bare CR in header field value"
                        : b[k] == 0 ? "NUL in header field value" : "control character in header field value");
            }
        }
        return i;
    }

    /** @return where the value starts: after the colon at {@code colon} and the optional whitespace (OWS) */
    static int valueStart(byte[] b, int colon, int end) {
        int v = colon + 1;
        while (v < end && (b[v] == ' ' || b[v] == '\t')) v++;
        return v;
    }

    /** @return where the value ends: before the trailing optional whitespace of the line ending at {@code end} */
    static int valueEnd(byte[] b, int start, int end) {
        int ve = end;
        while (ve > start && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
        return ve;
    }
}
