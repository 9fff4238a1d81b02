package dev.porter.bench.ws;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle job's client: opens N WebSocket connections, on each one echo of a 64-byte text message (checked
 * byte for byte, so the server has taken every connection through its handshake and one message), then holds
 * them all without sending — answering the server's pings with pongs as a browser would, so a server's
 * keep-alive does not count against it — and notes every connection the server closes.
 */
final class IdleLoad implements AutoCloseable {

    /** At most this many handshakes at once, so a server's accept backlog is not flooded. */
    static final int IN_FLIGHT = 200;

    private final List<SocketChannel> open = new ArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();
    private final List<String> firstErrors = new ArrayList<>();
    private int failed;
    private Thread keeper;
    private volatile boolean stopping;
    private Selector selector;

    /**
     * Opens the connections and starts holding them.
     *
     * @param server    the server (loopback)
     * @param path      the request target of the upgrade
     * @param count     how many connections
     * @param sources   local addresses to connect from, round robin; empty for the system's choice
     * @param timeoutMs handshake and echo timeout
     * @return the held connections
     * @throws IOException          when no selector can be opened
     * @throws InterruptedException when interrupted while opening
     */
    static IdleLoad open(InetSocketAddress server, String path, int count, List<InetAddress> sources, int timeoutMs)
            throws IOException, InterruptedException {
        IdleLoad idle = new IdleLoad();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                InetAddress source = sources.isEmpty() ? null : sources.get(i % sources.size());
                inFlight.acquire();
                pool.submit(() -> {
                    try {
                        SocketChannel channel = openOne(server, source, path, timeoutMs);
                        synchronized (idle.open) {
                            idle.open.add(channel);
                        }
                    } catch (IOException | WsProtocolException | RuntimeException e) {
                        synchronized (idle.open) {
                            idle.failed++;
                            if (idle.firstErrors.size() < 5) idle.firstErrors.add(e.toString());
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        idle.hold();
        return idle;
    }

    /** A handshake and one checked echo of a 64-byte text message, blocking; the channel is left blocking. */
    static SocketChannel openOne(InetSocketAddress server, InetAddress source, String path, int timeoutMs)
            throws IOException, WsProtocolException {
        SplittableRandom random = new SplittableRandom();
        Handshake h = Handshake.open(server, source, path, timeoutMs, random);
        SocketChannel channel = h.channel();
        try {
            byte[] payload = Frames.payload(64, true, random);
            ByteBuffer frame = ByteBuffer.wrap(Frames.masked(FrameReader.TEXT, payload, random.nextInt()));
            while (frame.hasRemaining()) channel.write(frame);
            Echo echo = new Echo(payload);
            FrameReader reader = new FrameReader(echo);
            reader.feed(h.leftover());
            InputStream in = channel.socket().getInputStream();
            byte[] buffer = new byte[4096];
            while (!echo.done) {
                if (echo.failure != null) throw new WsProtocolException(echo.failure);
                int n = in.read(buffer);
                if (n < 0) throw new EOFException("closed by the server before the echo");
                reader.feed(ByteBuffer.wrap(buffer, 0, n));
            }
            if (echo.failure != null) throw new WsProtocolException(echo.failure);
            return channel;
        } catch (IOException | WsProtocolException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Checks the one echo of the opening exchange. */
    private static final class Echo implements FrameReader.Sink {
        final byte[] sent;
        boolean done;
        String failure;

        Echo(byte[] sent) {
            this.sent = sent;
        }

        @Override
        public void data(int opcode, long offset, ByteBuffer bytes) {
            if (offset + bytes.remaining() > sent.length) {
                failure = "echo longer than sent";
            } else if (ByteBuffer.wrap(sent, (int) offset, bytes.remaining()).mismatch(bytes) >= 0) {
                failure = "echo differs from the message sent";
            }
        }

        @Override
        public void messageEnd(int opcode, long length, int frames) {
            if (opcode != FrameReader.TEXT || length != sent.length) failure = "echo of " + length + " bytes, opcode " + opcode;
            done = true;
        }

        @Override
        public void control(int opcode, byte[] payload) {
            if (opcode == FrameReader.CLOSE) failure = "Close from the server before the echo";
        }
    }

    /** @return connections opened (handshake and echo done) */
    int opened() {
        return open.size();
    }

    /** @return connections that could not be opened */
    int failed() {
        return failed;
    }

    /** @return the first few reasons connections failed */
    List<String> firstErrors() {
        return firstErrors;
    }

    /** @return connections still open: opened and not closed by the server since */
    int alive() {
        return open.size() - closed.get();
    }

    /** One thread holds all the connections: answers pings, notices closes. */
    private void hold() throws IOException {
        selector = Selector.open();
        for (SocketChannel channel : open) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Held(channel));
        }
        keeper = new Thread(this::keep, "ws-idle-keeper");
        keeper.setDaemon(true);
        keeper.start();
    }

    private void keep() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
        SplittableRandom random = new SplittableRandom();
        try {
            while (!stopping) {
                selector.select(key -> {
                    Held held = (Held) key.attachment();
                    try {
                        buffer.clear();
                        int n = held.channel.read(buffer);
                        if (n < 0) throw new EOFException();
                        held.reader.feed(buffer.flip());
                        for (byte[] pong : held.pongs) held.channel.write(ByteBuffer.wrap(Frames.masked(FrameReader.PONG, pong, random.nextInt())));
                        held.pongs.clear();
                        if (held.closedByServer) throw new EOFException();
                    } catch (IOException | WsProtocolException e) {
                        key.cancel();
                        closed.incrementAndGet();
                        try {
                            held.channel.close();
                        } catch (IOException ignored) {
                            // counted as closed either way
                        }
                    }
                }, 1000);
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // stopping
        }
    }

    /** A held connection: its reader, and the pings to answer. */
    private static final class Held implements FrameReader.Sink {
        final SocketChannel channel;
        final FrameReader reader = new FrameReader(this);
        final List<byte[]> pongs = new ArrayList<>(1);
        boolean closedByServer;

        Held(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void data(int opcode, long offset, ByteBuffer bytes) {
            // an idle server has nothing to say; whatever it says is read and dropped
        }

        @Override
        public void messageEnd(int opcode, long length, int frames) {}

        @Override
        public void control(int opcode, byte[] payload) {
            if (opcode == FrameReader.PING) pongs.add(payload);
            else if (opcode == FrameReader.CLOSE) closedByServer = true;
        }
    }

    /** Closes every connection (a plain TCP close) and stops holding. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        if (selector != null) selector.wakeup();
        if (keeper != null) keeper.join(10_000);
        for (SocketChannel channel : open) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            if (selector != null) selector.close();
        } catch (IOException ignored) {
            // done
        }
    }
}
