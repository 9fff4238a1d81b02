package dev.porter.core.internal.tls;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsConfig;
import dev.porter.core.TlsSetupException;
import dev.porter.core.testing.TestCertificates;
import dev.porter.core.testing.TestCertificates.Issued;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static dev.porter.core.internal.tls.ServerTlsContextTest.presented;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** New connections get renewed certificates; connections already begun keep theirs; a bad renewal changes nothing. */
class ServerTlsContextReloadTest {

    @TempDir
    Path dir;
    TestCertificates ca;
    Issued original;
    ServerTlsContext context;
    ClientTlsContext client;

    @BeforeEach
    void start() throws TlsSetupException {
        ca = TestCertificates.create(dir);
        original = ca.server("a.example");
        context = ServerTlsContext.load(TlsConfig.of(original.pem()));
        client = ClientTlsContext.of(ClientTls.defaults().withTrust(ca.trust()));
    }

    /** Rewrites the served files in place, as a renewal does, and moves their clock on past coarse timestamps. */
    private void renewWith(Issued replacement) throws IOException {
        replacement.writePem(original.certificateFile(), original.keyFile());
        for (Path f : original.pem().files()) {
            Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 2_000));
        }
    }

    private EnginePair.Outcome connect(SSLEngine server) {
        return EnginePair.handshake(client.newEngine("a.example", 443), server);
    }

    @Test
    void unchangedFilesAreNotReloaded() throws Exception {
        assertThat(context.reloadIfChanged()).isFalse();
        assertThat(context.reloadIfChanged()).isFalse();
    }

    @Test
    void renewedFilesReachNewEnginesWhileAnEarlierEngineKeepsTheOldCertificate() throws Exception {
        SSLEngine before = context.newEngine();
        Issued renewed = ca.server("a.example");
        renewWith(renewed);

        assertThat(context.reloadIfChanged()).isTrue();
        assertThat(context.reloadIfChanged()).isFalse();
        assertThat(context.certificates()).containsExactly(renewed.certificate());
        assertThat(presented(connect(context.newEngine()))).isEqualTo(renewed.certificate());
        assertThat(presented(connect(before))).isEqualTo(original.certificate());
    }

    @Test
    void aBrokenRenewalKeepsTheOldMaterialAndIsReportedOnce() throws Exception {
        // Half a renewal: the new certificate without its key.
        Issued renewed = ca.server("a.example");
        Files.write(original.certificateFile(), Files.readAllBytes(renewed.certificateFile()));
        Files.setLastModifiedTime(original.certificateFile(), FileTime.fromMillis(System.currentTimeMillis() + 2_000));

        assertThatThrownBy(context::reloadIfChanged).isInstanceOf(TlsSetupException.class)
                .hasMessage("the certificate in " + original.certificateFile() + " does not match the private key in "
                        + original.keyFile());
        assertThat(context.reloadIfChanged()).as("not retried until the files change again").isFalse();
        assertThat(presented(connect(context.newEngine()))).isEqualTo(original.certificate());

        // The rest of the renewal arrives: now it loads.
        renewWith(renewed);
        assertThat(context.reloadIfChanged()).isTrue();
        assertThat(presented(connect(context.newEngine()))).isEqualTo(renewed.certificate());
    }

    @Test
    void aDeletedKeyFileKeepsTheOldMaterial() throws Exception {
        Files.delete(original.keyFile());
        assertThatThrownBy(context::reloadIfChanged).isInstanceOf(TlsSetupException.class)
                .hasMessage("TLS key file " + original.keyFile() + " does not exist");
        assertThat(presented(connect(context.newEngine()))).isEqualTo(original.certificate());
    }

    @Test
    void reloadLoadsEvenWhenNothingSeemsChanged() throws Exception {
        // A renewal that kept size and time (a copy with -p, say) is missed by the check; SIGHUP's reload is not.
        FileTime certTime = Files.getLastModifiedTime(original.certificateFile());
        FileTime keyTime = Files.getLastModifiedTime(original.keyFile());
        Issued renewed = ca.server("a.example");
        renewed.writePem(original.certificateFile(), original.keyFile());
        Files.setLastModifiedTime(original.certificateFile(), certTime);
        Files.setLastModifiedTime(original.keyFile(), keyTime);

        context.reload();
        assertThat(presented(connect(context.newEngine()))).isEqualTo(renewed.certificate());
    }
}
