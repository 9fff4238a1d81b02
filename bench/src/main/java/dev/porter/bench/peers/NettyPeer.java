package dev.porter.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.1 on the native epoll transport, written as Netty's own examples and its TechEmpower entry do:
 * a pooled allocator, {@link HttpRequestDecoder} and {@link HttpResponseEncoder} without an aggregator,
 * responses written on read and flushed once per read batch ({@code channelReadComplete}), so pipelined
 * requests share one write; a Date header formatted once a second; and files sent with
 * {@link io.netty.channel.DefaultFileRegion} ({@code sendfile}) — see {@link NettyHandler}.
 *
 * <p>With a certificate and key it serves TLS as Netty's examples do: an {@link SslContext} built by
 * {@link SslContextBuilder#forServer(java.io.File, java.io.File)} from the PEM files, its handler first in the
 * pipeline, and files as {@link io.netty.handler.stream.ChunkedFile} chunks through a {@link ChunkedWriteHandler}
 * (a file region cannot be encrypted). {@code NettyPeer} uses the JDK's TLS ({@link SslProvider#JDK});
 * {@link NettyOpenSslPeer} the same server on BoringSSL ({@link SslProvider#OPENSSL}, netty-tcnative).
 */
public final class NettyPeer {

    private NettyPeer() {}

    /** The Date header value, refreshed once a second by the event loop. */
    static volatile AsciiString date = formatDate();

    static AsciiString formatDate() {
        return AsciiString.cached(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code <port> <staticDir> [<cert.pem> <key.pem>]}
     * @throws Exception when epoll is unavailable or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        run(PeerArgs.parseWithTls(args, "NettyPeer"), SslProvider.JDK);
    }

    /**
     * Starts the server and blocks until it stops.
     *
     * @param peer     the command line
     * @param provider whose TLS to use when {@code peer} has a certificate
     * @throws Exception when epoll (or the provider) is unavailable or the port cannot be bound
     */
    static void run(PeerArgs peer, SslProvider provider) throws Exception {
        if (!Epoll.isAvailable()) throw new IllegalStateException("native epoll unavailable", Epoll.unavailabilityCause());
        SslContext tls = null;
        if (peer.tls()) {
            if (provider == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
                throw new IllegalStateException("netty-tcnative unavailable", OpenSsl.unavailabilityCause());
            }
            tls = SslContextBuilder.forServer(peer.cert().toFile(), peer.key().toFile()).sslProvider(provider).build();
        }
        SslContext sslContext = tls;
        ByteBuf plaintext = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(PeerArgs.PLAINTEXT));
        EpollEventLoopGroup group = new EpollEventLoopGroup(); // 2 x cores threads, Netty's default
        try {
            group.scheduleAtFixedRate(() -> date = formatDate(), 1, 1, TimeUnit.SECONDS);
            ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (sslContext != null) {
                            ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                            .addLast("encoder", new HttpResponseEncoder())
                            .addLast("decoder", new HttpRequestDecoder());
                        if (sslContext != null) ch.pipeline().addLast("chunked", new ChunkedWriteHandler());
                        ch.pipeline().addLast("handler", new NettyHandler(plaintext, peer.staticDir(), sslContext != null));
                    }
                });
            Channel channel = bootstrap.bind(PeerArgs.HOST, peer.port()).sync().channel();
            channel.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
