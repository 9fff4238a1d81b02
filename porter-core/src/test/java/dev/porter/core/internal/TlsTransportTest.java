package dev.porter.core.internal;

import dev.porter.core.ConnectionConfig;
import dev.porter.core.KeySource;
import dev.porter.core.Protocol;
import dev.porter.core.ServerConfig;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS transport beneath a connection, end to end over loopback with the JDK's {@code SSLSocket} as the client:
 * a conversation runs unchanged over decrypted bytes, sees what the handshake settled, parks while idle and
 * resumes, moves large data both ways, and a client that does not speak TLS harms nothing.
 */
class TlsTransportTest {

    @TempDir
    static Path dir;
    /** 300,001 random bytes: several 64 KiB batches and a partial one. */
    private static Path file;
    private static byte[] fileBytes;
    private static SSLContext serverContext;
    private static SSLContext clientContext;
    private static AcceptLoop loop;

    /** Echo lines; "tls?" answers what the handshake settled. */
    private static final Protocol ECHO = c -> {
        for (String line; (line = c.readLine()) != null; ) {
            if (line.equals("tls?")) {
                var info = c.tls().orElseThrow();
                c.writeLine(info.protocol() + " " + info.cipherSuite() + " alpn=" + info.applicationProtocol());
            } else if (line.startsWith("blob ")) {
                byte[] b = c.readExactly(Integer.parseInt(line.substring(5)));
                c.write(b);
            } else if (line.startsWith("file ")) {
                // "file POSITION COUNT": that slice of the test file, by transferFrom (encrypted in batches)
                String[] a = line.split(" ");
                try (FileChannel f = FileChannel.open(file)) {
                    c.write("x".getBytes(StandardCharsets.US_ASCII)); // buffered ahead of the file's bytes
                    c.transferFrom(f, Long.parseLong(a[1]), Long.parseLong(a[2]));
                }
            } else if (line.startsWith("send ")) {
                // "send COUNT": that many bytes of the test file by Connection.send, in direct and heap pieces
                byte[] slice = java.util.Arrays.copyOf(fileBytes, Integer.parseInt(line.substring(5)));
                c.write("x".getBytes(StandardCharsets.US_ASCII)); // buffered ahead of the pieces
                c.send(dev.porter.core.GatheringSendTest.pieces(slice));
            } else if (line.startsWith("big ")) {
                // "big COUNT": that many pseudo-random bytes as ONE direct buffer (a view into a larger one, as a
                // file held in direct memory is sent), in a single Connection.send behind a buffered byte
                c.write("x".getBytes(StandardCharsets.US_ASCII));
                c.send(bigDirect(Integer.parseInt(line.substring(4))));
            } else if (line.equals("bye")) {
                // The last line and the close_notify after it (one write): the client reads both.
                c.writeLine("bye");
                c.shutdownOutput();
                return;
            } else {
                c.writeLine(line);
            }
            c.flush();
            if (!c.hasBufferedInput()) {
                c.parkUntilReadable();
                return;
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        fileBytes = new byte[300_001];
        new Random(11).nextBytes(fileBytes);
        file = Files.write(dir.resolve("file.bin"), fileBytes);
        Path store = TestKeyStore.create(dir);
        KeyStore ks = TestKeyStore.load(store);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        TlsConfig tls = TlsConfig.of(new KeySource.Pkcs12(store, "secret".toCharArray()))
                .withHandshakeTimeout(Duration.ofSeconds(2))
                .withPlaintextReply("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nplain HTTP to a TLS port\n");
        TlsAcceptor acceptor = new TlsAcceptor(tls, () -> {
            SSLEngine e = serverContext.createSSLEngine();
            e.setUseClientMode(false);
            e.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return e;
        }, new TlsAcceptor.Reloader() {
            @Override public boolean reloadIfChanged() { return false; }
            @Override public void reload() { }
        });
        ServerConfig config = ServerConfig.defaults().withConnection(ConnectionConfig.defaults());
        loop = new AcceptLoop(config, ECHO, acceptor);
        loop.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        loop.stop(Duration.ofSeconds(2));
    }

    private static SSLSocket connect() throws IOException {
        SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", loop.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String line(BufferedReader r) throws IOException {
        return r.readLine();
    }

    @Test
    void echoesOverTlsAndShowsTheHandshakeToTheConversation() throws IOException {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write("hello\r\ntls?\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(line(in)).isEqualTo("hello");
            assertThat(line(in)).startsWith("TLSv1.3 TLS_").endsWith("alpn=");
        }
    }

    @Test
    void aQuietTlsConnectionParksWithoutItsThreadAndResumes() throws Exception {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write("one\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(line(in)).isEqualTo("one");
            Await.until("the TLS connection parked", () -> loop.stats().threads() == 0);
            out.write("two\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(line(in)).isEqualTo("two");
        }
    }

    @Test
    void movesFourMebibytesEachWayIntact() throws Exception {
        byte[] blob = new byte[4 << 20];
        new Random(7).nextBytes(blob);
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(("blob " + blob.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(blob);
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = s.getInputStream().readNBytes(blob.length);
            writer.join();
            assertThat(MessageDigest.getInstance("SHA-256").digest(back))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(blob));
        }
    }

    @Test
    void aFileSliceGoesThroughTheEngineIntactAfterBufferedBytes() throws Exception {
        long position = 12_345;
        int count = fileBytes.length - 12_345 - 7; // several batches, the last one partial
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(("file " + position + " " + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] back = s.getInputStream().readNBytes(1 + count);
            assertThat(back[0]).isEqualTo((byte) 'x');
            assertThat(java.util.Arrays.copyOfRange(back, 1, back.length))
                    .isEqualTo(java.util.Arrays.copyOfRange(fileBytes, (int) position, (int) position + count));
        }
    }

    @Test
    void gatheredBuffersAreEncryptedInOrderAfterBufferedBytes() throws Exception {
        int count = fileBytes.length - 5; // records spanning a small and a large piece, the last batch partial
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(("send " + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] back = s.getInputStream().readNBytes(1 + count);
            assertThat(back[0]).isEqualTo((byte) 'x');
            assertThat(java.util.Arrays.copyOfRange(back, 1, back.length))
                    .isEqualTo(java.util.Arrays.copyOf(fileBytes, count));
        }
    }

    @Test
    void oneDirectBufferOfSeveralMebibytesInOneGatheredSendArrivesIntact() throws Exception {
        int count = 5 * 1024 * 1024 + 4_321; // not a multiple of a record's payload: the last record is partial
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(("big " + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] back = s.getInputStream().readNBytes(1 + count);
            assertThat(back).hasSize(1 + count);
            assertThat(back[0]).isEqualTo((byte) 'x');
            byte[] expected = new byte[count];
            bigDirect(count).get(expected);
            assertThat(java.util.Arrays.copyOfRange(back, 1, back.length)).isEqualTo(expected);
        }
    }

    /** {@code count} bytes from a fixed seed in a direct buffer, as a view from position 3 of a larger one. */
    private static ByteBuffer bigDirect(int count) {
        byte[] bytes = new byte[count];
        new Random(count).nextBytes(bytes);
        ByteBuffer whole = ByteBuffer.allocateDirect(count + 10);
        whole.position(3).put(bytes);
        return whole.slice(3, count);
    }

    @Test
    void theLastLineArrivesWithTheCloseNotifyAfterIt() throws IOException {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write("bye\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("bye\r\n");
            assertThat(in.read()).as("end of stream after a close_notify").isEqualTo(-1);
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsAPlaintextAnswer() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", loop.address().getPort()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("plain HTTP to a TLS port");
        }
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosedAndHarmsNoOne() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", loop.address().getPort()), 5000);
            s.setSoTimeout(10_000);
            byte[] junk = new byte[300];
            new Random(1).nextBytes(junk);
            junk[0] = 0x16; // looks like a handshake record, then nonsense
            s.getOutputStream().write(junk);
            byte[] rest = s.getInputStream().readAllBytes(); // at most an alert, then the close
            assertThat(rest.length).isLessThan(64);
        }
        echoesOverTlsAndShowsTheHandshakeToTheConversation();
    }

    @Test
    void aClientStallingInTheHandshakeIsCutOffAtTheHandshakeTimeout() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", loop.address().getPort()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // a ClientHello that never continues
            // The server closes at its 2 s handshake timeout, well before this socket's own 10 s read timeout.
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void refusesTls11() throws IOException {
        try (SSLSocket s = connect()) {
            s.setEnabledProtocols(new String[] {"TLSv1.1"});
            org.assertj.core.api.Assertions.assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
        }
    }
}
