package dev.porter.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty 4.1's WebSocket server on the native epoll transport, as Netty's {@code example/http/websocketx/server}
 * builds it: {@link HttpServerCodec}, an {@link HttpObjectAggregator} for the upgrade request, and
 * {@link WebSocketServerProtocolHandler} at {@value PeerArgs#WS_PATH} (which answers pings, drops pongs and
 * does the closing handshake), then an echo handler that writes every data frame back as it came (text, binary
 * and continuation frames, the same buffer, no copy) and flushes once per read batch, as {@link NettyPeer} does.
 *
 * <p>No compression: no {@code WebSocketServerCompressionHandler} in the pipeline, so permessage-deflate is
 * never negotiated. Frames up to {@link PeerArgs#WS_MAX_MESSAGE}; Netty has no idle timeout unless one is added.
 */
public final class NettyWsPeer {

    private NettyWsPeer() {}

    /** Writes each data frame back as it came; anything but the upgrade at {@code /ws} gets a 404. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                    || msg instanceof ContinuationWebSocketFrame) {
                ctx.write(msg); // the frame's buffer goes out as it came in; the write releases it
            } else if (msg instanceof FullHttpRequest request) {
                request.release();
                DefaultFullHttpResponse notFound =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
                notFound.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code <port>}
     * @throws Exception when epoll is unavailable or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        try (Running server = start(PeerArgs.parseWsPort(args, "NettyWsPeer"))) {
            server.channel().closeFuture().sync();
        }
    }

    /**
     * A started server: its listening channel; closing it stops the event loops.
     *
     * @param channel the listening channel (its local address has the port)
     * @param group   the event loops
     */
    public record Running(Channel channel, EpollEventLoopGroup group) implements AutoCloseable {
        /** @return the port it listens on */
        public int port() {
            return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Starts the server.
     *
     * @param port the TCP port on {@link PeerArgs#HOST}, or 0 for any free one
     * @return the running server
     * @throws Exception when epoll is unavailable or the port cannot be bound
     */
    public static Running start(int port) throws Exception {
        if (!Epoll.isAvailable()) throw new IllegalStateException("native epoll unavailable", Epoll.unavailabilityCause());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(PeerArgs.WS_PATH)
            .maxFramePayloadLength(PeerArgs.WS_MAX_MESSAGE)
            .allowExtensions(false)
            .build();
        EpollEventLoopGroup group = new EpollEventLoopGroup(); // 2 x cores threads, Netty's default
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                            .addLast("http", new HttpServerCodec())
                            .addLast("aggregator", new HttpObjectAggregator(65536))
                            .addLast("websocket", new WebSocketServerProtocolHandler(config))
                            .addLast("echo", new Echo());
                    }
                });
            return new Running(bootstrap.bind(PeerArgs.HOST, port).sync().channel(), group);
        } catch (Exception | Error e) {
            group.shutdownGracefully();
            throw e;
        }
    }
}
