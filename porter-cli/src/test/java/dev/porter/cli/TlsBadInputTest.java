package dev.porter.cli;

import dev.porter.core.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bad TLS input at start-up, as the CLI shows it: a missing or unreadable key or certificate, a key that is not the
 * certificate's, an expired certificate, a key the server would hand out with the files. Each is one line on
 * stderr and exit 1 (a bad combination of options: exit 2), never a stack trace, and nothing starts.
 */
@Timeout(60) // a case that wrongly started a server would block in awaitStop: interrupted, it fails instead
class TlsBadInputTest {

    @TempDir
    static Path tmp;
    static Path site;
    static TestCertificates ca;
    static TestCertificates.Issued good;
    static TestCertificates.Issued other;
    static TestCertificates.Issued expired;

    @BeforeAll
    static void certificates() throws IOException {
        site = Files.createDirectories(tmp.resolve("site"));
        ca = TestCertificates.create(tmp.resolve("ca"));
        good = ca.server("localhost", "127.0.0.1");
        other = ca.server("localhost");
        expired = ca.expiredServer("localhost");
    }

    /** Runs serve, demo and echo with {@code tlsArgs} and checks each fails with one line containing {@code text}. */
    private static void failsEverywhere(String text, String... tlsArgs) {
        for (String[] command : new String[][] {{"serve", site.toString()}, {"demo"}, {"echo"}, {"chat"}}) {
            String[] args = new String[command.length + 2 + tlsArgs.length];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "-p";
            args[command.length + 1] = "0";
            System.arraycopy(tlsArgs, 0, args, command.length + 2, tlsArgs.length);
            Cli.Result r = Cli.run(args);
            String prefix = command[0].equals("serve") ? "porter serve: " : command[0].equals("demo") ? "porter demo: " : "porter: ";
            assertThat(r.exitCode()).as(command[0] + ": " + r.err()).isEqualTo(ExitCode.FAILURE.code());
            assertThat(r.out()).as(command[0]).isEmpty();
            assertThat(r.err()).as(command[0]).startsWith(prefix).contains(text).doesNotContain("Exception", "\tat ");
            assertThat(r.err().lines()).as(command[0]).hasSize(1);
        }
    }

    @Test
    void aMissingCertificateOrKeyFile() {
        Path missing = tmp.resolve("missing.pem");
        failsEverywhere(missing + " does not exist", "--cert", missing.toString(), "--key", good.keyFile().toString());
        failsEverywhere(missing + " does not exist", "--cert", good.certificateFile().toString(), "--key", missing.toString());
    }

