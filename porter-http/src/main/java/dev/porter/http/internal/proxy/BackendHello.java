package dev.porter.http.internal.proxy;

import dev.porter.core.ProxyHeader;
import dev.porter.http.ProxyConfig;
import dev.porter.http.Request;
import dev.porter.http.internal.client.Route;

/**
 * The PROXY protocol header (HAProxy's proxy-protocol.txt, v1 or v2) the proxy puts at the start of each new
 * backend connection when asked to ({@link ProxyConfig#sendProxy()}): the client's address and port as the source,
 * the address and port the client connected to as the destination. A health check's connection is the proxy's
 * own: v2 says {@code LOCAL}, v1 {@code PROXY UNKNOWN} (§2.1, §2.2), so the backend keeps the socket's addresses.
 *
 * <p>As a {@link Route.Preface} the header is part of the connection pool's key: a kept-alive backend connection
 * is only reused for requests whose header would be the same bytes, that is from the same client address and port
 * to the same listener (in practice the same client connection). This is what HAProxy does with
 * {@code send-proxy}: such server connections are private to the client session that opened them.
 */
final class BackendHello {

    private final ProxyConfig.SendProxy version;
    private final Route.Preface local;

    BackendHello(ProxyConfig.SendProxy version) {
        this.version = version;
        this.local = switch (version) {
            case NONE -> null;
            case V1 -> new Route.Preface(ProxyHeader.v1Unknown().encode());
            case V2 -> new Route.Preface(ProxyHeader.v2Local().encode());
        };
    }

    /** @return the header for a connection carrying {@code req}'s client, or null when none is sent */
    Route.Preface preface(Request req) {
        return switch (version) {
            case NONE -> null;
            case V1 -> new Route.Preface(ProxyHeader.v1(req.remoteAddress(), req.localAddress()).encode());
            case V2 -> new Route.Preface(ProxyHeader.v2(req.remoteAddress(), req.localAddress()).encode());
        };
    }

    /** @return the header for the proxy's own connections (health checks), or null when none is sent */
    Route.Preface local() {
        return local;
    }
}
