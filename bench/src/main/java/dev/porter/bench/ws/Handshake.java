package dev.porter.bench.ws;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * The opening handshake of one client connection (RFC 6455 §4.1), blocking with a timeout: connect (from a
 * given source address, if any), send the upgrade request offering no extension, read the 101 and check its
 * {@code Sec-WebSocket-Accept}. The channel is then the caller's, still blocking, with any bytes the server sent
 * after its head in {@link #leftover}.
 *
 * @param channel  the connection, TCP_NODELAY on
 * @param leftover bytes that followed the response head (the start of the frame stream), usually none
 */
record Handshake(SocketChannel channel, ByteBuffer leftover) {

    private static final int MAX_HEAD = 8192;

    /**
     * Connects and upgrades.
     *
     * @param server    the server's address
     * @param source    the local address to connect from, or null for the system's choice
     * @param path      the request target, e.g. {@code /ws}
     * @param timeoutMs connect and read timeout
     * @param random    where the key comes from
     * @return the upgraded connection
     * @throws IOException          when the connection fails or the server closes it
     * @throws WsProtocolException  when the answer is not a proper 101
     */
    static Handshake open(InetSocketAddress server, InetAddress source, String path, int timeoutMs,
                          RandomGenerator random) throws IOException, WsProtocolException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (source != null) channel.bind(new InetSocketAddress(source, 0));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(server, timeoutMs);
            channel.socket().setSoTimeout(timeoutMs);
            String key = Frames.newKey(random);
            String host = server.getHostString() + ":" + server.getPort();
            ByteBuffer request = ByteBuffer.wrap(Frames.upgradeRequest(host, path, key));
            while (request.hasRemaining()) channel.write(request);
            InputStream in = channel.socket().getInputStream();
            byte[] buffer = new byte[MAX_HEAD];
            int have = 0, end;
            while ((end = headEnd(buffer, have)) < 0) {
                if (have == buffer.length) throw new WsProtocolException("response head over " + MAX_HEAD + " bytes");
                int n = in.read(buffer, have, buffer.length - have);
                if (n < 0) throw new EOFException("closed by the server during the handshake");
                have += n;
            }
            Frames.checkUpgradeResponse(new String(buffer, 0, end, StandardCharsets.ISO_8859_1), key);
            ByteBuffer leftover = ByteBuffer.allocate(have - end - 4);
            leftover.put(buffer, end + 4, have - end - 4).flip();
            return new Handshake(channel, leftover);
        } catch (IOException | WsProtocolException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return where the blank line ending the head starts, or -1 while it has not come */
    static int headEnd(byte[] buffer, int length) {
        for (int i = 3; i < length; i++) {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') return i - 3;
        }
        return -1;
    }
}
