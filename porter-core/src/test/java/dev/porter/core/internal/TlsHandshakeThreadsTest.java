package dev.porter.core.internal;

import dev.porter.core.ConnectionConfig;
import dev.porter.core.KeySource;
import dev.porter.core.Protocol;
import dev.porter.core.ServerConfig;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TlsConfig#handshakeThreads()}: a server's handshakes compute (the engine's delegated tasks) on its own
 * platform threads, or inline with 0; they all complete under concurrency, a stalled client still meets the
 * handshake timeout while the pool is busy, a failing task fails only its handshake, and a stopped server leaves
 * no handshake thread behind. Where the work runs is seen by the server's key manager, which the engine asks for
 * the certificate while it processes the ClientHello (a delegated task).
 */
class TlsHandshakeThreadsTest {

    private static final String POOL_THREAD = "porter-tls-handshake-";

    @TempDir
    static Path dir;
    private static Path store;
    private static KeyStore keys;
    private static SSLContext clientContext;

    /** Echo lines. */
    private static final Protocol ECHO = c -> {
        for (String line; (line = c.readLine()) != null; ) {
            c.writeLine(line);
            c.flush();
        }
    };

    @BeforeAll
    static void keys() throws Exception {
        store = TestKeyStore.create(dir);
        keys = TestKeyStore.load(store);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
    }

    /** A key manager that records the threads choosing the certificate, and can hold them or fail them. */
    private static final class WatchingKeys extends X509ExtendedKeyManager {
        final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
        volatile CountDownLatch hold;
        volatile CountDownLatch held = new CountDownLatch(1);
        volatile boolean fail;
        private final X509ExtendedKeyManager real;

        WatchingKeys() throws Exception {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "secret".toCharArray());
            real = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            threads.add(Thread.currentThread());
            if (fail) throw new IllegalStateException("key store unavailable");
            CountDownLatch h = hold;
            if (h != null) {
                held.countDown();
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override public String[] getClientAliases(String t, Principal[] i) { return real.getClientAliases(t, i); }
        @Override public String chooseClientAlias(String[] t, Principal[] i, Socket s) { return real.chooseClientAlias(t, i, s); }
        @Override public String[] getServerAliases(String t, Principal[] i) { return real.getServerAliases(t, i); }
        @Override public String chooseServerAlias(String t, Principal[] i, Socket s) { return real.chooseServerAlias(t, i, s); }
        @Override public X509Certificate[] getCertificateChain(String alias) { return real.getCertificateChain(alias); }
        @Override public PrivateKey getPrivateKey(String alias) { return real.getPrivateKey(alias); }
    }

    private record Running(AcceptLoop loop, TlsAcceptor acceptor, WatchingKeys keys) implements AutoCloseable {
        int port() {
            return loop.address().getPort();
        }

        @Override
        public void close() throws InterruptedException {
            loop.stop(Duration.ofSeconds(1));
        }
    }

    private static Running start(TlsConfig tls) throws Exception {
        WatchingKeys watching = new WatchingKeys();
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(new javax.net.ssl.KeyManager[] {watching}, null, null);
        TlsAcceptor acceptor = new TlsAcceptor(tls, () -> {
            SSLEngine e = server.createSSLEngine();
            e.setUseClientMode(false);
            e.setEnabledProtocols(new String[] {"TLSv1.3"});
            return e;
        }, new TlsAcceptor.Reloader() {
            @Override public boolean reloadIfChanged() { return false; }
            @Override public void reload() { }
        });
        AcceptLoop loop = new AcceptLoop(ServerConfig.defaults().withConnection(ConnectionConfig.defaults()), ECHO, acceptor);
        loop.start();
        return new Running(loop, acceptor, watching);
    }

    private static TlsConfig config(int threads) {
        return TlsConfig.of(new KeySource.Pkcs12(store, "secret".toCharArray()))
                .withHandshakeTimeout(Duration.ofSeconds(2))
                .withHandshakeThreads(threads);
    }

