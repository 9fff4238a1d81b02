package dev.porter.http.internal.websocket;

import dev.porter.core.TlsInfo;
import dev.porter.http.Request;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What the requests a WebSocket conversation keeps ({@link UpgradeRequest} on the server, {@link
 * ClientHandshakeRequest} on the client) share: the connection's addresses and TLS, taken when the conversation
 * began, and an empty body (a handshake has none). Immutable.
 */
abstract sealed class HandshakeRequest implements Request permits UpgradeRequest, ClientHandshakeRequest {

    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Optional<TlsInfo> tls;

    HandshakeRequest(InetSocketAddress remote, InetSocketAddress local, Optional<TlsInfo> tls) {
        this.remote = remote;
        this.local = local;
        this.tls = tls;
    }

    @Override public final InetSocketAddress remoteAddress() { return remote; }
    @Override public final InetSocketAddress localAddress() { return local; }
    @Override public final Optional<TlsInfo> tls() { return tls; }
    @Override public final InputStream body() { return InputStream.nullInputStream(); }
    @Override public final byte[] bodyBytes(int maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        return new byte[0];
    }
    @Override public final String bodyString() { return ""; }
    @Override public final long contentLength() { return 0; }
}
