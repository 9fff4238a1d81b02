package dev.porter.cli;

import dev.porter.core.testing.TestCertificates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --tls} on {@code serve}, {@code demo}, {@code echo} and {@code chat} as a user runs them: a forked porter
 * whose dev certificate lives in a test's own {@code XDG_DATA_HOME}, answered by curl, openssl s_client, the JDK
 * and {@code porter get}; the dev certificate made once and reused; the https redirect listener and HSTS; SIGHUP
 * reloading a rewritten certificate.
 */
class TlsServerCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Listening on https://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern DEV_LINE = Pattern.compile("TLS certificate for localhost, 127\\.0\\.0\\.1, ::1 "
            + "\\((new dev certificate, made in|dev certificate from) (.+)\\), valid until \\d{4}-\\d\\d-\\d\\d, "
            + "SHA-256 ([0-9A-F]{2}(:[0-9A-F]{2}){31})");

    @TempDir
    Path tmp;
    Path site;
    Path data;
    Map<String, String> env;

    @BeforeEach
    void site() throws IOException {
        site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        data = tmp.resolve("data");
        env = Map.of("XDG_DATA_HOME", data.toString());
    }

    private Path caFile() {
        return data.resolve("porter/tls/dev-ca.pem");
    }

    private static boolean has(String program) {
        try {
            Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a program to its end. @return {exit code, stdout, stderr} */
    private static String[] run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        String[] result = new String[3];
        Thread errReader = Thread.ofVirtual().start(() -> {
            try {
                result[2] = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                result[2] = e.toString();
            }
        });
        result[1] = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        errReader.join();
        result[0] = Integer.toString(p.exitValue());
        return result;
    }

    @Test
    void serveTlsMakesTheDevCertificateOnceOutsideTheFolderAndCurlAndPorterGetTrustIt() throws Exception {
        List<String> filesBefore = listing(site);
        String fingerprint;
        try (ServeProcess p = ServeProcess.start(tmp, env, "serve", site.toString(), "--tls", "-p", "0")) {
            int port = servedOverTls(p);
            Matcher dev = DEV_LINE.matcher(p.line(WAIT));
            assertThat(dev.matches()).as(dev.toString()).isTrue();
            assertThat(dev.group(1)).isEqualTo("new dev certificate, made in");
            assertThat(dev.group(2)).isEqualTo(data.resolve("porter/tls").toString());
            fingerprint = dev.group(3);
            assertThat(p.line(WAIT)).isEqualTo("Trust it: curl --cacert " + caFile() + " https://localhost:" + port
                    + "/   (or add it to a browser's or the system's authorities: docs/tls.md)");

            assertThat(TlsProbe.fingerprint("127.0.0.1", port)).as("the certificate served").isEqualTo(fingerprint);

            GetCommandTest.Run got = GetCommandTest.get("--cacert", caFile().toString(), "https://localhost:" + port + "/hello.txt");
            assertThat(got.code()).as(got.err()).isZero();
            assertThat(got.outText()).isEqualTo("hello\n");

            if (has("curl")) {
                String[] curl = run("curl", "-sS", "-v", "--cacert", caFile().toString(), "https://localhost:" + port + "/hello.txt");
                assertThat(curl[0]).as(curl[2]).isEqualTo("0");
                assertThat(curl[1]).isEqualTo("hello\n");
                // HTTP/2 is on by default: ALPN prefers h2 over http/1.1 (RFC 9113 §3.2).
                assertThat(curl[2]).contains("ALPN: server accepted h2", "subjectAltName: host \"localhost\" matched");
                String[] byAddress = run("curl", "-sS", "--cacert", caFile().toString(), "https://127.0.0.1:" + port + "/hello.txt");
                assertThat(byAddress[0]).as(byAddress[2]).isEqualTo("0");
                String[] untrusted = run("curl", "-sS", "https://localhost:" + port + "/hello.txt");
                assertThat(untrusted[0]).as("curl without the CA").isEqualTo("60");
            }
        }
        assertThat(listing(site)).as("nothing written into the served folder").isEqualTo(filesBefore);
        assertThat(listing(data.resolve("porter/tls")))
                .contains("dev-ca.pem", "dev-ca-key.pem", "localhost.pem", "localhost-key.pem");

        // The second start reuses it: the same certificate, said so.
        try (ServeProcess p = ServeProcess.start(tmp, env, "serve", site.toString(), "--tls", "-p", "0")) {
            int port = servedOverTls(p);
            Matcher dev = matched(DEV_LINE, p.line(WAIT));
            assertThat(dev.group(1)).isEqualTo("dev certificate from");
            assertThat(dev.group(3)).isEqualTo(fingerprint);
            assertThat(TlsProbe.fingerprint("localhost", port)).isEqualTo(fingerprint);
        }
    }

    @Test
    void redirectHttpAnswers308ToHttpsAndHstsIsSentOverTlsOnly() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, env, "serve", site.toString(), "--tls", "-p", "0",
                "--redirect-http", "0", "--hsts", "600")) {
            int port = servedOverTls(p);
            Matcher redirect = matched(Pattern.compile("Redirecting http://127\\.0\\.0\\.1:(\\d+)/ to https"), p.line(WAIT));
            int httpPort = Integer.parseInt(redirect.group(1));
            assertThat(p.line(WAIT)).startsWith("TLS certificate for localhost");

            HttpClient jdk = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> moved = jdk.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/hello.txt?x=1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(moved.statusCode()).isEqualTo(308);
            assertThat(moved.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + port + "/hello.txt?x=1");
            assertThat(moved.headers().firstValue("Strict-Transport-Security")).as("never over plain http").isEmpty();

            GetCommandTest.Run head = GetCommandTest.get("-I", "--cacert", caFile().toString(), "https://localhost:" + port + "/hello.txt");
            assertThat(head.code()).as(head.err()).isZero();
            // ALPN settles on h2 by default: the head is HTTP/2's, its field names lower case.
            assertThat(head.outText()).contains("HTTP/2 200\r\n", "strict-transport-security: max-age=600\r\n");

            // -L follows the redirect from http to https.
            GetCommandTest.Run followed = GetCommandTest.get("-L", "--cacert", caFile().toString(),
                    "http://localhost:" + httpPort + "/hello.txt");
            assertThat(followed.code()).as(followed.err()).isZero();
            assertThat(followed.outText()).isEqualTo("hello\n");
        }
    }

    @Test
    void sighupReloadsARewrittenCertificateForNewConnections() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("ca"));
        TestCertificates.Issued first = ca.server("localhost", "127.0.0.1");
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        Path cert = keys.resolve("fullchain.pem");
        Path key = keys.resolve("privkey.pem");
        first.writePem(cert, key);
        String before = DevCertificate.fingerprint(first.certificate());
        // SIGHUP set back to its default for porter, so the test holds when the test run itself ignores it (nohup).
        try (ServeProcess p = ServeProcess.start(tmp, env, List.of("env", "--default-signal=HUP"), "serve",
                site.toString(), "--cert", cert.toString(), "--key", key.toString(), "-p", "0", "-q")) {
            int port = servedOverTls(p);
            String line = p.line(WAIT);
            assertThat(line).startsWith("TLS certificate for localhost, 127.0.0.1 (" + cert + "), valid until ");
            assertThat(TlsProbe.fingerprintIn(line)).isEqualTo(before);
            assertThat(TlsProbe.fingerprint("127.0.0.1", port)).isEqualTo(before);
            assertThat(data).as("no dev certificate made when --cert is given").doesNotExist();

            try (SSLSocket open = TlsProbe.connect(ca.caFile(), "localhost", port)) {
                TestCertificates.Issued renewed = ca.server("localhost", "127.0.0.1");
                renewed.writePem(cert, key);
                String after = DevCertificate.fingerprint(renewed.certificate());
                p.signal("HUP");
                assertThat(p.line(WAIT)).isEqualTo("TLS certificate reloaded: SHA-256 " + after);
                assertThat(TlsProbe.fingerprint("127.0.0.1", port)).as("a new connection").isEqualTo(after);
                assertThat(DevCertificate.fingerprint((java.security.cert.X509Certificate) open.getSession().getPeerCertificates()[0]))
                        .as("the connection opened before keeps its certificate").isEqualTo(before);
                open.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(open.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .startsWith("HTTP/1.1 200 OK").endsWith("hello\n");
            }

            // A broken rewrite: one line on stderr, and the good certificate stays.
            Files.writeString(cert, "garbage\n");
            p.signal("HUP");
            assertThat(p.errLine(WAIT)).startsWith("porter serve: TLS certificate not reloaded, keeping the current one: ")
                    .contains(cert.toString());
            assertThat(p.process.isAlive()).isTrue();
        }
    }

    @Test
    void aCertificateFileRewrittenWithoutSighupIsReloadedAndToldInOneLineAsSighupTellsIt() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("ca"));
        Path both = Files.createDirectories(tmp.resolve("keys")).resolve("both.pem");
        replace(both, ca.server("localhost", "127.0.0.1"));
        try (ServeProcess p = ServeProcess.start(tmp, env, "serve", site.toString(), "--cert", both.toString(),
                "-p", "0", "-q")) {
            int port = servedOverTls(p);
            assertThat(p.line(WAIT)).startsWith("TLS certificate for localhost, 127.0.0.1 (" + both + ")");

            TestCertificates.Issued renewed = ca.server("localhost", "127.0.0.1");
            replace(both, renewed);
            String after = DevCertificate.fingerprint(renewed.certificate());
            // The files are checked every 10 s: a line within the wait, not two lines of java.util.logging.
            assertThat(p.line(WAIT)).isEqualTo("TLS certificate reloaded: SHA-256 " + after);
            assertThat(TlsProbe.fingerprint("127.0.0.1", port)).isEqualTo(after);

            Files.writeString(both, "garbage\n");
            assertThat(p.errLine(WAIT)).startsWith("porter serve: TLS certificate not reloaded, keeping the current one: ")
                    .contains(both.toString());
            assertThat(TlsProbe.fingerprint("127.0.0.1", port)).isEqualTo(after);
            assertThat(p.process.isAlive()).isTrue();
        }
    }

    /** Writes the chain and key of {@code issued} into {@code file} at once, as a renewal script should. */
    private static void replace(Path file, TestCertificates.Issued issued) throws IOException {
        Path tmpFile = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmpFile, Files.readString(issued.certificateFile()) + Files.readString(issued.keyFile()));
        Files.move(tmpFile, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void sighupIgnoredUnderNohupIsSaidAtStartAndTheServerStillServes() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, env, List.of("nohup"), "serve", site.toString(), "--tls",
                "-p", "0", "-q")) {
            assertThat(p.errLine(WAIT)).isEqualTo("porter serve: note: SIGHUP cannot be caught here (SIGHUP is ignored in "
                    + "this process, as under nohup); certificates still reload when their files change");
            servedOverTls(p);
            assertThat(p.process.isAlive()).isTrue();
        }
    }

    @Test
    void echoOverTlsAnswersOpensslSClient() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, env, "echo", "--tls", "-p", "0")) {
            String first = p.line(WAIT);
            assertThat(first).matches("Listening on tls://127\\.0\\.0\\.1:\\d+");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            assertThat(p.line(WAIT)).matches(DEV_LINE.pattern());
            assertThat(p.line(WAIT)).startsWith("Trust it: openssl s_client -quiet -CAfile " + caFile() + " -connect localhost:" + port);

            if (opensslWorks()) {
                Process s = new ProcessBuilder("openssl", "s_client", "-quiet", "-verify_return_error", "-CAfile",
                        caFile().toString(), "-connect", "localhost:" + port).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    OutputStream in = s.getOutputStream();
                    in.write("hello over tls\n".getBytes(StandardCharsets.US_ASCII));
                    in.flush();
                    BufferedReader out = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    assertThat(out.readLine()).isEqualTo("hello over tls");
                } finally {
                    s.destroy();
                    s.waitFor(10, TimeUnit.SECONDS);
                }
            }
            // The JDK's client, host name checked against the dev certificate.
            try (SSLSocket s = TlsProbe.connect(caFile(), "localhost", port)) {
                s.getOutputStream().write("from the jdk\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine())
                        .isEqualTo("from the jdk");
            }
            p.process.toHandle().destroy();
            assertThat(p.exit(WAIT)).isEqualTo(128 + 15);
        }
    }

    @Test
    void chatAndDemoSpeakTlsToo() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, env, "chat", "--tls", "-p", "0")) {
            String first = p.line(WAIT);
            assertThat(first).matches("Listening on tls://127\\.0\\.0\\.1:\\d+");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            try (SSLSocket s = TlsProbe.connect(caFile(), "localhost", port)) {
                assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine())
                        .startsWith("* welcome, you are guest1");
            }
        }
        try (ServeProcess p = ServeProcess.start(tmp, env, "demo", "--tls", "-p", "0")) {
            String first = p.line(WAIT);
            assertThat(first).as("scheme visible; the port still last, after a colon").matches("Listening on https://127\\.0\\.0\\.1:\\d+");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            assertThat(p.line(WAIT)).matches(DEV_LINE.pattern());
            GetCommandTest.Run got = GetCommandTest.get("--cacert", caFile().toString(), "https://localhost:" + port + "/plaintext");
            assertThat(got.code()).as(got.err()).isZero();
            assertThat(got.outText()).isEqualTo("Hello, World!");
        }
    }

    private static boolean opensslWorks() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads serve's first two lines, {@code Listening on https://…} and {@code Serving DIR}. @return the port */
    private int servedOverTls(ServeProcess p) throws InterruptedException {
        int port = Integer.parseInt(matched(LISTENING, p.line(WAIT)).group(1));
        assertThat(p.line(WAIT)).isEqualTo("Serving " + site);
        return port;
    }

    private static Matcher matched(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line == null ? "<end of output>" : line);
        assertThat(m.matches()).as(line + " matches " + pattern).isTrue();
        return m;
    }

    private static List<String> listing(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(f -> names.add(dir.relativize(f).toString()));
        }
        names.sort(null);
        return names;
    }
}
