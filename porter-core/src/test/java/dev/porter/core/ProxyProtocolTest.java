package dev.porter.core;

import dev.porter.core.testing.LogCapture;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestCertificates;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROXY protocol on a real listener: the header is read before the protocol (and before TLS), the client it names
 * becomes {@link Connection#remoteAddress()}, the bytes after it reach the protocol intact, and a missing,
 * malformed, slow or untrusted header closes the connection without a byte sent, logged once.
 */
class ProxyProtocolTest {

    /** Says who the client is, then echoes lines. */
    static final Protocol WHO = c -> {
        c.writeLine(c.remoteAddress().getAddress().getHostAddress() + ":" + c.remoteAddress().getPort()
                + " via " + c.peerAddress().getAddress().getHostAddress()
                + " v" + c.proxyHeader().map(ProxyHeader::version).orElse(0));
        c.flush();
        for (String line; (line = c.readLine()) != null; ) {
            c.writeLine(line);
            c.flush();
        }
    };

    static ServerConfig proxied(ProxyProtocolConfig p) {
        return TestServers.loopback().withProxyProtocol(p);
    }

    static final byte[] V1 = "PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] V2 = ProxyHeader.v2(new InetSocketAddress("2001:db8::7", 4711),
            new InetSocketAddress("2001:db8::1", 443)).encode();

    static byte[] concat(byte[] a, String b) {
        byte[] t = b.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(a, a.length + t.length);
        System.arraycopy(t, 0, out, a.length, t.length);
        return out;
    }

    @Test
    void s2_1_aV1HeaderNamesTheClientAndTheBytesAfterItReachTheProtocol() {
        try (Server server = TestServers.start(proxied(ProxyProtocolConfig.defaults()), WHO);
             RawClient client = RawClient.connect(server)) {
            client.send(concat(V1, "hello\n"));
            assertThat(client.readLine()).isEqualTo("192.0.2.1:56324 via 127.0.0.1 v1");
            assertThat(client.readLine()).isEqualTo("hello");
        }
    }

    @Test
    void s2_2_aV2HeaderArrivingByteByByteIsWaitedFor() {
        try (Server server = TestServers.start(proxied(ProxyProtocolConfig.defaults()), WHO);
             RawClient client = RawClient.connect(server)) {
            client.sendByteByByte(V2, Duration.ofMillis(2)).send("after\n");
            assertThat(client.readLine()).isEqualTo("2001:db8:0:0:0:0:0:7:4711 via 127.0.0.1 v2");
            assertThat(client.readLine()).isEqualTo("after");
        }
    }

    @Test
    void aLongMessageRightAfterTheHeaderArrivesIntact() {
        String line = "x".repeat(6000);
        try (Server server = TestServers.start(proxied(ProxyProtocolConfig.defaults()), WHO);
             RawClient client = RawClient.connect(server)) {
            client.send(concat(V2, line + "\n" + line + "y\n"));
            client.readLine();
            assertThat(client.readLine()).isEqualTo(line);
            assertThat(client.readLine()).isEqualTo(line + "y");
        }
    }

    @Test
    void s2_2_localKeepsTheSocketsAddress() {
        try (Server server = TestServers.start(proxied(ProxyProtocolConfig.defaults()), WHO);
             RawClient client = RawClient.connect(server)) {
            client.send(ProxyHeader.v2Local().encode());
            assertThat(client.readLine()).matches("127\\.0\\.0\\.1:\\d+ via 127\\.0\\.0\\.1 v2");
        }
    }

    @Test
    void s2_aMissingOrMalformedHeaderClosesTheConnectionLoggedOnce() {
        try (LogCapture log = LogCapture.of("dev.porter.core.Server");
             Server server = TestServers.start(proxied(ProxyProtocolConfig.defaults()), WHO)) {
            for (String start : List.of("hello\n", "PROXY TCP4 1.2.3.4\n", "GET / HTTP/1.1\r\n\r\n")) {
                try (RawClient client = RawClient.connect(server)) {
                    client.send(start);
                    client.expectClosed(); // nothing is said, whatever came
                }
            }
            assertThat(log.messages(System.Logger.Level.WARNING)).singleElement().asString()
                    .contains("trusted proxy 127.0.0.1", "no valid PROXY protocol header");
            assertThat(log.messages(System.Logger.Level.DEBUG)).filteredOn(m -> m.contains("PROXY protocol header")).hasSize(2);
        }
    }

    @Test
    void s2_aHeaderNotCompleteWithinTheTimeoutClosesTheConnection() {
        ProxyProtocolConfig quick = ProxyProtocolConfig.defaults().withHeaderTimeout(Duration.ofMillis(300));
        try (Server server = TestServers.start(proxied(quick), WHO);
             RawClient client = RawClient.connect(server)) {
            client.send(java.util.Arrays.copyOf(V2, 20));
            client.expectClosed();
        }
    }

    @Test
    void aV2HeaderOverTheSizeLimitClosesTheConnectionAndTheDefaultLimitTakesIt() {
        byte[] big = ProxyHeader.v2(new InetSocketAddress("192.0.2.1", 1), new InetSocketAddress("192.0.2.2", 2))
                .withAuthority("a".repeat(400)).encode();
        try (Server server = TestServers.start(proxied(ProxyProtocolConfig.defaults()), WHO);
             RawClient client = RawClient.connect(server)) {
            client.send(big);
            assertThat(client.readLine()).as("%d bytes fit the default 4096", big.length).startsWith("192.0.2.1:1 via");
        }
        try (Server server = TestServers.start(proxied(ProxyProtocolConfig.defaults().withMaxHeaderSize(300)), WHO);
             RawClient client = RawClient.connect(server)) {
            client.send(big);
            client.expectClosed();
        }
    }

    @Test
    void s5_aPeerOutsideTheTrustedSetIsClosedAtOnce() {
        ProxyProtocolConfig elsewhere = ProxyProtocolConfig.defaults()
                .withTrustedProxies(List.of(AddressRange.parse("192.0.2.0/24")));
        try (LogCapture log = LogCapture.of("dev.porter.core.Server");
             Server server = TestServers.start(proxied(elsewhere), WHO)) {
            for (int i = 0; i < 2; i++) {
                try (RawClient client = RawClient.connect(server)) {
                    client.send(concat(V1, "hello\n"));
                    client.expectClosed();
                }
            }
            assertThat(server.stats().rejected()).isEqualTo(2);
            assertThat(log.messages(System.Logger.Level.WARNING)).singleElement().asString()
                    .contains("from 127.0.0.1", "trusted proxies [192.0.2.0/24]");
        }
    }

    /** Porter's own client as the sender: {@code Client.connect} with a preface writes it before its handshake. */
    @Test
    void theClientSendsAPrefaceBeforeItsTlsHandshake(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.create(dir.resolve("ca"));
        ServerConfig config = proxied(ProxyProtocolConfig.defaults()).withTls(TlsConfig.of(ca.server("localhost").pem()));
        try (Server server = TestServers.start(config, WHO);
             Connection c = Client.connect("localhost", server.port(), TestServers.TIMEOUT, ConnectionConfig.defaults(),
                     ClientTls.defaults().withTrust(ca.trust()), V2)) {
            assertThat(c.tls()).isPresent();
            assertThat(c.readLine()).isEqualTo("2001:db8:0:0:0:0:0:7:4711 via 127.0.0.1 v2");
            c.writeLine("over tls");
            c.flush();
            assertThat(c.readLine()).isEqualTo("over tls");
        }
    }

    @Test
    void theHeaderComesBeforeTls(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.create(dir.resolve("ca"));
        ServerConfig config = proxied(ProxyProtocolConfig.defaults()).withTls(TlsConfig.of(ca.server("localhost").pem()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (Server server = TestServers.start(config, WHO);
             Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout((int) TestServers.TIMEOUT.toMillis());
            plain.getOutputStream().write(V1);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", server.port(), true)) {
                BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("192.0.2.1:56324 via 127.0.0.1 v1");
                tls.getOutputStream().write("over tls\n".getBytes(StandardCharsets.UTF_8));
                tls.getOutputStream().flush();
                assertThat(in.readLine()).isEqualTo("over tls");
            }
        }
    }
}
