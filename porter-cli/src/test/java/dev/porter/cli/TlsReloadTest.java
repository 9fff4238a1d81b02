package dev.porter.cli;

import dev.porter.core.KeySource;
import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SIGHUP runs ({@link TlsReload#reload}) against a live HTTPS server, and what the server commands print
 * about their certificate ({@link TlsOptions.Setup#describe}): PEM, PKCS#12 and the dev certificate.
 */
class TlsReloadTest {

    @TempDir
    Path tmp;

    @Test
    void reloadGivesNewConnectionsTheRewrittenCertificateAndKeepsTheOldOneWhenTheFilesBreak() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("ca"));
        TestCertificates.Issued first = ca.server("localhost", "127.0.0.1");
        KeySource.Pem pem = new KeySource.Pem(tmp.resolve("fullchain.pem"), tmp.resolve("privkey.pem"));
        first.writePem(pem.certificateChain(), pem.privateKey());
        // No automatic file checks: only the reload under test changes the certificate.
        TlsConfig tls = TlsConfig.of(pem).withReloadCheck(Duration.ZERO);
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        try (HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).tls(tls).build(),
                new Router().get("/", (req, res) -> res.send("ok")))) {
            assertThat(TlsProbe.fingerprint("127.0.0.1", server.port())).isEqualTo(DevCertificate.fingerprint(first.certificate()));

            TestCertificates.Issued second = ca.server("localhost", "127.0.0.1");
            second.writePem(pem.certificateChain(), pem.privateKey());
            assertThat(TlsReload.reload(server::reloadTls, pem, "porter serve", out::add, err::add)).isTrue();
            String after = DevCertificate.fingerprint(second.certificate());
            assertThat(out).containsExactly("TLS certificate reloaded: SHA-256 " + after);
            assertThat(TlsProbe.fingerprint("127.0.0.1", server.port())).isEqualTo(after);

            // A key that is not the certificate's: refused, the server keeps serving the last good pair.
            ca.server("localhost").writePem(tmp.resolve("other.pem"), pem.privateKey());
            assertThat(TlsReload.reload(server::reloadTls, pem, "porter serve", out::add, err::add)).isFalse();
            assertThat(err).singleElement().asString()
                    .startsWith("porter serve: TLS certificate not reloaded, keeping the current one: ")
                    .contains("does not match").doesNotContain("\n");
            assertThat(TlsProbe.fingerprint("127.0.0.1", server.port())).isEqualTo(after);
        }
    }

    @Test
    void describesACertificateByItsNamesFileEndAndFingerprint() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("ca"));
        TestCertificates.Issued issued = ca.server("example.com", "::1");
        String fp = DevCertificate.fingerprint(issued.certificate());
        String end = issued.certificate().getNotAfter().toInstant().atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();

        TlsOptions.Setup pem = options("--cert", issued.certificateFile().toString(), "--key", issued.keyFile().toString())
                .setup(tmp.resolve("unused"), Map.of(), Instant.now());
        assertThat(pem.dev()).isNull();
        assertThat(pem.describe("curl --cacert {ca} https://localhost/")).containsExactly("TLS certificate for example.com, ::1 ("
                + issued.certificateFile() + "), valid until " + end + ", SHA-256 " + fp);
        assertThat(tmp.resolve("unused")).as("no dev certificate made").doesNotExist();

        TlsOptions.Setup p12 = options("--cert", issued.pkcs12File().toString())
                .setup(tmp.resolve("unused"), Map.of(TlsOptions.PASSWORD_VARIABLE, new String(TestCertificates.PASSWORD)), Instant.now());
        assertThat(p12.source()).isInstanceOf(KeySource.Pkcs12.class);
        assertThat(p12.describe(null)).singleElement().asString().endsWith("SHA-256 " + fp);

        // A PEM file holding both the chain and the key serves as --cert alone.
        Path both = tmp.resolve("both.pem");
        Files.writeString(both, Files.readString(issued.certificateFile()) + Files.readString(issued.keyFile()));
        TlsOptions.Setup combined = options("--cert", both.toString()).setup(tmp.resolve("unused"), Map.of(), Instant.now());
        assertThat(combined.source()).isEqualTo(new KeySource.Pem(both, both));

        TlsOptions.Setup dev = options("--tls").setup(tmp.resolve("dev"), Map.of(), Instant.now());
        List<String> lines = dev.describe("curl --cacert {ca} https://localhost:8443/");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("TLS certificate for localhost, 127.0.0.1, ::1 (new dev certificate, made in "
                + tmp.resolve("dev") + "), valid until ");
        assertThat(lines.get(1)).startsWith("Trust it: curl --cacert " + tmp.resolve("dev/dev-ca.pem") + " https://localhost:8443/");
        assertThat(options("--tls").setup(tmp.resolve("dev"), Map.of(), Instant.now()).describe(null))
                .singleElement().asString().contains("(dev certificate from " + tmp.resolve("dev") + ")");
    }

    @Test
    void aPemHoldingBothKeyAndChainIsDescribedAndReloadedWithItsFingerprintWhicheverComesFirst() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("ca"));
        TestCertificates.Issued issued = ca.server("example.com");
        String fp = DevCertificate.fingerprint(issued.certificate());
        String chain = Files.readString(issued.certificateFile());
        String key = Files.readString(issued.keyFile());
        for (String text : List.of(chain + key, key + chain)) {
            Path both = tmp.resolve("both.pem");
            Files.writeString(both, text);
            TlsOptions.Setup combined = options("--cert", both.toString()).setup(tmp.resolve("unused"), Map.of(), Instant.now());
            assertThat(combined.describe(null)).singleElement().asString()
                    .startsWith("TLS certificate for example.com (" + both + "), valid until ").endsWith("SHA-256 " + fp);
            List<String> out = new ArrayList<>();
            assertThat(TlsReload.reload(() -> { }, combined.source(), "porter serve", out::add, out::add)).isTrue();
            assertThat(out).containsExactly("TLS certificate reloaded: SHA-256 " + fp);
        }
    }

    @Test
    void theFileCheckReloadsOnceForEachChangeAndNotAgainAfterSighupLoadedIt() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("ca"));
        KeySource.Pem pem = new KeySource.Pem(tmp.resolve("fullchain.pem"), tmp.resolve("privkey.pem"));
        ca.server("localhost").writePem(pem.certificateChain(), pem.privateKey());
        TlsOptions.Setup setup = options("--cert", pem.certificateChain().toString(), "--key", pem.privateKey().toString())
                .setup(tmp.resolve("unused"), Map.of(), Instant.now());
        assertThat(setup.config().reloadCheck()).as("the core's own check, which can only log, is off").isZero();
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        List<String> reloads = new ArrayList<>();
        // A day between checks: only the calls below check.
        try (TlsFileWatch watch = TlsFileWatch.start(() -> reloads.add("reload"), pem, "porter serve", out::add, err::add,
                Duration.ofDays(1))) {
            assertThat(watch.check()).as("nothing changed").isFalse();
            Files.writeString(pem.certificateChain(), "garbage\n");
            assertThat(watch.check()).isTrue();
            assertThat(watch.check()).as("a broken file is told once").isFalse();
            TestCertificates.Issued renewed = ca.server("localhost");
            renewed.writePem(pem.certificateChain(), pem.privateKey());
            assertThat(watch.check()).isTrue();
            assertThat(reloads).hasSize(2);
            assertThat(out).last().isEqualTo("TLS certificate reloaded: SHA-256 " + DevCertificate.fingerprint(renewed.certificate()));

            ca.server("localhost").writePem(pem.certificateChain(), pem.privateKey());
            watch.seen(); // SIGHUP loads the files
            assertThat(watch.check()).as("already loaded by SIGHUP").isFalse();
        }
    }

    /** The TLS options as picocli fills them from {@code args}. */
    private static TlsOptions options(String... args) {
        @CommandLine.Command(name = "t")
        class Holder {
            @CommandLine.Mixin
            TlsOptions tls;
        }
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.tls;
    }
}
