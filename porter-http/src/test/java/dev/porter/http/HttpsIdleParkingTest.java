package dev.porter.http;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.testing.TlsClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle HTTPS keep-alive connections park like plaintext ones: with {@value #CONNECTIONS} TLS connections held
 * quiet after one request each, the server runs no conversation thread at all; each then resumes on its next
 * request, over the same TLS session, and parks again once quiet. (The memory an idle TLS connection costs is measured by
 * {@link IdleTlsMemory}; see docs/tls.md.)
 */
class HttpsIdleParkingTest {

    private static final int CONNECTIONS = 200;

    @TempDir
    Path dir;

    @Test
    void idleTlsConnectionsHoldNoThreadAndResume() throws Exception {
        idleConnectionsHoldNoThreadAndResume(true);
    }

    /** The same over plaintext, for comparison: parking after a resume is HTTP's, not TLS's. */
    @Test
    void idlePlainConnectionsHoldNoThreadAndResume() throws Exception {
        idleConnectionsHoldNoThreadAndResume(false);
    }

    private void idleConnectionsHoldNoThreadAndResume(boolean tls) throws Exception {
        TestCertificates ca = TestCertificates.create(dir);
        SSLContext client = TlsClients.trusting(ca);
        HttpConfig.Builder config = HttpConfig.builder().host("127.0.0.1").port(0);
        if (tls) config.tls(TlsConfig.of(ca.server("localhost", "127.0.0.1").pem()));
        String hello = tls ? "hello TLSv1.3" : "hello plain";
        try (HttpServer server = HttpServer.start(config.build(),
                (req, res) -> res.send("hello " + req.tls().map(t -> t.protocol()).orElse("plain")))) {
            List<java.net.Socket> sockets = new ArrayList<>();
            List<InputStream> inputs = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    java.net.Socket s = tls ? TlsClients.connect(client, server.port())
                            : new java.net.Socket("127.0.0.1", server.port());
                    sockets.add(s);
                    inputs.add(new BufferedInputStream(s.getInputStream()));
                    assertThat(request(s, inputs.get(i))).isEqualTo(hello);
                }
                await("every idle TLS connection parked", () -> server.stats().active() == CONNECTIONS
                        && server.stats().threads() == 0, server::stats);
                System.out.println((tls ? "tls" : "plain") + " idle: " + CONNECTIONS + " connections held, " + server.stats());
                for (int i = 0; i < CONNECTIONS; i++) {
                    assertThat(request(sockets.get(i), inputs.get(i))).isEqualTo(hello);
                }
                await("parked again", () -> server.stats().active() == CONNECTIONS && server.stats().threads() == 0,
                        server::stats);
            } finally {
                for (java.net.Socket s : sockets) s.close();
            }
            await("all closed", () -> server.stats().active() == 0, server::stats);
        }
    }

    private static String request(java.net.Socket s, InputStream in) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        int length = -1;
        for (String line; !(line = line(in)).isEmpty(); ) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).strip());
        }
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("closed inside a response head");
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    private static void await(String what, BooleanSupplier condition, java.util.function.Supplier<Object> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 15 s: " + what + ": " + state.get());
            Thread.sleep(20);
        }
    }
}
