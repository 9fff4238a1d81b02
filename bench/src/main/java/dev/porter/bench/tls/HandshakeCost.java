package dev.porter.bench.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What one TLS 1.3 handshake costs the server's {@link SSLEngine}, CPU time and bytes allocated, measured on the
 * server's thread alone (the client runs on another thread, handed each step), in memory, with no socket and no
 * scheduler: the part of the new-connection job that no transport can change. Variants run interleaved in one JVM
 * (rounds of each in turn), so a busy shared machine moves them all alike; the first round is warm-up.
 *
 * <pre>
 *   java bench/src/main/java/dev/porter/bench/tls/HandshakeCost.java KEYSTORE.p12 PASSWORD HANDSHAKES ROUNDS [VARIANT...]
 * </pre>
 *
 * A variant is {@code RANDOM} or {@code RANDOM:full}: the server's {@code SSLContext} initialised with
 * {@code SecureRandom.getInstance(RANDOM)}, or with none ({@code default}: the JDK picks, NativePRNG on Linux).
 * The client offers what wrk (OpenSSL) negotiates with Porter, TLS_AES_128_GCM_SHA256 over X25519, and keeps the
 * server's ticket, so each handshake after the first resumes (PSK with X25519, as wrk's do); {@code :full} gives
 * every handshake a fresh client, so each one is full (the server signs with its key).
 */
public final class HandshakeCost {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ExecutorService CLIENT = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "client");
        t.setDaemon(true);
        return t;
    });

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private long cpuNanos;
    private long allocated;

    private HandshakeCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: HandshakeCost KEYSTORE.p12 PASSWORD HANDSHAKES ROUNDS [RANDOM[:full]...]");
            System.exit(2);
        }
        char[] password = args[1].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(keys, password);
        int handshakes = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String[] variants = args.length > 4
                ? java.util.Arrays.copyOfRange(args, 4, args.length) : new String[]{"default", "DRBG"};
        SSLContext[] servers = new SSLContext[variants.length];
        SSLContext[] clients = new SSLContext[variants.length];
        for (int i = 0; i < variants.length; i++) {
            String random = variants[i].split(":")[0];
            servers[i] = SSLContext.getInstance("TLS");
            servers[i].init(kmf.getKeyManagers(), null,
                    random.equals("default") ? null : SecureRandom.getInstance(random));
            clients[i] = trustingClient();
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < variants.length; i++) {
                HandshakeCost cost = new HandshakeCost();
                boolean full = variants[i].endsWith(":full");
                for (int k = 0; k < handshakes; k++) {
                    cost.handshake(servers[i], full ? trustingClient() : clients[i]);
                }
                if (r == 0) continue; // warm-up
                System.out.printf("round %d %s: server %.1f us CPU, %.1f KB allocated per handshake%n", r, variants[i],
                        cost.cpuNanos / 1e3 / handshakes, cost.allocated / 1024.0 / handshakes);
            }
        }
    }

    /** A client context that trusts any certificate: what is measured is the server. */
    private static SSLContext trustingClient() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return c;
    }

    private void handshake(SSLContext serverContext, SSLContext clientContext) throws Exception {
        SSLEngine client = onClient(() -> {
            // One peer name for every handshake: the client's session cache then offers the last ticket.
            SSLEngine e = clientContext.createSSLEngine("localhost", 443);
            e.setUseClientMode(true);
            SSLParameters p = e.getSSLParameters();
            p.setProtocols(new String[]{"TLSv1.3"});
            p.setCipherSuites(new String[]{"TLS_AES_128_GCM_SHA256"});
            p.setNamedGroups(new String[]{"x25519"});
            p.setApplicationProtocols(new String[]{"http/1.1"});
            e.setSSLParameters(p);
            e.beginHandshake();
            return e;
        });
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        SSLParameters p = server.getSSLParameters();
        p.setApplicationProtocols(new String[]{"h2", "http/1.1"});
        server.setSSLParameters(p);
        count(cpu0, alloc0);
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
        // Allocated here, not counted: a transport's buffers are pooled.
        ByteBuffer clientApp = ByteBuffer.allocate(32 * 1024);
        ByteBuffer serverApp = ByteBuffer.allocate(32 * 1024);
        for (int step = 0; step < 20 && !(done(client) && done(server)); step++) {
            onClient(() -> pump(client, toClient, toServer, clientApp));
            cpu0 = THREADS.getCurrentThreadCpuTime();
            alloc0 = THREADS.getCurrentThreadAllocatedBytes();
            pump(server, toServer, toClient, serverApp);
            count(cpu0, alloc0);
        }
        if (!done(client) || !done(server)) throw new IllegalStateException("the handshake did not finish");
        // A response, so that the client reads the NewSessionTicket before it (and resumes next time).
        cpu0 = THREADS.getCurrentThreadCpuTime();
        alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        server.wrap(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), toClient);
        count(cpu0, alloc0);
        onClient(() -> pump(client, toClient, toServer, clientApp));
    }

    private void count(long cpu0, long alloc0) {
        cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
        allocated += THREADS.getCurrentThreadAllocatedBytes() - alloc0;
    }

    private static boolean done(SSLEngine e) {
        return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && !"NONE".equals(e.getSession().getProtocol());
    }

    /** Unwraps what {@code in} holds, runs tasks and wraps what {@code e} has to say into {@code out}. */
    private static Void pump(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws Exception {
        in.flip();
        while (true) {
            HandshakeStatus hs = e.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                for (Runnable t; (t = e.getDelegatedTask()) != null; ) t.run();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                e.wrap(EMPTY, out);
            } else if (in.hasRemaining()) {
                app.clear();
                if (e.unwrap(in, app).bytesConsumed() == 0) break;
            } else {
                break;
            }
        }
        in.compact();
        return null;
    }

    private static <T> T onClient(Callable<T> step) throws Exception {
        return CLIENT.submit(step).get();
    }
}
