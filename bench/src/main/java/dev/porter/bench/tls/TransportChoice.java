package dev.porter.bench.tls;

import dev.porter.core.Connection;
import dev.porter.core.KeySource;
import dev.porter.core.Protocol;
import dev.porter.core.Server;
import dev.porter.core.ServerConfig;
import dev.porter.core.TlsConfig;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The experiment behind Porter's choice of TLS transport (docs/tls.md): the same tiny HTTP/1.1 keep-alive
 * responder ({@code GET} of any path answers 13 bytes) served two ways, so only the transport differs —
 * {@code engine}: Porter's core {@link Server} with TLS (an {@code SSLEngine} beneath pooled buffers, idle
 * connections parked without a thread); {@code socket}: an {@code SSLServerSocket} with one virtual thread per
 * connection blocked in {@code SSLSocket} reads (Helidon 4's model). {@code bench/tls-transport} drives both with
 * wrk over https and with idle connections from {@code idle}.
 *
 * <p>Usage: {@code server engine|socket PORT PKCS12 PASSWORD} (serves until standard input ends);
 * {@code idle PORT COUNT} (opens COUNT TLS connections to 127.0.0.1, one request each, holds them until
 * standard input ends; prints {@code open N}).
 */
public final class TransportChoice {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n"
            + "Hello, World!").getBytes(StandardCharsets.US_ASCII);

    private TransportChoice() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "server" -> serve(args[1], Integer.parseInt(args[2]), Path.of(args[3]), args[4].toCharArray());
            case "idle" -> idle(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("usage: server engine|socket PORT PKCS12 PASSWORD | idle PORT COUNT");
        }
    }

    private static void serve(String model, int port, Path store, char[] password) throws Exception {
        AutoCloseable server = model.equals("engine") ? engine(port, store, password) : socket(port, store, password);
        System.out.println("Listening on 127.0.0.1:" + port);
        System.in.readAllBytes();
        server.close();
    }

    /** Porter: the responder as a {@link Protocol}, reading heads line by line from the connection's buffer. */
    private static AutoCloseable engine(int port, Path store, char[] password) throws IOException {
        Protocol respond = c -> {
            while (true) {
                if (!readHead(c)) return;
                c.write(RESPONSE);
                if (!c.hasBufferedInput()) {
                    c.flush();
                    if (!c.awaitInput(java.time.Duration.ofMillis(250))) {
                        c.parkUntilReadable();
                        return;
                    }
                }
            }
        };
        return Server.start(ServerConfig.of("127.0.0.1", port).withMaxConnections(100_000, dev.porter.core.OverflowPolicy.CLOSE)
                .withTls(TlsConfig.of(new KeySource.Pkcs12(store, password))), respond);
    }

    private static boolean readHead(Connection c) throws IOException {
        String line = c.readLine();
        if (line == null) return false;
        while (line != null && !line.isEmpty()) line = c.readLine();
        return line != null;
    }

    /** The SSLSocket model: a virtual thread per connection, blocked in reads through a buffered stream. */
    private static AutoCloseable socket(int port, Path store, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket welcome = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(port, 1024, InetAddress.getLoopbackAddress());
        welcome.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        Thread.ofPlatform().name("welcome").start(() -> {
            while (!welcome.isClosed()) {
                try {
                    Socket s = welcome.accept();
                    s.setTcpNoDelay(true);
                    Thread.ofVirtual().start(() -> converse(s));
                } catch (IOException e) {
                    if (welcome.isClosed()) return;
                }
            }
        });
        return welcome;
    }

    private static void converse(Socket s) {
        try (s) {
            BufferedInputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            OutputStream out = s.getOutputStream();
            StringBuilder line = new StringBuilder();
            while (true) {
                // One head: lines until an empty one.
                boolean empty;
                do {
                    line.setLength(0);
                    int ch;
                    while ((ch = in.read()) != '\n') {
                        if (ch < 0) return;
                        if (ch != '\r') line.append((char) ch);
                    }
                    empty = line.isEmpty();
                } while (!empty);
                out.write(RESPONSE);
                if (in.available() == 0) out.flush();
            }
        } catch (IOException e) {
            // The client went away: the conversation is over.
        }
    }

    /** Opens COUNT TLS connections, one request each, then holds them until standard input ends. */
    private static void idle(int port, int count) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String type) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String type) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        List<SSLSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        // 32 at a time: handshakes are CPU-bound on both sides; more in flight only queues them.
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < count; i++) {
                pool.submit(() -> {
                    try {
                        open.add(openOne(ctx, port));
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                });
            }
        }
        System.out.println("open " + open.size() + " failed " + failed.get());
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (stdin.readLine() != null) {
            // Held until the driver closes standard input.
        }
        for (SSLSocket s : open) s.close();
    }

    private static SSLSocket openOne(SSLContext ctx, int port) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        try {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] answer = new byte[RESPONSE.length];
            int got = 0;
            while (got < answer.length) {
                int n = s.getInputStream().read(answer, got, answer.length - got);
                if (n < 0) throw new IOException("closed");
                got += n;
            }
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
