package dev.porter.core.internal.proxy;

import dev.porter.core.ProxyHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Feeds a {@link ProxyHeaderParser} as a connection would: the first bytes arrive in pieces, and each time the
 * parser needs more the same bytes are fed again with the next piece after them. Every split must give the same
 * outcome as the whole input.
 */
final class ProxyFeeds {

    /** The end of one feeding: the header and its length, or the error, or "needs more" at the input's end. */
    record Outcome(ProxyHeader header, int length, ProxyHeaderException.Problem problem) {
        static Outcome needsMore() {
            return new Outcome(null, 0, null);
        }
    }

    private ProxyFeeds() {
    }

    /** @return the outcome of feeding {@code input} cut at {@code cuts} (ascending offsets) */
    static Outcome feed(byte[] input, int maxHeaderSize, int[] cuts) {
        ProxyHeaderParser p = new ProxyHeaderParser(maxHeaderSize);
        int available = 0;
        for (int i = 0; i <= cuts.length; i++) {
            available = i == cuts.length ? input.length : cuts[i];
            try {
                int used = p.parse(input, 0, available);
                if (used > 0) return new Outcome(p.result(), used, null);
            } catch (ProxyHeaderException e) {
                return new Outcome(null, 0, e.problem());
            }
        }
        return Outcome.needsMore();
    }

    /** @return the outcomes of the input whole, byte by byte, and in {@code randomSplits} random splits */
    static List<Outcome> everySplit(byte[] input, int maxHeaderSize, long seed, int randomSplits) {
        List<Outcome> out = new ArrayList<>();
        out.add(feed(input, maxHeaderSize, new int[0]));
        int[] each = new int[Math.max(0, input.length - 1)];
        for (int i = 0; i < each.length; i++) each[i] = i + 1;
        out.add(feed(input, maxHeaderSize, each));
        Random r = new Random(seed);
        for (int k = 0; k < randomSplits; k++) {
            out.add(feed(input, maxHeaderSize, r.ints(r.nextInt(6), 0, input.length + 1).sorted().toArray()));
        }
        return out;
    }
}
