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
     * @param args {@code <port> <staticDir>}
     * @throws Exception when epoll is unavailable or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse(args, "NettyPeer");
        if (!Epoll.isAvailable()) throw new IllegalStateException("native epoll unavailable", Epoll.unavailabilityCause());
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
                        ch.pipeline()
                            .addLast("encoder", new HttpResponseEncoder())
                            .addLast("decoder", new HttpRequestDecoder())
                            .addLast("handler", new NettyHandler(plaintext, peer.staticDir()));
                    }
                });
            Channel channel = bootstrap.bind(PeerArgs.HOST, peer.port()).sync().channel();
            channel.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
