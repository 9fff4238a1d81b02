package dev.porter.bench.peers;

import io.netty.handler.ssl.SslProvider;

/**
 * {@link NettyPeer} with TLS by BoringSSL through netty-tcnative ({@link SslProvider#OPENSSL}) instead of the
 * JDK's: the same server, so that a run shows how much of a TLS gap is the TLS library. TLS only.
 */
public final class NettyOpenSslPeer {

    private NettyOpenSslPeer() {}

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code <port> <staticDir> <cert.pem> <key.pem>}
     * @throws Exception when epoll or netty-tcnative is unavailable or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parseWithTls(args, "NettyOpenSslPeer");
        if (!peer.tls()) throw new IllegalArgumentException("usage: NettyOpenSslPeer <port> <staticDir> <cert.pem> <key.pem>");
        NettyPeer.run(peer, SslProvider.OPENSSL);
    }
}
