package dev.porter.bench.ws;

import java.io.EOFException;
import java.io.IOException;
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
import java.util.concurrent.locks.LockSupport;

/**
 * The echo load: N WebSocket connections, each with K messages in flight (K = 1: closed loop, send one and wait
 * for its echo; K > 1: pipelined, a new message for each echo), for a warm-up and then a measured window.
 * Counts the echoes that arrive in the window, their latency (send to the echo's last byte), and errors.
 *
 * <p>Every echo's opcode and size are checked, and for a sample of the messages ({@link Options#verifyEvery})
 * every byte. Anything else — a wrong size, a different byte, a message nobody sent, a Close from the server, a
 * protocol violation, a reset, no echo within {@link Options#timeoutMs} — is an error: the connection is dropped
 * and counted, and a run with errors is reported as such, not as a figure.
 *
 * <p>Not the bottleneck: a few platform threads ({@link Options#threads}), each with one selector over its share
 * of the connections, reading into one direct buffer and comparing in place. Frames are made before the run:
 * {@value #VARIANTS} different payloads, each masked with its own random key, written from shared direct buffers
 * with gathering writes — so no byte is masked or copied in user space while the load runs. (RFC 6455 wants a
 * fresh key per frame; the server cannot tell these from fresh ones and must unmask them all the same.)
 */
final class EchoLoad {

    /** How many distinct frames (payload and masking key) each run cycles through. */
    static final int VARIANTS = 16;

    /**
     * What to run.
     *
     * @param server      the server's address (loopback)
     * @param path        the request target of the upgrade
     * @param connections how many connections
     * @param inFlight    messages in flight per connection (1: closed loop)
     * @param size        each message's payload size, bytes
     * @param text        text messages (ASCII letters and digits) rather than binary (random bytes)
     * @param warmupMs    load before the measured window, not counted
     * @param durationMs  the measured window
     * @param threads     client threads (selectors)
     * @param verifyEvery check every byte of one message in this many (1: all)
     * @param timeoutMs   longest wait for an echo, and for the handshake
     * @param sources     local addresses to connect from (round robin); empty for the system's choice
     * @param serverPid   the server's process, whose CPU time is read at the window's ends; 0 for none
     */
    record Options(InetSocketAddress server, String path, int connections, int inFlight, int size, boolean text,
                   long warmupMs, long durationMs, int threads, int verifyEvery, int timeoutMs,
                   List<InetAddress> sources, long serverPid) {}

    private final Options options;
    private final ByteBuffer[] frames = new ByteBuffer[VARIANTS];
    private final ByteBuffer[] payloads = new ByteBuffer[VARIANTS];
    private final int opcode;

    EchoLoad(Options options) {
        if (options.connections() < 1 || options.inFlight() < 1 || options.threads() < 1 || options.verifyEvery() < 1) {
            throw new IllegalArgumentException("connections, in-flight, threads and verify-every must be positive");
        }
        this.options = options;
        this.opcode = options.text() ? FrameReader.TEXT : FrameReader.BINARY;
        SplittableRandom random = new SplittableRandom();
        for (int v = 0; v < VARIANTS; v++) {
            byte[] payload = Frames.payload(options.size(), options.text(), random);
            payloads[v] = Frames.direct(payload);
            frames[v] = Frames.direct(Frames.masked(opcode, payload, random.nextInt()));
        }
    }

