package dev.porter.http.testing;

import java.util.Random;

/**
 * How an input arrives at a pure parser in a split test: the size of the next piece, given how much is left (at
 * least 1). What the parser has not consumed is offered again with the next piece after it, as a connection's
 * read buffer keeps it; the feeding is the caller's (each protocol's test drivers).
 */
@FunctionalInterface
public interface Splits {

    int next(int left);

    Splits WHOLE = left -> left;
    Splits BYTE_BY_BYTE = left -> 1;

    /** Pieces of 1..16 bytes, sometimes up to 512, from a seeded generator (repeatable). */
    static Splits random(long seed) {
        Random r = new Random(seed);
        return left -> Math.min(left, r.nextInt(8) == 0 ? 1 + r.nextInt(512) : 1 + r.nextInt(16));
    }

    /** Two pieces: the first {@code at} bytes, then the rest. */
    static Splits at(int at) {
        int[] first = {at};
        return left -> {
            int n = first[0] > 0 ? Math.min(left, first[0]) : left;
            first[0] = 0;
            return n;
        };
    }

    /**
     * Two pieces of the whole input: the bytes before index {@code at}, then the rest, whichever of several
     * messages is being fed when the boundary comes (unlike {@link #at}, which splits the first feed only). A
     * feed after the first starts where the last one stopped, so this is where a connection's reads would
     * have split a pipelined input. {@code left} counts from the input's end, hence its length.
     */
    static Splits atIndex(int inputLength, int at) {
        return left -> {
            int pos = inputLength - left;
            return pos < at ? at - pos : left;
        };
    }
}
