package dev.porter.core;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A protocol that is not HTTP runs over TLS unchanged: the core {@link Server} with a line echo, driven by
 * {@code openssl s_client} (skipped when openssl is missing; {@code .ci/run} installs it). Lines come back as
 * sent, over TLS 1.3 and 1.2, a megabyte of them intact; the conversation sees the handshake's result; a parking
 * echo resumes after each park.
 */
class TlsEchoOpensslTest {

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static Server server;

    /** Echoes lines; "tls?" answers the handshake's result; "bye" ends the conversation (the server closes). */
    private static final Protocol ECHO = c -> {
        for (String line; (line = c.readLine()) != null; ) {
            if (line.equals("bye")) {
                c.writeLine("bye");
                c.flush();
                return;
            }
            if (line.equals("tls?")) {
                TlsInfo t = c.tls().orElseThrow();
                c.writeLine("tls " + t.protocol() + " " + t.serverName());
            } else {
                c.writeLine(line);
            }
            if (!c.hasBufferedInput()) {
                c.flush();
                c.parkUntilReadable(); // idle between lines: no thread, no buffers
                return;
            }
        }
    };

    @BeforeAll
    static void start() throws IOException {
        ca = TestCertificates.create(dir.resolve("ca"));
        TlsConfig tls = TlsConfig.of(ca.server("localhost", "127.0.0.1").pem());
        server = Server.start(ServerConfig.of("127.0.0.1", 0).withTls(tls), ECHO);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(Duration.ofSeconds(1));
    }

    private static Path openssl() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "openssl");
            if (Files.isExecutable(p)) return p;
        }
        assumeTrue(false, "openssl is not installed; skipping (.ci/run installs it)");
        return null;
    }

    /** Runs s_client sending {@code input}; it reads until the server closes. @return its standard output */
    private static String sClient(String input, String... options) throws IOException, InterruptedException {
        Path in = Files.writeString(Files.createTempFile(dir, "in", ".txt"), input, StandardCharsets.US_ASCII);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new ArrayList<>(List.of(openssl().toString(), "s_client", "-connect",
                "127.0.0.1:" + server.port(), "-servername", "localhost", "-CAfile", ca.caFile().toString(),
                "-verify_return_error", "-ign_eof", "-quiet"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("openssl s_client did not finish: " + Files.readString(err));
        }
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.US_ASCII);
    }

    @Test
    void opensslTalksToAnEchoOverTls13() throws Exception {
        String out = sClient("hello\r\ntls?\r\nworld\r\nbye\r\n", "-tls1_3");
        assertThat(out).isEqualTo("hello\r\ntls TLSv1.3 localhost\r\nworld\r\nbye\r\n");
    }

    @Test
    void opensslTalksToAnEchoOverTls12() throws Exception {
        String out = sClient("tls?\r\nbye\r\n", "-tls1_2");
        assertThat(out).isEqualTo("tls TLSv1.2 localhost\r\nbye\r\n");
    }

    @Test
    void aMegabyteOfLinesComesBackIntact() throws Exception {
        Random random = new Random(9);
        StringBuilder sent = new StringBuilder();
        Base64.Encoder b64 = Base64.getEncoder();
        while (sent.length() < 1 << 20) {
            byte[] b = new byte[random.nextInt(1, 3000)];
            random.nextBytes(b);
            sent.append(b64.encodeToString(b)).append("\r\n");
        }
        String out = sClient(sent + "bye\r\n");
        assertThat(out).hasSize(sent.length() + 5);
        assertThat(out).isEqualTo(sent + "bye\r\n");
        Await.until("the connection closed after bye", () -> server.stats().active() == 0);
    }
}
