package dev.porter.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code porter serve} as a user runs it: a forked JVM, its stdout and stderr, its exit code, signals. */
class ServeCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("Listening on http://(127\\.0\\.0\\.1|\\[::1]):(\\d+)");

    @TempDir
    Path tmp;
    Path site;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void site() throws IOException {
        site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        Files.writeString(site.resolve("page.html"), "<p>porter</p>\n".repeat(200));
        Files.createDirectories(site.resolve("sub"));
        Files.writeString(site.resolve("sub/inner.txt"), "inner\n");
        Files.writeString(site.resolve(".secret"), "dot");
    }

    /**
     * Reads the first line, {@code Listening on http://…} as every server command prints it, then
     * {@code Serving DIR}. @return the port the first announces
     */
    private int served(ServeProcess p, Path expectedDir) throws InterruptedException {
        String first = p.line(WAIT);
        assertThat(first).as("first stdout line").isNotNull();
        Matcher m = LISTENING.matcher(first);
        assertThat(m.matches()).as(first).isTrue();
        assertThat(p.line(WAIT)).isEqualTo("Serving " + expectedDir.toAbsolutePath().normalize());
        return Integer.parseInt(m.group(2));
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void printsWhereItServesThenOnePlainLogLinePerRequest() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0")) {
            int port = served(p, site);
            assertThat(get(port, "/hello.txt").body()).isEqualTo("hello\n");
            assertThat(get(port, "/missing").statusCode()).isEqualTo(404);
            String ok = p.line(WAIT);
            String missing = p.line(WAIT);
            assertThat(ok).matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /hello.txt HTTP/1.1\" 200 6");
            assertThat(missing).contains("\"GET /missing HTTP/1.1\" 404");
            assertThat(ok + missing).as("no colour codes when stdout is not a terminal").doesNotContain("\u001b");
        }
    }

    @Test
    void warnsWhenTheLocaleCannotNameFilesThatAreNotAscii() throws Exception {
        // A POSIX locale (a container or a service without LANG): the JVM reads file names as ASCII, so a name
        // such as héllo.txt can be neither listed nor served. nginx, which never decodes names, serves it.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the JDK reads file names by the locale on Linux");
        try (ServeProcess p = ServeProcess.start(tmp, java.util.Map.of("LC_ALL", "POSIX"), "serve", site.toString(),
                "-p", "0", "-q")) {
            served(p, site);
            assertThat(p.errLine(WAIT)).startsWith("porter serve: warning: ").contains("not UTF-8")
                    .contains("LANG=C.UTF-8");
        }
    }

    @Test
    void servesTheCurrentDirectoryByDefault() throws Exception {
        try (ServeProcess p = ServeProcess.start(site, "serve", "-p", "0", "-q")) {
            int port = served(p, site);
            assertThat(get(port, "/hello.txt").body()).isEqualTo("hello\n");
        }
    }

    @Test
    void takesTheDirectoryFromDashDAndNormalizesIt() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", "-d", "site/sub/../sub", "-p", "0")) {
            int port = served(p, site.resolve("sub"));
            assertThat(get(port, "/inner.txt").body()).isEqualTo("inner\n");
        }
    }

    @Test
    void theOptionsReachTheHandler() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "--no-listing",
                "--cache", "600", "--gzip", "--quiet", "--dotfiles")) {
            int port = served(p, site);
            assertThat(get(port, "/sub/").statusCode()).isEqualTo(404);
            HttpResponse<String> hello = get(port, "/hello.txt");
            assertThat(hello.headers().firstValue("Cache-Control")).hasValue("max-age=600");
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page.html"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(page.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(get(port, "/.secret").body()).isEqualTo("dot");
            p.process.destroy();
            p.exit(WAIT);
            assertThat(p.rest(WAIT)).as("--quiet prints no request lines").isEmpty();
        }
    }

    @Test
    void aCacheControlHeaderFromDashHIsTheFilesOwn() throws Exception {
        // serve.md's own example: it was replaced by the files' default no-cache, so nothing was ever cached.
        String immutable = "public, max-age=31536000, immutable";
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q",
                "-H", "Cache-Control: " + immutable)) {
            int port = served(p, site);
            HttpResponse<String> hello = get(port, "/hello.txt");
            assertThat(hello.headers().allValues("Cache-Control")).containsExactly(immutable);
            String etag = hello.headers().firstValue("ETag").orElseThrow();
            assertThat(get(port, "/hello.txt", "If-None-Match", etag).headers().allValues("Cache-Control"))
                    .containsExactly(immutable);
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page.html"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(page.headers().allValues("Cache-Control")).containsExactly(immutable);
        }
    }

    @Test
    void theDefaultsHideDotfilesAndList() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q")) {
            int port = served(p, site);
            assertThat(get(port, "/.secret").statusCode()).isEqualTo(404);
            HttpResponse<String> listing = get(port, "/");
            assertThat(listing.body()).contains("hello.txt").contains("sub/").doesNotContain(".secret");
            assertThat(get(port, "/hello.txt").headers().firstValue("Cache-Control")).hasValue("no-cache");
        }
    }

    @Test
    void sigtermLetsARequestInFlightFinishThenExits() throws Exception {
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(1).nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q");
             Socket s = new Socket()) {
            int port = served(p, site);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] first = in.readNBytes(1024);
            assertThat(new String(first, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            p.process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the server gracefully
            byte[] rest = in.readAllBytes();
            String head = new String(first, StandardCharsets.ISO_8859_1);
            int bodyStart = head.indexOf("\r\n\r\n") + 4;
            assertThat(first.length - bodyStart + rest.length).as("whole body received").isEqualTo(big.length);
            assertThat(p.exit(WAIT)).isIn(0, 143);
            assertThat(p.errRest(WAIT)).as("nothing on stderr").isEmpty();
        }
    }

    @Test
    void aMissingDirectoryIsOneLineAndExitCode1() throws Exception {
        Path missing = tmp.resolve("nope");
        try (ServeProcess p = ServeProcess.start(tmp, "serve", missing.toString(), "-p", "0")) {
            assertThat(p.exit(WAIT)).isEqualTo(1);
            assertThat(p.errRest(WAIT)).containsExactly("porter serve: no such directory: " + missing);
            assertThat(p.rest(WAIT)).isEmpty();
        }
    }

    @Test
    void aPortGivenAsDirLikePythonsHttpServerGetsAHint() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", "8000")) {
            assertThat(p.exit(WAIT)).isEqualTo(1);
            assertThat(p.errRest(WAIT)).containsExactly("porter serve: no such directory: 8000 (to choose the port, use -p 8000)");
            assertThat(p.rest(WAIT)).isEmpty();
        }
        try (ServeProcess p = ServeProcess.start(tmp, "serve", "-d", "8000")) {
            assertThat(p.exit(WAIT)).isEqualTo(1);
            assertThat(p.errRest(WAIT)).as("-d says it is a directory: no hint")
                    .containsExactly("porter serve: no such directory: " + tmp.resolve("8000"));
        }
        Files.createDirectories(tmp.resolve("8000"));
        try (ServeProcess p = ServeProcess.start(tmp, "serve", "8000", "-p", "0", "-q")) {
            served(p, tmp.resolve("8000")); // a directory named 8000 is served
        }
    }

    @Test
    void aFileInsteadOfADirectoryIsOneLineAndExitCode1() throws Exception {
        Path file = site.resolve("hello.txt");
        try (ServeProcess p = ServeProcess.start(tmp, "serve", file.toString(), "-p", "0")) {
            assertThat(p.exit(WAIT)).isEqualTo(1);
            assertThat(p.errRest(WAIT)).containsExactly("porter serve: not a directory: " + file);
        }
    }

    @Test
    void anUnreadableDirectoryIsOneLineAndExitCode1() throws Exception {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        assumeTrue(locked.toFile().setReadable(false, false) && locked.toFile().setExecutable(false, false));
        try {
            assumeTrue(!Files.isReadable(locked), "running as a user who reads everything (root)");
            try (ServeProcess p = ServeProcess.start(tmp, "serve", locked.toString(), "-p", "0")) {
                assertThat(p.exit(WAIT)).isEqualTo(1);
                List<String> err = p.errRest(WAIT);
                assertThat(err).hasSize(1);
                assertThat(err.get(0)).startsWith("porter serve: cannot read directory " + locked);
            }
        } finally {
            locked.toFile().setReadable(true, false);
            locked.toFile().setExecutable(true, false);
        }
    }

    @Test
    void aPortInUseIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", Integer.toString(taken.getLocalPort()))) {
            assertThat(p.exit(WAIT)).isEqualTo(1);
            List<String> err = p.errRest(WAIT);
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).startsWith("porter serve: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
            assertThat(p.rest(WAIT)).isEmpty();
        }
    }

    @Test
    void anIpv6AddressIsShownInBrackets() throws Exception {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("::1", 0));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
        }
        for (String bind : new String[] {"::1", "[::1]"}) {
            try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-b", bind, "-p", "0", "-q")) {
                String first = p.line(WAIT);
                assertThat(first).as(bind).matches("Listening on http://\\[::1]:\\d+");
            }
        }
    }

    @Test
    void demoServesStaticFilesUnderSlashStatic() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "demo", "-p", "0", "--static", site.toString())) {
            String first = p.line(WAIT);
            assertThat(first).startsWith("Listening on http://127.0.0.1:");
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1).trim());
            assertThat(get(port, "/static/hello.txt").body()).isEqualTo("hello\n");
            assertThat(get(port, "/static").headers().firstValue("Location")).hasValue("/static/");
            assertThat(get(port, "/static/").body()).contains("Index of /static/").contains("hello.txt");
        }
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-d", site.toString())) {
            assertThat(p.exit(WAIT)).isEqualTo(2);
            assertThat(p.errLine(WAIT)).contains("give the directory once");
        }
        try (ServeProcess p = ServeProcess.start(tmp, "serve", "--cache", "-5")) {
            assertThat(p.exit(WAIT)).isEqualTo(2);
        }
    }
}
