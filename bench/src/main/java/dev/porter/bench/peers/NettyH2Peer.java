package dev.porter.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.1 over HTTP/2 on the native epoll transport, as Netty's own HTTP/2 examples are written
 * ({@code example/http2/helloworld/frame/server} and {@code example/http2/file}): the {@code Http2FrameCodec}
 * with a handler answering on the connection's channel from the frames it reads (no child channel per stream),
 * flushed once per read batch; the plaintext body a shared direct buffer; files as {@code Http2DataChunkedInput}
 * chunks of a {@code ChunkedNioFile} through a {@link ChunkedWriteHandler} — see {@link NettyH2Handler}.
 * <ul>
 *   <li>cleartext: h2c with prior knowledge only (the codec straight on the socket; h2load and curl speak it);</li>
 *   <li>TLS ({@code <cert.pem> <key.pem>}): the JDK's TLS ({@link SslProvider#JDK}, as {@link NettyPeer}) with
 *       ALPN offering {@code h2}, Netty's {@link Http2SecurityUtil#CIPHERS}, and an
 *       {@link ApplicationProtocolNegotiationHandler} that installs the codec once {@code h2} is chosen.</li>
 * </ul>
 */
public final class NettyH2Peer {

    private NettyH2Peer() {}

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code <port> <staticDir> [<cert.pem> <key.pem>]}
     * @throws Exception when epoll is unavailable or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parseWithTls(args, "NettyH2Peer");
        if (!Epoll.isAvailable()) throw new IllegalStateException("native epoll unavailable", Epoll.unavailabilityCause());
        SslContext tls = !peer.tls() ? null : SslContextBuilder.forServer(peer.cert().toFile(), peer.key().toFile())
            .sslProvider(SslProvider.JDK)
            .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
            .build();
        ByteBuf plaintext = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(PeerArgs.PLAINTEXT));
        EpollEventLoopGroup group = new EpollEventLoopGroup(); // 2 x cores threads, Netty's default
        try {
            group.scheduleAtFixedRate(() -> NettyPeer.date = NettyPeer.formatDate(), 1, 1, TimeUnit.SECONDS);
            ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls == null) {
                            http2(ch.pipeline(), plaintext, peer);
                            return;
                        }
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                    http2(ctx.pipeline(), plaintext, peer);
                                } else {
                                    ctx.close(); // an h2 peer: HTTP/1.1 is JettyPeer's and NettyPeer's job
                                }
                            }
                        });
                    }
                });
            Channel channel = bootstrap.bind(PeerArgs.HOST, peer.port()).sync().channel();
            channel.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static void http2(ChannelPipeline pipeline, ByteBuf plaintext, PeerArgs peer) {
        pipeline.addLast(Http2FrameCodecBuilder.forServer().build());
        pipeline.addLast(new ChunkedWriteHandler());
        pipeline.addLast(new NettyH2Handler(plaintext, peer.staticDir()));
    }
}
