package dev.porter.http;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * testssl.sh (Debian's {@code testssl.sh} package, command {@code testssl}) scans {@link HttpServer} over TLS with
 * its default configuration: protocols, cipher categories and order, forward secrecy, server defaults, HTTP
 * headers, the known vulnerabilities (Heartbleed, ROBOT, renegotiation, CRIME, BREACH, POODLE, SWEET32, FREAK,
 * DROWN, LOGJAM, BEAST, LUCKY13, RC4…), every cipher, and client simulations. No finding may be of severity HIGH
 * or CRITICAL. Skipped when testssl is not installed ({@code .ci/run} installs it). Takes about 90 s on a 2-core
 * machine; {@code scripts/testssl} runs the same scan by hand.
 *
 * <p>The certificate is shaped like a public CA's ({@link TestCertificates#publicServer}: 90 days, a CRL URL) and
 * the CA is given to testssl ({@code --add-ca}), so that what is graded is the server, not a test certificate's
 * short life or missing revocation information.
 */
class TestsslScanTest {

    private static final Pattern FINDING = Pattern.compile("\\{[^{}]*\"severity\"\\s*:\\s*\"(HIGH|CRITICAL)\"[^{}]*}");

    @TempDir
    Path dir;

    @Test
    void testsslFindsNothingOfSeverityHighOrCritical() throws Exception {
        Path testssl = ExternalTool.find("testssl");
        if (testssl == null) testssl = ExternalTool.find("testssl.sh");
        assumeTrue(testssl != null, "testssl.sh is not installed; skipping (.ci/run installs it)");
        TestCertificates ca = TestCertificates.create(dir.resolve("ca"));
        TlsConfig tls = TlsConfig.of(ca.publicServer("localhost", "127.0.0.1").pem());
        try (HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).tls(tls).build(),
                (req, res) -> res.send("Porter over " + req.tls().orElseThrow().protocol() + "\n"))) {
            Path json = dir.resolve("testssl.json");
            long start = System.nanoTime();
            ExternalTool.Result r = ExternalTool.run(List.of(testssl.toString(), "--quiet", "--color", "0",
                    "--severity", "HIGH", "--warnings", "off", "--openssl-timeout", "10", "--jsonfile", json.toString(),
                    "--add-ca", ca.caFile().toString(), "--ip", "127.0.0.1", "https://localhost:" + server.port() + "/"),
                    dir, Duration.ofMinutes(10));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            System.out.println("testssl: exit " + r.exit() + " after " + seconds + " s\n" + r.stdout());
            assertThat(json).as("testssl's JSON report\n" + r.stdout() + r.stderr()).exists();
            String report = Files.readString(json);
            List<String> high = new ArrayList<>();
            for (Matcher m = FINDING.matcher(report); m.find(); ) high.add(m.group().replaceAll("\\s+", " "));
            assertThat(high).as("findings of severity HIGH or CRITICAL\n" + r.stdout()).isEmpty();
            // The report is complete: the scan reached its last sections.
            assertThat(r.stdout()).contains("Testing vulnerabilities").contains("Running client simulations")
                    .contains("Done ");
        }
    }
}
