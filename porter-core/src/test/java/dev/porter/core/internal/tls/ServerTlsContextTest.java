package dev.porter.core.internal.tls;

import dev.porter.core.ClientTls;
import dev.porter.core.KeySource;
import dev.porter.core.TlsConfig;
import dev.porter.core.TlsConfig.ClientAuth;
import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;
import dev.porter.core.testing.TestCertificates;
import dev.porter.core.testing.TestCertificates.Issued;
import dev.porter.core.testing.TestCertificates.KeyType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Server engines against client engines, in memory: policy, SNI, ALPN and client certificates. */
class ServerTlsContextTest {

    @TempDir
    Path dir;
    TestCertificates ca;
    ClientTls trusting;

    @BeforeEach
    void makeCa() {
        ca = TestCertificates.create(dir);
        trusting = ClientTls.defaults().withTrust(ca.trust());
    }

    static EnginePair.Outcome handshake(ClientTls client, String host, TlsConfig server) throws TlsSetupException {
        return EnginePair.handshake(ClientTlsContext.of(client).newEngine(host, 443),
                ServerTlsContext.load(server).newEngine());
    }

    static X509Certificate presented(EnginePair.Outcome o) {
        assertThat(o.succeeded()).as("handshake succeeded: %s", o).isTrue();
        return o.client().peerCertificates().getFirst();
    }

