package dev.porter.http.internal.http1;

import dev.porter.core.Client;
import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A real loopback connection whose peer sends exactly the given bytes and then closes its side, so code that
 * reads a {@link Connection} (a request body, a whole exchange) runs its production path, and asking for more
 * bytes than the input holds ends in the "stream ended" branch a real client that closes produces. For the
 * parsers alone, feed their state machines directly (Feeds). Not thread-safe: one input at a time.
 */
final class FedConnection implements AutoCloseable {

    private final ServerSocketChannel listener;
    private Connection connection;
    private SocketChannel peer;

    private FedConnection(ServerSocketChannel listener) {
        this.listener = listener;
    }

    static FedConnection open() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new FedConnection(listener);
    }

    /** @return a fresh connection whose peer sends {@code input}, then end-of-stream */
    Connection feed(byte[] input) throws IOException {
        closeCurrent();
        InetSocketAddress at = (InetSocketAddress) listener.getLocalAddress();
        connection = Client.connect(at.getHostString(), at.getPort(), Duration.ofSeconds(5), ConnectionConfig.defaults());
        peer = listener.accept();
        SocketChannel writer = peer;
        // From another thread: an input larger than the socket buffers must not block this one.
        Thread.ofVirtual().start(() -> {
            try {
                writer.write(ByteBuffer.wrap(input));
                writer.shutdownOutput();
            } catch (IOException e) {
                // The reader closed first (it refused the input early): nothing is left to send to.
            }
        });
        return connection;
    }

    /** @return the current connection, keeping its unread bytes (to parse what follows a head or a body) */
    Connection connection() {
        return connection;
    }

    private void closeCurrent() throws IOException {
        if (connection != null) connection.close();
        if (peer != null) peer.close();
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
        listener.close();
    }
}
