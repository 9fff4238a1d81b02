package dev.porter.core.internal.tls;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsConfig;
import dev.porter.core.TlsSetupException;
import dev.porter.core.TrustSource;
import dev.porter.core.testing.TestCertificates;
import dev.porter.core.testing.TestCertificates.Issued;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import java.nio.file.Path;
import java.util.List;

import static dev.porter.core.internal.tls.ServerTlsContextTest.handshake;
import static dev.porter.core.internal.tls.ServerTlsContextTest.presented;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client engines: trust, host-name verification, SNI, and the client certificate. */
class ClientTlsContextTest {

    @TempDir
    Path dir;
    TestCertificates ca;
    ClientTls trusting;

    @BeforeEach
    void makeCa() {
        ca = TestCertificates.create(dir);
        trusting = ClientTls.defaults().withTrust(ca.trust());
    }

    @Test
    void enginesAreClientModeTls13And12WithHostNameVerificationAndSni() throws Exception {
        ClientTlsContext context = ClientTlsContext.of(trusting.withApplicationProtocols(List.of("h2", "http/1.1")));
        assertThat(context.config().trust()).isEqualTo(ca.trust());
        SSLEngine engine = context.newEngine("Example.COM.", 8443);
        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(engine.getPeerHost()).isEqualTo("example.com");
        assertThat(engine.getPeerPort()).isEqualTo(8443);
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(engine.getSSLParameters().getServerNames()).containsExactly(new SNIHostName("example.com"));
        assertThat(engine.getSSLParameters().getApplicationProtocols()).containsExactly("h2", "http/1.1");
    }

    @Test
    void anIpLiteralIsSentNoSniButStillVerified() throws Exception {
        ClientTlsContext context = ClientTlsContext.of(trusting);
        for (String ip : List.of("127.0.0.1", "[::1]", "::1")) {
            SSLEngine engine = context.newEngine(ip, 443);
            assertThat(engine.getSSLParameters().getServerNames()).as(ip).isEmpty();
            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        }
        Issued server = ca.server("localhost", "127.0.0.1", "::1");
        assertThat(presented(handshake(trusting, "127.0.0.1", TlsConfig.of(server.pem())))).isEqualTo(server.certificate());
        assertThat(presented(handshake(trusting, "[::1]", TlsConfig.of(server.pem())))).isEqualTo(server.certificate());
        assertThat(handshake(trusting, "127.0.0.2", TlsConfig.of(server.pem())).clientFailure()).isNotNull();
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        EnginePair.Outcome o = handshake(trusting, "b.example", TlsConfig.of(ca.server("a.example").pem()));
        assertThat(o.succeeded()).isFalse();
        assertThat(o.clientFailure()).hasMessageContaining("b.example");
    }

    @Test
    void theJdkTrustStoreDoesNotTrustATestCa() throws Exception {
        EnginePair.Outcome o = handshake(ClientTls.defaults(), "a.example", TlsConfig.of(ca.server("a.example").pem()));
        assertThat(o.clientFailure()).isNotNull();
    }

    @Test
    void aTrustStoreServesLikeACaFile() throws Exception {
        Issued server = ca.server("a.example");
        ClientTls viaStore = ClientTls.defaults().withTrust(ca.trustStore());
        assertThat(presented(handshake(viaStore, "a.example", TlsConfig.of(server.pem())))).isEqualTo(server.certificate());
    }

    @Test
    void trustAllAcceptsAnyCertificateForAnyHost() throws Exception {
        Issued stranger = TestCertificates.create(dir.resolve("other")).server("elsewhere.example");
        ClientTls insecure = ClientTls.defaults().withTrust(new TrustSource.TrustAll());
        assertThat(ClientTlsContext.of(insecure).newEngine("a.example", 443).getSSLParameters()
                .getEndpointIdentificationAlgorithm()).isNull();
        assertThat(presented(handshake(insecure, "a.example", TlsConfig.of(stranger.pem()))))
                .isEqualTo(stranger.certificate());
    }

    @Test
    void aNameSniCannotCarryIsVerifiedWithoutSni() throws Exception {
        SSLEngine engine = ClientTlsContext.of(trusting).newEngine("under_score.example", 443);
        assertThat(engine.getSSLParameters().getServerNames()).isEmpty();
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void aBrokenClientCertificateFailsNamingItsFile() {
        Issued expired = ca.expiredServer("me");
        assertThatThrownBy(() -> ClientTlsContext.of(trusting.withClientCertificate(expired.pem())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("the TLS certificate in " + expired.certificateFile() + " expired on");
        Path missing = dir.resolve("no-ca.pem");
        assertThatThrownBy(() -> ClientTlsContext.of(ClientTls.defaults().withTrust(new TrustSource.CaFile(missing))))
                .isInstanceOf(TlsSetupException.class).hasMessage("CA file " + missing + " does not exist");
    }
}