    /** A full handshake (a context of its own: no session to resume) and one echoed line. */
    private static String echo(int port, String line) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext fresh = SSLContext.getInstance("TLS");
        fresh.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) fresh.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    private static boolean poolThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(POOL_THREAD));
    }

    @Test
    void theHandshakesDelegatedWorkRunsOnTheServersHandshakeThreads() throws Exception {
        try (Running r = start(config(2))) {
            assertThat(echo(r.port(), "one")).isEqualTo("one");
            assertThat(echo(r.port(), "two")).isEqualTo("two");
            assertThat(r.keys().threads).hasSize(2)
                    .allSatisfy(t -> assertThat(t.getName()).startsWith(POOL_THREAD))
                    .allSatisfy(t -> assertThat(t.isVirtual()).isFalse());
            // The pool counts a task after the handshake it woke has gone on: wait for the count, do not race it.
            Await.until("the pool counted both tasks", () -> r.acceptor().pooledTasks() >= 2);
        }
    }

    @Test
    void withZeroHandshakeThreadsTheWorkRunsOnTheConnectionsOwnVirtualThread() throws Exception {
        try (Running r = start(config(0))) {
            assertThat(echo(r.port(), "one")).isEqualTo("one");
            assertThat(r.keys().threads).singleElement()
                    .satisfies(t -> assertThat(t.isVirtual()).isTrue())
                    .satisfies(t -> assertThat(t.getName()).doesNotStartWith(POOL_THREAD));
            assertThat(r.acceptor().pooledTasks()).isEqualTo(-1);
        }
    }

    @Test
    void twoHundredConcurrentHandshakesOverSixtyFourClientThreadsAllComplete() throws Exception {
        try (Running r = start(config(1)); ExecutorService clients = Executors.newFixedThreadPool(64)) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String line = "line " + i;
                answers.add(clients.submit(() -> echo(r.port(), line)));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(Await.result("answer " + i, answers.get(i))).isEqualTo("line " + i);
            }
            assertThat(r.keys().threads).hasSize(200).allSatisfy(t -> assertThat(t.getName()).startsWith(POOL_THREAD));
        }
    }

    @Test
    void aClientWhoseWorkWaitsBehindABusyPoolStillMeetsTheHandshakeTimeout() throws Exception {
        try (Running r = start(config(1))) {
            r.keys().hold = new CountDownLatch(1);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                // The only handshake thread is held inside the first client's ClientHello...
                Future<String> first = clients.submit(() -> echo(r.port(), "first"));
                Await.latch("the pool's thread is busy", r.keys().held);
                // ... so the second client's ClientHello waits in the queue, and its timeout (2 s) cuts it off.
                try (SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", r.port())) {
                    s.setSoTimeout(15_000);
                    assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class)
                            .isNotInstanceOf(SocketTimeoutException.class);
                }
                r.keys().hold.countDown();
                assertThatThrownBy(() -> Await.result("the first client", first)).isInstanceOf(AssertionError.class);
            } finally {
                r.keys().hold.countDown();
                r.keys().hold = null;
            }
            // The pool is free again, and serves the next client.
            assertThat(echo(r.port(), "after")).isEqualTo("after");
        }
    }

    @Test
    void aClientThatStallsMidHandshakeMeetsTheTimeoutWithTheThreadsIdle() throws Exception {
        try (Running r = start(config(2)); Socket s = new Socket("127.0.0.1", r.port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00, 0x01}); // half a ClientHello
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).isIn(-1, 0x15); // closed, or a TLS alert before the close
        }
    }

    @Test
    void aTaskThatFailsFailsOnlyItsHandshake() throws Exception {
        try (Running r = start(config(2))) {
            r.keys().fail = true;
            assertThatThrownBy(() -> echo(r.port(), "refused")).isInstanceOf(SSLException.class);
            r.keys().fail = false;
            assertThat(echo(r.port(), "served")).isEqualTo("served");
        }
    }

    @Test
    void stoppingTheServerEndsItsHandshakeThreads() throws Exception {
        Running r = start(config(2));
        assertThat(echo(r.port(), "one")).isEqualTo("one");
        assertThat(poolThreadAlive()).isTrue();
        r.close();
        Await.until("no handshake thread is left", () -> !poolThreadAlive());
    }

    @Test
    void stoppingTheServerWhileHandshakesWaitForThePoolNeitherHangsNorLeavesAThread() throws Exception {
        Running r = start(config(1));
        CountDownLatch hold = new CountDownLatch(1);
        r.keys().hold = hold;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = clients.submit(() -> echo(r.port(), "first"));
            Await.latch("the pool's thread is busy", r.keys().held);
            Future<String> second = clients.submit(() -> echo(r.port(), "second"));
            // The stop interrupts the handshakes parked on the pool, then ends the pool (its held thread too).
            r.close();
            assertThatThrownBy(() -> Await.result("the first client", first)).isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> Await.result("the second client", second)).isInstanceOf(AssertionError.class);
            Await.until("no handshake thread is left", () -> !poolThreadAlive());
        } finally {
            hold.countDown();
        }
    }

    @Test
    void handshakeThreadsDefaultToNoneAndMustNotBeNegative() {
        TlsConfig tls = TlsConfig.of(new KeySource.Pkcs12(store, "secret".toCharArray()));
        assertThat(tls.handshakeThreads()).isZero();
        assertThat(tls.withHandshakeThreads(2).handshakeThreads()).isEqualTo(2);
        assertThatThrownBy(() -> tls.withHandshakeThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handshakeThreads");
    }
}
