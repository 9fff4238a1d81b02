package dev.porter.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Answers each request as its head arrives and flushes once per read batch. Request bodies are ignored (the
 * jobs send none) and released. One instance per channel.
 */
final class NettyHandler extends ChannelInboundHandlerAdapter {

    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    private static final AsciiString PLAINTEXT_LENGTH = AsciiString.cached(Integer.toString(PeerArgs.PLAINTEXT.length));
    private static final String STATIC_PREFIX = "/static/";
    /** Under TLS a file goes out in chunks of one full TLS record's payload. */
    private static final int TLS_CHUNK = 16 * 1024;
    /** Headers this handler sets itself from constants need no validation (as Netty's own benchmarks do). */
    private static final HttpHeadersFactory TRUSTED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final ByteBuf plaintext;
    private final Path staticDir;
    private final boolean tls;

    NettyHandler(ByteBuf plaintext, Path staticDir, boolean tls) {
        this.plaintext = plaintext;
        this.staticDir = staticDir;
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        try {
            if (msg instanceof HttpRequest request) respond(ctx, request);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) throws IOException {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String uri = request.uri();
        if (request.method() == HttpMethod.GET && uri.equals("/plaintext")) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, plaintext.duplicate(), TRUSTED, TRUSTED);
            HttpHeaders headers = response.headers();
            headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, PLAINTEXT_LENGTH);
            headers.set(HttpHeaderNames.DATE, NettyPeer.date);
            write(ctx, response, keepAlive);
        } else if (request.method() == HttpMethod.GET && uri.startsWith(STATIC_PREFIX)) {
            sendFile(ctx, uri.substring(STATIC_PREFIX.length()), keepAlive);
        } else {
            notFound(ctx, keepAlive);
        }
    }

    private void sendFile(ChannelHandlerContext ctx, String name, boolean keepAlive) throws IOException {
        Path file = staticDir.resolve(name).normalize();
        if (name.isEmpty() || name.indexOf('?') >= 0 || !file.startsWith(staticDir) || !Files.isRegularFile(file)) {
            notFound(ctx, keepAlive);
            return;
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long length = channel.size();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, TRUSTED);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, OCTET_STREAM);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        headers.set(HttpHeaderNames.DATE, NettyPeer.date);
        if (!keepAlive) headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.write(response);
        ChannelFuture last;
        if (tls) { // as Netty's HttpStaticFileServer: chunks through the ChunkedWriteHandler, ending with the last content
            last = ctx.write(new HttpChunkedInput(new ChunkedNioFile(channel, 0, length, TLS_CHUNK)));
        } else {
            ctx.write(new DefaultFileRegion(channel, 0, length)); // closes the channel when released
            last = ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (!keepAlive) last.addListener(ChannelFutureListener.CLOSE);
    }

    private static void notFound(ChannelHandlerContext ctx, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.DATE, NettyPeer.date);
        write(ctx, response, keepAlive);
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            ctx.write(response, ctx.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.write(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // one flush per read batch: pipelined responses leave in one write
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the load generator at the end of a run is normal; nothing else to do
    }
}
