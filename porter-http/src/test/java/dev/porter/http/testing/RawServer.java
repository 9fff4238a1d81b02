package dev.porter.http.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on 127.0.0.1 for client tests: every accepted socket is handed to a {@link Conversation} on its
 * own virtual thread, which writes whatever bytes the test needs (malformed ones included). Counts connections.
 */
public final class RawServer implements AutoCloseable {

    /** What the server does with one accepted socket. */
    @FunctionalInterface
    public interface Conversation {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Conversation conversation;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private RawServer(int backlog, Conversation conversation) throws IOException {
        this.server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        this.conversation = conversation;
        this.acceptor = Thread.ofVirtual().name("raw-server").start(this::acceptLoop);
    }

    /** Starts a server running {@code conversation} for each connection. */
    public static RawServer start(Conversation conversation) throws IOException {
        return new RawServer(50, conversation);
    }

    /** A server that reads each request head, then writes {@code bytes} and half-closes. */
    public static RawServer replying(byte[] bytes) throws IOException {
        return start(s -> {
            readHead(s.getInputStream());
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            s.shutdownOutput();
            drain(s.getInputStream());
        });
    }

    /** A server that accepts and then says nothing, ever (until closed). */
    public static RawServer silent() throws IOException {
        return start(s -> drain(s.getInputStream()));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            open.add(s);
            Thread.ofVirtual().start(() -> {
                try (s) {
                    conversation.run(s);
                } catch (Exception e) {
                    // The client hung up or the test closed the server: the conversation is over either way.
                } finally {
                    open.remove(s);
                }
            });
        }
    }

    /** @return the port */
    public int port() {
        return server.getLocalPort();
    }

    /** @return {@code http://127.0.0.1:PORT} + path */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** @return connections accepted so far */
    public int accepted() {
        return accepted.get();
    }

    /** Reads one request head (through the empty line). @return it as text, or null at end of stream */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads exactly {@code n} bytes. */
    public static byte[] readBytes(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Reads until end of stream, discarding. */
    public static void drain(InputStream in) throws IOException {
        byte[] skip = new byte[8192];
        while (in.read(skip) >= 0) {
            // discard
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
        acceptor.interrupt();
    }
}
