package dev.porter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The idle job's client: opens {@code count} keep-alive connections to a server, sends one
 * {@code GET /plaintext} on each and reads its answer (so the server has taken each connection through a
 * full exchange), then holds them all open without sending anything more.
 *
 * <p>Protocol on standard input/output, one line each, for {@code bench/run}:
 * prints {@code open N failed M} once the connections are up; on the input line {@code check} prints
 * {@code alive K} (connections the server has not closed); at end of input closes everything and exits.
 *
 * <p>Usage: {@code IdleConnections <host> <port> <count>}. Loopback only: the host must be 127.0.0.1 or ::1.
 * At most {@value #IN_FLIGHT} connections are being set up at once, so a server's accept backlog is not flooded.
 */
public final class IdleConnections {

    private static final int IN_FLIGHT = 200;
    private static final int MAX_RESPONSE = 16 * 1024;

    private IdleConnections() {}

    /**
     * Runs the client.
     *
     * @param args {@code <host> <port> <count>}
     * @throws Exception when standard input fails or the thread is interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: IdleConnections <host> <port> <count>");
        String host = args[0];
        if (!host.equals("127.0.0.1") && !host.equals("::1")) {
            throw new IllegalArgumentException("loopback only: " + host);
        }
        InetSocketAddress address = new InetSocketAddress(host, Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        List<SocketChannel> open = openAll(address, count);
        System.out.println("open " + open.size() + " failed " + (count - open.size()));
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("check")) {
                System.out.println("alive " + countAlive(open));
                System.out.flush();
            }
        }
        for (SocketChannel channel : open) channel.close();
    }

    private static List<SocketChannel> openAll(InetSocketAddress address, int count) throws InterruptedException {
        List<SocketChannel> open = new ArrayList<>(count);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        byte[] request = ("GET /plaintext HTTP/1.1\r\nHost: " + address.getHostString() + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                threads.submit(() -> {
                    try {
                        SocketChannel channel = exchangeOnce(address, request);
                        synchronized (open) {
                            open.add(channel);
                        }
                    } catch (IOException e) {
                        System.err.println("idle connection failed: " + e);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return open;
    }

    /** Connects, sends the request, reads one whole response (headers and Content-Length body). */
    private static SocketChannel exchangeOnce(InetSocketAddress address, byte[] request) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        try {
            channel.write(ByteBuffer.wrap(request));
            ByteBuffer response = ByteBuffer.allocate(MAX_RESPONSE);
            while (!complete(response)) {
                if (!response.hasRemaining()) throw new IOException("response larger than " + MAX_RESPONSE);
                if (channel.read(response) < 0) throw new IOException("closed before the response ended");
            }
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** True once the buffer holds a full response head and as many body bytes as its Content-Length says. */
    static boolean complete(ByteBuffer response) {
        String text = new String(response.array(), 0, response.position(), StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) return false;
        long length = 0;
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return text.length() - headEnd - 4 >= length;
    }

    /** A connection is alive while a non-blocking read finds nothing to read (no EOF, no reset). */
    private static int countAlive(List<SocketChannel> open) {
        ByteBuffer scratch = ByteBuffer.allocate(1024);
        int alive = 0;
        for (SocketChannel channel : open) {
            try {
                scratch.clear();
                if (channel.read(scratch) >= 0) alive++;
            } catch (IOException e) {
                // A reset connection is simply not alive; that is what is being counted.
            }
        }
        return alive;
    }
}
