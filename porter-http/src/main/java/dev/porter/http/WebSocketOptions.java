package dev.porter.http;

import java.util.List;
import java.util.Objects;

/**
 * What one WebSocket route accepts in the handshake (RFC 6455 §4.2): its sub-protocols and the origins allowed to
 * open it. Immutable; start from {@link #defaults()}.
 *
 * <p><b>Origins.</b> A browser sends {@code Origin} with every WebSocket handshake, and a page from any site may
 * try to open one with the user's cookies (cross-site WebSocket hijacking). By default only the same origin is
 * allowed: an {@code Origin} equal to the request's own scheme and {@code Host}. {@link #origins(String...)}
 * allows exactly those listed instead, {@link #anyOrigin()} allows all. A request without {@code Origin} is not
 * from a browser (§10.2) and is always allowed. A refused origin is answered 403.
 *
 * @param subprotocols the sub-protocols offered, in the server's order of preference; the first one the client
 *                     also names is chosen. Empty (default): none is chosen, whatever the client asks for
 * @param origins      the origins allowed ({@code scheme://host[:port]}, compared case-insensitively); empty means
 *                     the same origin only, unless {@code allowAnyOrigin}
 * @param allowAnyOrigin allow every origin ({@link #anyOrigin()})
 */
public record WebSocketOptions(List<String> subprotocols, List<String> origins, boolean allowAnyOrigin) {

    /** Copies the lists; every sub-protocol must be a token. */
    public WebSocketOptions {
        subprotocols = List.copyOf(subprotocols);
        origins = List.copyOf(origins);
        for (String p : subprotocols) {
            if (!dev.porter.http.internal.Ascii.isToken(p)) throw new IllegalArgumentException("sub-protocol is not a token: " + p);
        }
    }

    /** @return no sub-protocols, same origin only */
    public static WebSocketOptions defaults() {
        return new WebSocketOptions(List.of(), List.of(), false);
    }

    /** @return a copy offering these sub-protocols, in order of preference */
    public WebSocketOptions subprotocols(String... protocols) {
        return new WebSocketOptions(List.of(protocols), origins, allowAnyOrigin);
    }

    /** @return a copy allowing exactly these origins (and requests without {@code Origin}) */
    public WebSocketOptions origins(String... allowed) {
        for (String o : allowed) Objects.requireNonNull(o, "origin");
        return new WebSocketOptions(subprotocols, List.of(allowed), false);
    }

    /** @return a copy allowing every origin */
    public WebSocketOptions anyOrigin() {
        return new WebSocketOptions(subprotocols, List.of(), true);
    }
}
