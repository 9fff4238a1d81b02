package dev.porter.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataChunkedInput;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Answers each HTTP/2 request as its HEADERS frame arrives, on the connection's channel (the frame codec's
 * streams, no child channels), and flushes once per read batch. Request bodies are ignored (the jobs send none):
 * their DATA is released and its flow-control credit given back. One instance per connection.
 */
final class NettyH2Handler extends ChannelDuplexHandler {

    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    private static final AsciiString PLAINTEXT_LENGTH = AsciiString.cached(Integer.toString(PeerArgs.PLAINTEXT.length));
    private static final String STATIC_PREFIX = "/static/";
    /** A file goes out in chunks of one default-size DATA frame. */
    private static final int CHUNK = 16 * 1024;

    private final ByteBuf plaintext;
    private final Path staticDir;

    NettyH2Handler(ByteBuf plaintext, Path staticDir) {
        this.plaintext = plaintext;
        this.staticDir = staticDir;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        if (msg instanceof Http2HeadersFrame headers) {
            respond(ctx, headers.stream(), headers.headers());
        } else if (msg instanceof Http2DataFrame data) {
            try {
                ctx.write(new DefaultHttp2WindowUpdateFrame(data.initialFlowControlledBytes()).stream(data.stream()));
            } finally {
                data.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx, Http2FrameStream stream, Http2Headers request) throws IOException {
        String path = request.path() == null ? "" : request.path().toString();
        if (path.equals("/plaintext")) {
            Http2Headers headers = new DefaultHttp2Headers().status(HttpResponseStatus.OK.codeAsText())
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, PLAINTEXT_LENGTH)
                .set(HttpHeaderNames.DATE, NettyPeer.date);
            ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream), ctx.voidPromise());
            ctx.write(new DefaultHttp2DataFrame(plaintext.duplicate(), true).stream(stream), ctx.voidPromise());
        } else if (path.startsWith(STATIC_PREFIX)) {
            sendFile(ctx, stream, path.substring(STATIC_PREFIX.length()));
        } else {
            notFound(ctx, stream);
        }
    }

    private void sendFile(ChannelHandlerContext ctx, Http2FrameStream stream, String name) throws IOException {
        Path file = staticDir.resolve(name).normalize();
        if (name.isEmpty() || name.indexOf('?') >= 0 || !file.startsWith(staticDir) || !Files.isRegularFile(file)) {
            notFound(ctx, stream);
            return;
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long length = channel.size();
        Http2Headers headers = new DefaultHttp2Headers().status(HttpResponseStatus.OK.codeAsText())
            .set(HttpHeaderNames.CONTENT_TYPE, OCTET_STREAM)
            .setLong(HttpHeaderNames.CONTENT_LENGTH, length)
            .set(HttpHeaderNames.DATE, NettyPeer.date);
        ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
        // As Netty's Http2StaticFileServerHandler: DATA frames read from the file by the ChunkedWriteHandler.
        ctx.write(new Http2DataChunkedInput(new ChunkedNioFile(channel, 0, length, CHUNK), stream));
    }

    private static void notFound(ChannelHandlerContext ctx, Http2FrameStream stream) {
        Http2Headers headers = new DefaultHttp2Headers().status(HttpResponseStatus.NOT_FOUND.codeAsText())
            .set(HttpHeaderNames.DATE, NettyPeer.date);
        ctx.write(new DefaultHttp2HeadersFrame(headers, true).stream(stream), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // one flush per read batch: the answers to every stream read together leave in one write
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the load generator at the end of a run is normal; nothing else to do
    }
}
