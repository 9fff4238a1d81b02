package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.porter.core.testing.TestServers;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped deploy/ files pass their own tools' checks (the balancers also run them in HaproxyTest, NginxFrontTest). */
class DeployFilesTest {

    static Path deploy(String name) {
        return Path.of(System.getProperty("user.dir")).getParent().resolve("deploy").resolve(name);
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }

    @Test
    void haproxyCfgIsValid() throws Exception {
        Path haproxy = Backends.require("haproxy");
        String out = run(deploy("").toAbsolutePath(), haproxy.toString(), "-c", "-f", deploy("haproxy.cfg").toString());
        assertThat(out).contains("Configuration file is valid").doesNotContain("WARNING");
    }

    @Test
    void theSystemdUnitVerifies(@TempDir Path dir) throws Exception {
        Path analyze = Backends.require("systemd-analyze");
        // Only ExecStart's program changes: the repository's launcher instead of the package's /usr/bin/porter.
        Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("porter").toAbsolutePath();
        String unit = Files.readString(deploy("porter@.service")).replace("/usr/bin/porter ", launcher + " ");
        Files.writeString(dir.resolve("porter@.service"), unit);
        Files.createSymbolicLink(dir.resolve("porter@8081.service"), dir.resolve("porter@.service"));
        String out = run(dir, analyze.toString(), "verify", "--man=no", dir.resolve("porter@8081.service").toString());
        assertThat(out).doesNotContain("porter@");
    }

    @Test
    void theSystemdUnitRunsThePorterThePackagesInstall() throws Exception {
        // docs/install.md: the .deb puts the launcher at /opt/porter/bin/porter, linked from /usr/bin/porter.
        assertThat(Files.readString(deploy("").resolveSibling("docs").resolve("install.md")))
                .contains("`/usr/bin/porter` → `/opt/porter/bin/porter`");
        assertThat(Files.readAllLines(deploy("porter@.service"))).filteredOn(l -> l.startsWith("ExecStart="))
                .singleElement().asString().startsWith("ExecStart=/usr/bin/porter ");
    }

    @Test
    void theSystemdUnitsJvmExitsOnOutOfMemorySoThatSystemdRestartsIt() throws Exception {
        // After an OutOfMemoryError the accepting thread may be dead: a process that serves nothing but never fails,
        // which Restart=on-failure cannot see (found by an HTTP/2 flood that left such a process behind).
        List<String> unit = Files.readAllLines(deploy("porter@.service"));
        assertThat(unit).contains("Restart=on-failure");
        assertThat(unit).filteredOn(l -> l.startsWith("Environment=") && l.contains("PORTER_JAVA_OPTS="))
                .singleElement().asString().contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void theSystemdUnitsLocaleLetsPorterServeNonAsciiFileNames(@TempDir Path dir) throws Exception {
        // systemd starts a service with no LANG: the JVM then decodes file names as ASCII, so café.txt is a 400 and
        // missing from listings (found by a browser journey). The unit sets a UTF-8 locale.
        String lang = Files.readAllLines(deploy("porter@.service")).stream()
                .filter(l -> l.startsWith("Environment=LANG=")).findFirst().orElseThrow()
                .substring("Environment=LANG=".length());
        // The name written by the shell, whatever locale this test runs in: c a f U+00E9 in UTF-8.
        Process touch = new ProcessBuilder("sh", "-c", "printf hi > \"$(printf 'caf\\303\\251.txt')\"")
                .directory(dir.toFile()).start();
        assertThat(touch.waitFor()).isZero();
        assertThat(statusOf(null, dir)).as("no locale, as systemd without the line").isEqualTo(400);
        assertThat(statusOf(lang, dir)).as("the unit's locale").isEqualTo(200);
    }

    /** @return the status of GET /café.txt from {@code porter serve dir} started with LANG={@code lang} (null: none) */
    private static int statusOf(String lang, Path dir) throws Exception {
        try (PorterProcess porter = PorterProcess.startWithLocale(new PorterProcess.Locale(false, lang),
                "serve", dir.toString(), "-p", "0", "--quiet")) {
            int port = porter.listeningPort("http");
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout((int) TestServers.TIMEOUT.toMillis());
                s.getOutputStream().write("GET /caf%C3%A9.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                        java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                return Integer.parseInt(statusLine.split(" ")[1]);
            }
        }
    }

    @Test
    void theSystemdUnitsPorterAnswersTheShippedHaproxyHealthCheck(@TempDir Path dir) throws Exception {
        // The unit and haproxy.cfg are one setup: HAProxy checks GET /.porter/readyz behind a PROXY header, so the
        // unit's command must turn the status page on (without it every check is a 404 and every node is down).
        String execStart = Files.readAllLines(deploy("porter@.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertThat(Files.readString(deploy("haproxy.cfg"))).contains("uri /.porter/readyz").contains("send-proxy-v2");
        int port = TestServers.freePort();
        List<String> args = new ArrayList<>();
        String[] words = execStart.substring("ExecStart=".length()).split(" ");
        for (int i = 1; i < words.length; i++) { // words[0] is the launcher
            args.add(words[i].replace("%i", Integer.toString(port)).replace("/srv/www", dir.toString()));
        }
        try (PorterProcess porter = PorterProcess.start(args.toArray(String[]::new))) {
            assertThat(porter.listeningPort("http")).isEqualTo(port);
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout((int) TestServers.TIMEOUT.toMillis());
                OutputStream out = s.getOutputStream();
                // A v1 UNKNOWN header is v2's LOCAL (a health check): the socket's own address stands.
                out.write(("PROXY UNKNOWN\r\nGET /.porter/readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            }
        }
    }
}