    @Test
    void enginesEnableOnlyTls13And12AndTheIntermediateSuites() throws Exception {
        SSLEngine engine = ServerTlsContext.load(TlsConfig.of(ca.server("a.example").pem())).newEngine();
        assertThat(engine.getUseClientMode()).isFalse();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(engine.getEnabledCipherSuites())
                .contains("TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
                .allMatch(TlsPolicy.INTERMEDIATE_SUITES::contains);
        assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
    }

    @Test
    void loadingSwitchesOnTheJdksRefusalOfClientRenegotiationUnlessTheProcessChose() throws Exception {
        String before = System.getProperty(ServerTlsContext.REJECT_RENEGOTIATION);
        try {
            System.clearProperty(ServerTlsContext.REJECT_RENEGOTIATION);
            ServerTlsContext.load(TlsConfig.of(ca.server("a.example").pem()));
            assertThat(System.getProperty(ServerTlsContext.REJECT_RENEGOTIATION)).isEqualTo("true");
            System.setProperty(ServerTlsContext.REJECT_RENEGOTIATION, "false");
            ServerTlsContext.load(TlsConfig.of(ca.server("a.example").pem()));
            assertThat(System.getProperty(ServerTlsContext.REJECT_RENEGOTIATION)).isEqualTo("false");
        } finally {
            System.setProperty(ServerTlsContext.REJECT_RENEGOTIATION, before == null ? "true" : before);
        }
    }

    @Test
    void aTls13HandshakeFollowsTheServersCipherOrder() throws Exception {
        Issued server = ca.server("a.example");
        EnginePair.Outcome o = handshake(trusting, "a.example", TlsConfig.of(server.pem()));
        assertThat(presented(o)).isEqualTo(server.certificate());
        // The JDK client lists AES-256 first; the server's order puts AES-128 first.
        assertThat(o.server().protocol()).isEqualTo("TLSv1.3");
        assertThat(o.server().cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(o.client().cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(o.server().peerCertificates()).isEmpty();
        assertThat(o.server().applicationProtocol()).isEmpty();
    }

    @Test
    void tls12NegotiatesEcdheWithAeadForEcAndRsaKeys() throws Exception {
        Issued ec = ca.server("ec.example");
        Issued rsa = ca.server(KeyType.RSA, "rsa.example");
        ServerTlsContext server = ServerTlsContext.load(TlsConfig.of(ec.pem(), rsa.pem()));
        for (String host : List.of("ec.example", "rsa.example")) {
            SSLEngine client = ClientTlsContext.of(trusting).newEngine(host, 443);
            client.setEnabledProtocols(new String[]{"TLSv1.2"});
            EnginePair.Outcome o = EnginePair.handshake(client, server.newEngine());
            assertThat(o.succeeded()).as("%s: %s", host, o).isTrue();
            assertThat(o.server().protocol()).isEqualTo("TLSv1.2");
            assertThat(o.server().cipherSuite()).isEqualTo(host.startsWith("ec")
                    ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void aClientForcedToTls11IsRefused() throws Exception {
        SSLEngine client = ClientTlsContext.of(trusting).newEngine("a.example", 443);
        client.setEnabledProtocols(new String[]{"TLSv1.1"});
        SSLEngine server = ServerTlsContext.load(TlsConfig.of(ca.server("a.example").pem())).newEngine();
        EnginePair.Outcome o = EnginePair.handshake(client, server);
        assertThat(o.succeeded()).isFalse();
        // The JDK's own client refuses first (TLS 1.1 is in its jdk.tls.disabledAlgorithms); the next test shows
        // the server refusing a TLS 1.1 hello from a client that does send one.
        assertThat(o.clientFailure()).hasMessageContaining("No appropriate protocol");
    }

    @Test
    void aTls11ClientHelloGetsAProtocolVersionAlert() throws Exception {
        // The JDK's own client will not even send TLS 1.1 (its disabledAlgorithms), so the hello is made by hand:
        // legacy_version 3,2 and no supported_versions extension (RFC 8446 §4.1.2, §D.2), two CBC suites of 1.1.
        ByteBuffer hello = ByteBuffer.allocate(200);
        hello.put(new byte[]{0x16, 0x03, 0x01, 0, 0});                  // record header, length below
        hello.put(new byte[]{0x01, 0, 0, 0});                            // ClientHello, length below
        hello.put(new byte[]{0x03, 0x02}).put(new byte[32]).put((byte) 0); // version, random, no session id
        hello.put(new byte[]{0, 4, (byte) 0xc0, 0x13, 0x00, 0x2f});      // two cipher suites
        hello.put(new byte[]{1, 0});                                     // null compression
        int length = hello.position();
        hello.putShort(3, (short) (length - 5));
        hello.put(7, (byte) ((length - 9) >> 8)).put(8, (byte) (length - 9)).flip();

        SSLEngine server = ServerTlsContext.load(TlsConfig.of(ca.server("a.example").pem())).newEngine();
        server.beginHandshake();
        ByteBuffer app = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        assertThatThrownBy(() -> {
            SSLEngineResult r;
            do {
                r = server.unwrap(hello, app);
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) server.getDelegatedTask().run();
            } while (hello.hasRemaining() || r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK);
        }).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("TLSv1.1");
        ByteBuffer alert = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        server.wrap(ByteBuffer.allocate(0), alert);
        alert.flip();
        // An alert record (21): fatal (2), protocol_version (70).
        assertThat(alert.get(0)).isEqualTo((byte) 21);
        assertThat(alert.get(5)).isEqualTo((byte) 2);
        assertThat(alert.get(6)).isEqualTo((byte) 70);
    }

    @Test
    void sniChoosesTheCertificateThatNamesTheHost() throws Exception {
        Issued a = ca.server("a.example");
        Issued b = ca.server("b.example", "www.b.example");
        Issued wild = ca.server("*.wild.example");
        TlsConfig config = TlsConfig.of(a.pem(), b.pem(), wild.pem());
        assertThat(presented(handshake(trusting, "a.example", config))).isEqualTo(a.certificate());
        assertThat(presented(handshake(trusting, "www.b.example", config))).isEqualTo(b.certificate());
        EnginePair.Outcome o = handshake(trusting, "x.wild.example", config);
        assertThat(presented(o)).isEqualTo(wild.certificate());
        assertThat(o.server().serverName()).isEqualTo("x.wild.example");
        assertThat(o.client().serverName()).isEqualTo("x.wild.example");
    }

    @Test
    void anUnknownNameOrNoNameGetsTheFirstCertificate() throws Exception {
        Issued first = ca.server("first.example");
        Issued second = ca.server("second.example", "127.0.0.1");
        TlsConfig config = TlsConfig.of(first.pem(), second.pem());
        ClientTls unchecked = ClientTls.defaults().withTrust(new TrustSource.TrustAll());
        assertThat(presented(handshake(unchecked, "y.wild.example", config))).isEqualTo(first.certificate());
        // An IP literal is never sent as SNI (RFC 6066 §3), so the default answers even though the second names it.
        EnginePair.Outcome byIp = handshake(unchecked, "127.0.0.1", config);
        assertThat(presented(byIp)).isEqualTo(first.certificate());
        assertThat(byIp.server().serverName()).isNull();
    }

    @Test
    void sniPicksByNameBeforeKeyType() throws Exception {
        // The JDK client prefers ECDSA, so the server is asked for an EC key first: the EC default must not win
        // for a host only the RSA certificate names.
        Issued ec = ca.server("ec.example");
        Issued rsa = ca.server(KeyType.RSA, "rsa.example");
        TlsConfig config = TlsConfig.of(ec.pem(), rsa.pem());
        assertThat(presented(handshake(trusting, "rsa.example", config))).isEqualTo(rsa.certificate());
        assertThat(presented(handshake(trusting, "ec.example", config))).isEqualTo(ec.certificate());
    }

    @Test
    void anEd25519CertificateServesClientsThatOfferEdDsa() throws Exception {
        Issued ed = ca.server(KeyType.ED25519, "ed.example");
        assertThat(presented(handshake(trusting, "ed.example", TlsConfig.of(ed.pem())))).isEqualTo(ed.certificate());
    }

    @Test
    void pkcs12AndPemSourcesServeAlike() throws Exception {
        Issued p12 = ca.server(KeyType.RSA, "p12.example");
        assertThat(presented(handshake(trusting, "p12.example", TlsConfig.of(p12.pkcs12())))).isEqualTo(p12.certificate());
    }

    @Test
    void alpnChoosesTheServersFavouriteAmongTheClientsOffer() throws Exception {
        TlsConfig config = TlsConfig.of(ca.server("a.example").pem()).withApplicationProtocols(List.of("h2", "http/1.1"));
        ClientTls offersBoth = trusting.withApplicationProtocols(List.of("http/1.1", "h2"));
        EnginePair.Outcome both = handshake(offersBoth, "a.example", config);
        assertThat(both.server().applicationProtocol()).isEqualTo("h2");
        assertThat(both.client().applicationProtocol()).isEqualTo("h2");
        ClientTls offersOne = trusting.withApplicationProtocols(List.of("foo", "http/1.1"));
        EnginePair.Outcome one = handshake(offersOne, "a.example", config);
        assertThat(one.server().applicationProtocol()).isEqualTo("http/1.1");
    }

    @Test
    void alpnRefusesAClientOfferingOnlyNamesTheServerDoesNotSpeak() throws Exception {
        TlsConfig config = TlsConfig.of(ca.server("a.example").pem()).withApplicationProtocols(List.of("h2", "http/1.1"));
        EnginePair.Outcome o = handshake(trusting.withApplicationProtocols(List.of("spdy/3", "h3")), "a.example", config);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.serverFailure()).isNotNull();
        assertThat(o.clientFailure()).hasMessageContaining("no_application_protocol");
    }

    @Test
    void aClientOfferingNoAlpnIsServedWithout() throws Exception {
        TlsConfig config = TlsConfig.of(ca.server("a.example").pem()).withApplicationProtocols(List.of("h2", "http/1.1"));
        EnginePair.Outcome o = handshake(trusting, "a.example", config);
        assertThat(o.succeeded()).isTrue();
        assertThat(o.server().applicationProtocol()).isEmpty();
    }

    @Test
    void aServerWithoutAlpnIgnoresTheClientsOffer() throws Exception {
        EnginePair.Outcome o = handshake(trusting.withApplicationProtocols(List.of("h2")), "a.example",
                TlsConfig.of(ca.server("a.example").pem()));
        assertThat(o.succeeded()).isTrue();
        assertThat(o.client().applicationProtocol()).isEmpty();
    }

    @Test
    void requiredClientAuthAcceptsATrustedClientAndShowsItsCertificate() throws Exception {
        Issued alice = ca.client("alice");
        TlsConfig config = TlsConfig.of(ca.server("a.example").pem()).withClientAuth(ClientAuth.REQUIRED, ca.trust());
        EnginePair.Outcome o = handshake(trusting.withClientCertificate(alice.pem()), "a.example", config);
        assertThat(o.succeeded()).as("%s", o).isTrue();
        assertThat(o.server().peerCertificates()).containsExactly(alice.certificate());
    }

    @Test
    void requiredClientAuthRefusesAClientWithoutACertificate() throws Exception {
        TlsConfig config = TlsConfig.of(ca.server("a.example").pem()).withClientAuth(ClientAuth.REQUIRED, ca.trust());
        EnginePair.Outcome o = handshake(trusting, "a.example", config);
        assertThat(o.serverFailure()).isNotNull();
        assertThat(o.clientFailure()).isNotNull();
    }

    @Test
    void requiredClientAuthRefusesAClientOfAnotherCa() throws Exception {
        Issued mallory = TestCertificates.create(dir.resolve("other")).client("mallory");
        TlsConfig config = TlsConfig.of(ca.server("a.example").pem()).withClientAuth(ClientAuth.REQUIRED, ca.trustStore());
        EnginePair.Outcome o = handshake(trusting.withClientCertificate(mallory.pem()), "a.example", config);
        assertThat(o.serverFailure()).isNotNull();
    }

    @Test
    void optionalClientAuthServesClientsWithAndWithoutACertificate() throws Exception {
        Issued alice = ca.client("alice");
        TlsConfig config = TlsConfig.of(ca.server("a.example").pem()).withClientAuth(ClientAuth.OPTIONAL, ca.trust());
        EnginePair.Outcome without = handshake(trusting, "a.example", config);
        assertThat(without.succeeded()).isTrue();
        assertThat(without.server().peerCertificates()).isEmpty();
        EnginePair.Outcome with = handshake(trusting.withClientCertificate(alice.pem()), "a.example", config);
        assertThat(with.server().peerCertificates()).containsExactly(alice.certificate());
    }

    @Test
    void loadNamesTheBrokenOneOfSeveralSources() {
        Issued good = ca.server("a.example");
        Issued expired = ca.expiredServer("b.example");
        assertThatThrownBy(() -> ServerTlsContext.load(TlsConfig.of(good.pem(), expired.pem())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining(expired.certificateFile().toString()).hasMessageContaining("expired on");
        Path missingCa = dir.resolve("clients-ca.pem");
        assertThatThrownBy(() -> ServerTlsContext.load(TlsConfig.of(good.pem())
                .withClientAuth(ClientAuth.REQUIRED, new TrustSource.CaFile(missingCa))))
                .isInstanceOf(TlsSetupException.class).hasMessage("CA file " + missingCa + " does not exist");
    }

    @Test
    void theContextReportsItsConfigAndCertificates() throws Exception {
        Issued a = ca.server("a.example");
        Issued b = ca.server(KeyType.RSA, "b.example");
        TlsConfig config = TlsConfig.of(a.pem(), (KeySource) b.pkcs12());
        ServerTlsContext context = ServerTlsContext.load(config);
        assertThat(context.config()).isSameAs(config);
        assertThat(context.certificates()).containsExactly(a.certificate(), b.certificate());
        assertThat(context.reloadIfChanged()).isFalse();
    }
}
