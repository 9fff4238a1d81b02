package dev.porter.http;

import java.util.Arrays;
import java.util.List;

/**
 * The values a {@link Router} pattern bound for one request: each {@code {name}} segment and, for a pattern
 * ending in {@code *}, the rest of the path under the name {@value #REST}. Every value is kept twice: as sent
 * (still percent-encoded, {@link #raw}) and percent-decoded once as UTF-8 ({@link #get}). The raw form is what
 * code that must decode segment by segment itself needs, such as {@link StaticFiles} behind
 * {@link Router#mount}: in the decoded rest an encoded slash ({@code %2F}) can no longer be told from a real one.
 *
 * <p>A handler reads them through {@link Request#pathParams()}, {@link Request#pathParam} or
 * {@link Request#rawPathParam}. The router hands its handlers a {@link Request.Wrapper} that carries them, so a
 * filter that wraps the request before or after routing keeps them as long as its wrapper delegates
 * {@code pathParams()} (every {@code Request.Wrapper} does).
 *
 * <p>Immutable and thread-safe. Lookups scan a few names linearly: a pattern binds a handful at most.
 */
public final class PathParams {

    /** The name under which a pattern's final {@code *} binds the rest of the path. */
    public static final String REST = "*";

    /** No values: what a request not routed by a pattern carries. */
    public static final PathParams NONE = new PathParams(new String[0], new String[0], new String[0]);

    private final String[] names;
    private final String[] raw;
    private final String[] decoded;

    /** The arrays are the router's and are never changed after this call; {@code names} is shared by a route. */
    PathParams(String[] names, String[] raw, String[] decoded) {
        this.names = names;
        this.raw = raw;
        this.decoded = decoded;
    }

    /** @return the percent-decoded value bound to {@code name}, or null if the pattern has no such name */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : decoded[i];
    }

    /** @return the value bound to {@code name} exactly as it stood in the raw path, or null if there is none */
    public String raw(String name) {
        int i = indexOf(name);
        return i < 0 ? null : raw[i];
    }

    /** @return the bound names in pattern order ({@value #REST} last, if the pattern has it) */
    public List<String> names() {
        return List.of(names);
    }

    /** @return true if nothing is bound */
    public boolean isEmpty() {
        return names.length == 0;
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) return i;
        }
        return -1;
    }

    /** @return the decoded values, e.g. {@code {id=42, *=a b}}, for logs and test failures */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(names[i]).append('=').append(decoded[i]);
        }
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathParams p && Arrays.equals(names, p.names) && Arrays.equals(raw, p.raw)
                && Arrays.equals(decoded, p.decoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw) * 31 + Arrays.hashCode(names);
    }
}
