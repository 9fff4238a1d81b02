package dev.porter.http.internal;

import dev.porter.core.ConnectionConfig;
import dev.porter.core.internal.SocketConnection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A test seam for parsing bytes without a socket per input: one real loopback connection whose client side
 * has shut down its output, so every read on the server side returns end-of-stream at once. Each input is placed
 * in the server connection's input buffer (the same public fields the HTTP parser reads from), so the parser
 * runs its production code path, and asking for more bytes than the input holds ends in the same "stream
 * ended" branch a real client that closes produces. Not thread-safe: one input at a time.
 */
final class FedConnection implements AutoCloseable {

    private final ServerSocketChannel listener;
    private final SocketChannel client;
    private final SocketChannel server;
    private final SocketConnection connection;

    private FedConnection(ServerSocketChannel listener, SocketChannel client, SocketChannel server) throws IOException {
        this.listener = listener;
        this.client = client;
        this.server = server;
        this.connection = new SocketConnection(server, ConnectionConfig.defaults(), null, null);
    }

    /** Opens the loopback pair; the client half-closes at once. */
    static FedConnection open() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel server = listener.accept();
        client.shutdownOutput();
        return new FedConnection(listener, client, server);
    }

    /**
     * @return the server-side connection holding exactly {@code input} as unread bytes, followed by end-of-stream
     */
    SocketConnection feed(byte[] input) {
        connection.in = Arrays.copyOf(input, Math.max(16, input.length));
        connection.inPos = 0;
        connection.inLim = input.length;
        return connection;
    }

    /** @return the same connection, keeping its unread bytes (to parse what follows a head or a body) */
    SocketConnection connection() {
        return connection;
    }

    @Override
    public void close() throws IOException {
        connection.close();
        client.close();
        server.close();
        listener.close();
    }
}
