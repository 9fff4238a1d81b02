package dev.porter.http.internal.files;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers file-system answers (real paths, attributes, whether a precompressed sibling exists) for a short
 * time, like nginx's {@code open_file_cache}: resolving a path costs several system calls per request, and a
 * missing sibling even an exception with a stack trace. Failures are not remembered. Bounded: when full it is
 * emptied and refills. Thread-safe.
 *
 * @param <K> the key, usually a path string
 * @param <V> what was found
 */
public final class MetadataCache<K, V> {

    /** Finds the value afresh. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(K key) throws IOException;
    }

    private record Entry<V>(V value, long expires) {
    }

    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long validityNanos;

    /** @param validity how long an answer is reused; zero disables the cache */
    public MetadataCache(Duration validity) {
        this.validityNanos = validity.toNanos();
    }

    /** @return the remembered value for {@code key} if still valid, else what {@code loader} finds now */
    public V get(K key, Loader<K, V> loader) throws IOException {
        if (validityNanos == 0) return loader.load(key);
        long now = System.nanoTime();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.expires < 0) return e.value;
        V v = loader.load(key);
        if (entries.size() >= MAX_ENTRIES) entries.clear();
        entries.put(key, new Entry<>(v, now + validityNanos));
        return v;
    }
}
