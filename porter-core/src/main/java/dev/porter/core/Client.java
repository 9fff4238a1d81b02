package dev.porter.core;

import dev.porter.core.internal.SocketConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The client socket: connects to a welcome socket, then sends requests and reads replies through the returned
 * {@link Connection}.
 *
 * <pre>{@code
 * try (Connection c = Client.connect("127.0.0.1", 7000, Duration.ofSeconds(5))) {
 *     c.writeLine("hello"); c.flush();
 *     System.out.println(c.readLine());
 * }
 * }</pre>
 */
public final class Client {

    private Client() {
    }

    /**
     * Connects with the default connection limits.
     *
     * @throws SocketTimeoutException      if the connection is not made within {@code timeout}
     * @throws java.net.ConnectException   if refused
     * @throws java.net.UnknownHostException if the host does not resolve
     */
    public static Connection connect(String host, int port, Duration timeout) throws IOException {
        return connect(host, port, timeout, ConnectionConfig.defaults());
    }

    /** Connects with the given limits; see {@link #connect(String, int, Duration)}. */
    public static Connection connect(String host, int port, Duration timeout, ConnectionConfig config)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) throw new java.net.UnknownHostException(host);
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return new SocketConnection(ch, config, null, null);
        } catch (SocketTimeoutException e) {
            ch.close();
            throw new SocketTimeoutException("connect to " + host + ":" + port + " timed out after " + timeout.toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
