package dev.porter.http.internal.h2;

import java.util.ArrayList;
import java.util.List;

/**
 * The open streams of a connection by identifier: an open-addressing table with linear probing, keyed by the
 * identifier itself. Client stream identifiers are odd and rising (RFC 9113 §5.1.1) and few are open at once, so
 * {@code id / 2} spreads them over consecutive slots and a lookup is nearly always one slot; no boxed key, no
 * node per entry. Thread-safe by its monitor (the reader looks streams up, each handler's thread removes its
 * own; neither holds it for long).
 */
final class StreamMap {

    private Http2Stream[] slots = new Http2Stream[16];
    private int size;

    synchronized Http2Stream get(int id) {
        Http2Stream[] t = slots;
        int mask = t.length - 1;
        for (int i = home(id, mask); ; i = (i + 1) & mask) {
            Http2Stream s = t[i];
            if (s == null || s.id == id) return s;
        }
    }

    /** Adds a stream, replacing one with the same identifier. */
    synchronized void put(Http2Stream stream) {
        if ((size + 1) * 2 > slots.length) grow();
        if (insert(slots, stream)) size++;
    }

    /** @return true if a stream with this identifier was there */
    synchronized boolean remove(int id) {
        Http2Stream[] t = slots;
        int mask = t.length - 1;
        int i = home(id, mask);
        while (true) {
            Http2Stream s = t[i];
            if (s == null) return false;
            if (s.id == id) break;
            i = (i + 1) & mask;
        }
        t[i] = null;
        size--;
        // Backward-shift deletion: every entry after the hole whose probe passed through it moves into it, so that
        // no lookup stops at the hole before reaching its entry.
        for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int k = home(t[j].id, mask);
            boolean stays = i <= j ? i < k && k <= j : i < k || k <= j;
            if (stays) continue;
            t[i] = t[j];
            t[j] = null;
            i = j;
        }
        return true;
    }

    synchronized int size() {
        return size;
    }

    synchronized boolean isEmpty() {
        return size == 0;
    }

    /** @return the streams open now (a copy: streams may end while the caller goes through it) */
    synchronized List<Http2Stream> snapshot() {
        List<Http2Stream> out = new ArrayList<>(size);
        for (Http2Stream s : slots) {
            if (s != null) out.add(s);
        }
        return out;
    }

    private static int home(int id, int mask) {
        return (id >>> 1) & mask;
    }

    /** @return true if added, false if it replaced a stream with the same identifier */
    private static boolean insert(Http2Stream[] t, Http2Stream stream) {
        int mask = t.length - 1;
        for (int i = home(stream.id, mask); ; i = (i + 1) & mask) {
            Http2Stream s = t[i];
            if (s == null || s.id == stream.id) {
                t[i] = stream;
                return s == null;
            }
        }
    }

    private void grow() {
        Http2Stream[] bigger = new Http2Stream[slots.length * 2];
        for (Http2Stream s : slots) {
            if (s != null) insert(bigger, s);
        }
        slots = bigger;
    }
}
