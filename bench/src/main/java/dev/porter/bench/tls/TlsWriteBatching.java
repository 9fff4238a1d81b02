package dev.porter.bench.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * How to push a file through an {@link SSLEngine} to a socket for the least CPU: the thread CPU time per MiB of
 * reading a file, encrypting it (TLS 1.3, an engine pair handshaken in memory) and writing it to a loopback socket
 * drained by another thread, for several ways of doing it, interleaved in one JVM (rounds of each in turn), so a
 * busy shared machine moves them all alike. Records what docs/tls.md ("Performance") chose for Porter's TLS
 * {@code transferFrom}.
 *
 * <pre>
 *   java bench/src/main/java/dev/porter/bench/tls/TlsWriteBatching.java KEYSTORE.p12 PASSWORD FILE [VARIANT...]
 * </pre>
 *
 * A variant is {@code FILEBUF:NETBUF:RECORDS}: the file read into a {@code heapN} or {@code directN} buffer of N
 * KiB, encrypted into a {@code heap} or {@code direct} buffer of RECORDS × 17 KiB, which is written whenever it
 * cannot take another record. {@code heap16:heap:1} is the path Porter had: 16 KiB at a time, one record per write.
 */
public final class TlsWriteBatching {

    private static final int RECORD_ROOM = 17 * 1024;
    private static final int ROUNDS = 5;
    private static final int MIB_PER_ROUND = 400;

    private TlsWriteBatching() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: TlsWriteBatching KEYSTORE.p12 PASSWORD FILE [FILEBUF:NETBUF:RECORDS...]");
            System.exit(2);
        }
        SSLEngine[] pair = handshaken(Path.of(args[0]), args[1].toCharArray());
        SSLEngine server = pair[0];
        System.out.println("negotiated " + server.getSession().getProtocol() + " " + server.getSession().getCipherSuite());
        String[] variants = args.length > 3 ? java.util.Arrays.copyOfRange(args, 3, args.length)
                : new String[]{"heap16:heap:1", "heap64:heap:4", "direct64:heap:4", "direct64:direct:4", "direct128:heap:8"};
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel out = SocketChannel.open(listener.getLocalAddress());
             SocketChannel in = listener.accept();
             FileChannel file = FileChannel.open(Path.of(args[2]))) {
            Thread drain = new Thread(() -> drain(in), "drain");
            drain.setDaemon(true);
            drain.start();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            for (int round = 0; round < ROUNDS; round++) {
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (String v : variants) {
                    String[] p = v.split(":");
                    int chunk = Integer.parseInt(p[0].replaceAll("\\D", "")) * 1024;
                    ByteBuffer plain = p[0].startsWith("direct") ? ByteBuffer.allocateDirect(chunk) : ByteBuffer.allocate(chunk);
                    int room = Integer.parseInt(p[2]) * RECORD_ROOM;
                    ByteBuffer net = p[1].equals("direct") ? ByteBuffer.allocateDirect(room) : ByteBuffer.allocate(room);
                    for (int i = 0; i < 50; i++) send(server, file, plain, net, out); // this variant's own warm-up
                    long cpu = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < MIB_PER_ROUND; i++) send(server, file, plain, net, out);
                    cpu = mx.getCurrentThreadCpuTime() - cpu;
                    line.append(String.format("  %s %.0f µs/MiB", v, cpu / 1e3 / MIB_PER_ROUND * (1 << 20) / file.size()));
                }
                System.out.println(line);
            }
        }
    }

    /** The whole file: read a buffer's worth, wrap records into {@code net} while one fits, write, repeat. */
    private static void send(SSLEngine engine, FileChannel file, ByteBuffer plain, ByteBuffer net, SocketChannel out)
            throws IOException {
        long pos = 0;
        long size = file.size();
        while (pos < size) {
            plain.clear().limit((int) Math.min(plain.capacity(), size - pos));
            pos += file.read(plain, pos);
            plain.flip();
            while (plain.hasRemaining()) {
                net.clear();
                do {
                    engine.wrap(plain, net);
                } while (plain.hasRemaining() && net.remaining() >= RECORD_ROOM);
                net.flip();
                while (net.hasRemaining()) out.write(net);
            }
        }
    }

    private static void drain(SocketChannel in) {
        ByteBuffer b = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (in.read(b.clear()) >= 0) {
                // discard: only the sender's CPU is measured
            }
        } catch (IOException e) {
            // the sender closed: the run is over
        }
    }

    /** @return a server and a client engine that completed a handshake with each other in memory (WrapSize uses it too) */
    static SSLEngine[] handshaken(Path keystore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream f = Files.newInputStream(keystore)) {
            ks.load(f, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, password);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, new TrustManager[]{new TrustAll()}, null);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = clientContext.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer app = ByteBuffer.allocate(1 << 17);
        server.beginHandshake();
        client.beginHandshake();
        for (int i = 0; i < 100 && !(done(client) && done(server)); i++) {
            step(client, toServer, toClient, app);
            step(server, toClient, toServer, app);
        }
        if (!(done(client) && done(server))) throw new IllegalStateException("the in-memory handshake did not complete");
        return new SSLEngine[]{server, client};
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** Runs {@code e} until it needs the peer: wraps into {@code out}, unwraps from {@code in}. */
    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws Exception {
        ByteBuffer empty = ByteBuffer.allocate(0);
        while (true) {
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    for (Runnable t; (t = e.getDelegatedTask()) != null; ) t.run();
                }
                case NEED_WRAP -> e.wrap(empty, out);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, app.clear());
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** The in-memory client trusts the test certificate without a CA: only the server's CPU is the question. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