    @Test
    void aKeyFileThatIsADirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a-directory.pem"));
        failsEverywhere(dir + " is a directory", "--cert", good.certificateFile().toString(), "--key", dir.toString());
    }

    @Test
    void aKeyFileWithoutReadPermission() throws IOException {
        Path locked = tmp.resolve("locked-key.pem");
        Files.copy(good.keyFile(), locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(locked), "running as root: every file is readable");
        failsEverywhere("is not readable (permission denied)", "--cert", good.certificateFile().toString(), "--key", locked.toString());
    }

    @Test
    void aKeyThatIsNotTheCertificates() {
        failsEverywhere("does not match", "--cert", good.certificateFile().toString(), "--key", other.keyFile().toString());
    }

    @Test
    void anExpiredCertificate() {
        failsEverywhere("expired on", "--cert", expired.certificateFile().toString(), "--key", expired.keyFile().toString());
    }

    @Test
    void aFileThatIsNoCertificate() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.pem"), "not a certificate\n");
        failsEverywhere(text.toString(), "--cert", text.toString(), "--key", good.keyFile().toString());
    }

    @Test
    void aPkcs12StoreWithAPasswordGivenNoneSaysWhereThePasswordGoes() {
        // PORTER_TLS_PASSWORD is not set in the test JVM: the empty password does not open the store. The message
        // was "wrong password", though none was given, and named no way to give one.
        assumeTrue(System.getenv(TlsOptions.PASSWORD_VARIABLE) == null);
        failsEverywhere("has a password: give it in $PORTER_TLS_PASSWORD", "--cert", good.pkcs12File().toString());
    }

    @Test
    void aKeyInsideTheServedFolderIsRefusedUnlessHidden() throws IOException {
        Path cert = site.resolve("cert.pem");
        Path key = site.resolve("key.pem");
        good.writePem(cert, key);
        try {
            Cli.Result r = Cli.run("serve", site.toString(), "-p", "0", "--cert", cert.toString(), "--key", key.toString());
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("porter serve: the TLS key " + key + " would be served from " + site
                    + "; move it out of the folder" + System.lineSeparator());

            // Behind a dotfile name it is not served (404) by default, but with --dotfiles it would be.
            Path hidden = Files.createDirectories(site.resolve(".tls"));
            good.writePem(hidden.resolve("cert.pem"), hidden.resolve("key.pem"));
            Cli.Result dotfiles = Cli.run("serve", site.toString(), "-p", "0", "--dotfiles",
                    "--cert", hidden.resolve("cert.pem").toString(), "--key", hidden.resolve("key.pem").toString());
            assertThat(dotfiles.exitCode()).isEqualTo(1);
            assertThat(dotfiles.err()).contains("would be served");
        } finally {
            Files.delete(cert);
            Files.delete(key);
        }
    }

    @Test
    void theDevCertificateIsNeverServed() {
        Path devDir = DevCertificate.directory();
        // Serving the home directory with dotfiles shown would expose ~/.porter/tls: refused before anything is made.
        Path home = devDir.getParent().getParent();
        assumeTrue(Files.isDirectory(home));
        Cli.Result r = Cli.run("serve", home.toString(), "--tls", "--dotfiles", "-p", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("porter serve: the dev certificate's key (in " + devDir + ") would be served from "
                + home.toAbsolutePath().normalize());
    }

    @Test
    void hstsWithoutSecondsLeavesTheFolderThatFollowsItAsTheFolder() {
        // "porter serve --tls --hsts site" read "site" as the optional SECONDS: "'site' is not a long".
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("--tls", "--hsts", site.toString());
        assertThat(serve.dirArgument).isEqualTo(site);
        assertThat(serve.https.hstsSeconds).isEqualTo(HttpsOptions.DEFAULT_HSTS_SECONDS);

        ServeCommand withAge = new ServeCommand();
        new picocli.CommandLine(withAge).parseArgs("--tls", "--hsts", "600", site.toString());
        assertThat(withAge.https.hstsSeconds).isEqualTo(600);
        assertThat(withAge.dirArgument).isEqualTo(site);

        ServeCommand attached = new ServeCommand();
        new picocli.CommandLine(attached).parseArgs("--tls", "--hsts=60", site.toString());
        assertThat(attached.https.hstsSeconds).isEqualTo(60);
    }

    @Test
    void optionsThatNeedTlsWithoutItAreUsageErrors() {
        for (String[] args : new String[][] {
                {"serve", site.toString(), "--redirect-http", "8080"},
                {"serve", site.toString(), "--hsts"},
                {"demo", "--hsts", "60"},
                {"demo", "--redirect-http", "0"},
                {"echo", "--key", good.keyFile().toString()},
                {"serve", site.toString(), "--tls", "--hsts", "-5"},
                {"serve", site.toString(), "--tls", "--redirect-http", "70000"},
                {"serve", site.toString(), "--cert", good.pkcs12File().toString(), "--key", good.keyFile().toString()},
        }) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(ExitCode.USAGE.code());
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        }
        assertThat(Cli.run("serve", site.toString(), "--hsts").err()).contains("--hsts needs --tls (or --cert)");
        assertThat(Cli.run("echo", "--key", "k.pem").err()).contains("--key needs --cert");
    }
}