    /** Opens the connections, runs the warm-up and the window, closes everything. */
    EchoResult run() throws InterruptedException {
        List<String> errors = new ArrayList<>();
        List<Handshake> open = openAll(errors);
        int threads = Math.min(options.threads(), Math.max(1, open.size()));
        long t0 = System.nanoTime() + options.warmupMs() * 1_000_000;
        long t1 = t0 + options.durationMs() * 1_000_000;
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) workers.add(new Worker(t0, t1));
        for (int i = 0; i < open.size(); i++) workers.get(i % threads).add(open.get(i));
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(workers.get(t), "ws-load-" + t);
            thread.setDaemon(true);
            thread.start();
            running.add(thread);
        }
        sleepUntil(t0);
        long server0 = options.serverPid() > 0 ? ProcessCpu.treeTicks(options.serverPid()) : -1;
        long client0 = ProcessCpu.selfTicks();
        long retrans0 = NetStat.retransSegs();
        sleepUntil(t1);
        long server1 = options.serverPid() > 0 ? ProcessCpu.treeTicks(options.serverPid()) : -1;
        long client1 = ProcessCpu.selfTicks();
        long retrans1 = NetStat.retransSegs();
        for (Thread thread : running) thread.join();

        long echoes = 0, bytes = 0, failed = errors.size();
        LatencyHistogram latency = new LatencyHistogram();
        for (Worker w : workers) {
            echoes += w.echoes;
            bytes += w.bytes;
            failed += w.errors;
            latency.add(w.latency);
            for (String e : w.firstErrors) if (errors.size() < 10) errors.add(e);
        }
        if (errors.size() > 10) errors.subList(10, errors.size()).clear();
        long serverTicks = server0 < 0 || server1 < 0 ? -1 : server1 - server0;
        return new EchoResult(echoes, t1 - t0, bytes, latency, failed, errors, open.size(), serverTicks, client1 - client0,
            retrans0 < 0 || retrans1 < 0 ? -1 : retrans1 - retrans0);
    }

    private List<Handshake> openAll(List<String> errors) throws InterruptedException {
        List<Handshake> open = new ArrayList<>();
        Semaphore inFlight = new Semaphore(64);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < options.connections(); i++) {
                InetAddress source = options.sources().isEmpty() ? null : options.sources().get(i % options.sources().size());
                inFlight.acquire();
                pool.submit(() -> {
                    try {
                        Handshake h = Handshake.open(options.server(), source, options.path(), options.timeoutMs(),
                            new SplittableRandom());
                        synchronized (open) {
                            open.add(h);
                        }
                    } catch (IOException | WsProtocolException | RuntimeException e) {
                        synchronized (errors) {
                            errors.add("handshake: " + e);
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return open;
    }

    private static void sleepUntil(long nanoTime) {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
    }

    /** One client thread: a selector over its connections. */
    private final class Worker implements Runnable {
        private final long t0, t1;
        private final List<Connection> connections = new ArrayList<>();
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        private final LatencyHistogram latency = new LatencyHistogram();
        private final List<String> firstErrors = new ArrayList<>();
        private final SplittableRandom random = new SplittableRandom();
        private Selector selector;
        private long echoes, bytes, errors;
        private int live;

        Worker(long t0, long t1) {
            this.t0 = t0;
            this.t1 = t1;
        }

        void add(Handshake h) {
            connections.add(new Connection(this, h, random.nextInt(VARIANTS)));
        }

        @Override
        public void run() {
            try (Selector s = Selector.open()) {
                selector = s;
                for (Connection c : connections) {
                    try {
                        c.channel.configureBlocking(false);
                        c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                        live++;
                        if (c.leftover.hasRemaining()) c.received(c.leftover);
                        c.topUp(System.nanoTime());
                    } catch (IOException | WsProtocolException e) {
                        fail(c, e.toString());
                    }
                }
                long lastCheck = System.nanoTime();
                while (live > 0) {
                    long now = System.nanoTime();
                    if (now >= t1) break;
                    selector.select(this::ready, Math.max(1, Math.min(50, (t1 - now) / 1_000_000)));
                    now = System.nanoTime();
                    if (now - lastCheck > 100_000_000) {
                        lastCheck = now;
                        for (Connection c : connections) {
                            if (!c.dead && c.inFlight > 0 && now - c.sentAt[c.head] > options.timeoutMs() * 1_000_000L) {
                                fail(c, "no echo within " + options.timeoutMs() + " ms");
                            }
                        }
                    }
                }
            } catch (IOException e) {
                errors++;
                note("selector: " + e);
            } finally {
                for (Connection c : connections) c.close();
            }
        }

        private void ready(SelectionKey key) {
            Connection c = (Connection) key.attachment();
            if (c.dead) return;
            try {
                if (key.isReadable()) {
                    while (true) {
                        readBuffer.clear();
                        int n = c.channel.read(readBuffer);
                        if (n < 0) throw new EOFException("closed by the server");
                        if (n == 0) break;
                        c.received(readBuffer.flip());
                        if (n < readBuffer.capacity()) break;
                    }
                    c.topUp(System.nanoTime());
                } else if (key.isWritable()) {
                    c.flush();
                }
            } catch (IOException | WsProtocolException e) {
                fail(c, e.toString());
            }
        }

        void fail(Connection c, String why) {
            if (c.dead) return;
            errors++;
            note(why);
            c.dead = true;
            live--;
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // being dropped anyway
            }
        }

        private void note(String why) {
            if (firstErrors.size() < 5) firstErrors.add(why);
        }
    }

    /** One connection's state: the messages in flight (a ring), the frames waiting to be written, the reader. */
    private final class Connection implements FrameReader.Sink {
        final Worker worker;
        final SocketChannel channel;
        final ByteBuffer leftover;
        final FrameReader reader = new FrameReader(this);
        SelectionKey key;
        boolean dead;
        /** Ring of the messages in flight: when each was sent, which variant, whether to check its bytes. */
        final long[] sentAt;
        final int[] variant;
        final boolean[] verify;
        int head, inFlight;
        long sent;
        int nextVariant;
        /** Frames to write, in order; the first may be partly written. */
        final ByteBuffer[] out;
        int outCount;
        /** Set by the sink when an echo is wrong; checked after each read. */
        String failure;

        Connection(Worker worker, Handshake h, int firstVariant) {
            this.worker = worker;
            this.channel = h.channel();
            this.leftover = h.leftover();
            this.nextVariant = firstVariant;
            int k = options.inFlight();
            sentAt = new long[k];
            variant = new int[k];
            verify = new boolean[k];
            out = new ByteBuffer[k + 8];
        }

        void received(ByteBuffer bytes) throws WsProtocolException {
            reader.feed(bytes);
            if (failure != null) throw new WsProtocolException(failure);
        }

        /** Sends new messages until K are in flight (not once the window has ended), then writes. */
        void topUp(long now) throws IOException {
            if (now < t1()) {
                int k = options.inFlight();
                while (inFlight < k && outCount < out.length) {
                    int slot = (head + inFlight) % k;
                    int v = nextVariant;
                    nextVariant = (nextVariant + 1) % VARIANTS;
                    sentAt[slot] = now;
                    variant[slot] = v;
                    verify[slot] = sent % options.verifyEvery() == 0;
                    sent++;
                    inFlight++;
                    out[outCount++] = frames[v].duplicate();
                }
            }
            flush();
        }

        private long t1() {
            return worker.t1;
        }

        void flush() throws IOException {
            if (outCount > 0) {
                channel.write(out, 0, outCount);
                int done = 0;
                while (done < outCount && !out[done].hasRemaining()) done++;
                if (done > 0) {
                    System.arraycopy(out, done, out, 0, outCount - done);
                    for (int i = outCount - done; i < outCount; i++) out[i] = null;
                    outCount -= done;
                }
            }
            int want = outCount > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != want) key.interestOps(want);
        }

        @Override
        public void data(int opcode, long offset, ByteBuffer bytes) {
            if (failure != null) return;
            if (inFlight == 0) {
                failure = "a message nobody sent";
                return;
            }
            if (offset + bytes.remaining() > options.size()) {
                failure = "echo longer than the " + options.size() + " bytes sent";
                return;
            }
            if (verify[head]) {
                ByteBuffer expected = payloads[variant[head]].slice((int) offset, bytes.remaining());
                int at = expected.mismatch(bytes);
                if (at >= 0) failure = "echo differs from the message sent at byte " + (offset + at);
            }
        }

        @Override
        public void messageEnd(int opcode, long length, int frames) {
            if (failure != null) return;
            if (inFlight == 0) {
                failure = "a message nobody sent";
                return;
            }
            if (opcode != EchoLoad.this.opcode) {
                failure = "echo came as opcode " + opcode + ", sent as " + EchoLoad.this.opcode;
                return;
            }
            if (length != options.size()) {
                failure = "echo of " + length + " bytes, sent " + options.size();
                return;
            }
            long now = System.nanoTime();
            if (now >= worker.t0 && now < worker.t1) {
                worker.echoes++;
                worker.bytes += length;
                worker.latency.record((now - sentAt[head]) / 1000);
            }
            head = (head + 1) % options.inFlight();
            inFlight--;
        }

        @Override
        public void control(int opcode, byte[] payload) {
            if (opcode == FrameReader.PING) {
                if (outCount < out.length) out[outCount++] = ByteBuffer.wrap(Frames.masked(FrameReader.PONG, payload, worker.random.nextInt()));
            } else if (opcode == FrameReader.CLOSE) {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                failure = "Close " + code + " from the server";
            }
        }

        /** At the end: a Close 1000 if it can go out at once, then the socket is closed. */
        void close() {
            if (!dead) {
                try {
                    if (outCount == 0) channel.write(ByteBuffer.wrap(Frames.close(1000, worker.random)));
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
