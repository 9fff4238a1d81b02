package dev.porter.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code porter serve}'s features as a user meets them: a forked {@code porter}, and curl or the JDK's client.
 * Uploads, Basic auth (plain and hashed), CORS, extra headers, gzip by default, SPA, zip downloads, log levels and
 * formats, LAN addresses with a QR code, and --open.
 */
class ServeFeaturesCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Listening on http://([^ ]+):(\\d+)");

    @TempDir
    Path tmp;
    Path site;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void site() throws IOException {
        site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>app</h1>");
        Files.writeString(site.resolve("app.css"), "body{color:red}\n".repeat(200));
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/a.txt"), "alpha");
    }

    /** Reads the start-up lines up to "Serving DIR". @return the port */
    private static int served(ServeProcess p) throws InterruptedException {
        Matcher m = LISTENING.matcher(p.line(WAIT));
        assertThat(m.matches()).isTrue();
        assertThat(p.line(WAIT)).startsWith("Serving ");
        return Integer.parseInt(m.group(2));
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("curl %s: %s", cmd, out).isZero();
        return out;
    }

    private static boolean hasCurl() {
        return Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl"));
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void uploadsWithCurlBehindBasicAuthForWritesOnly() throws Exception {
        assumeTrue(hasCurl(), "curl is not installed");
        Path local = Files.writeString(tmp.resolve("local.txt"), "from curl\n");
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q", "--upload",
                "--mkdir", "--auth", "ana:s3cret", "--auth-writes-only")) {
            int port = served(p);
            String base = "http://127.0.0.1:" + port;
            assertThat(get(port, "/docs/a.txt").statusCode()).as("reading stays open").isEqualTo(200);
            String denied = curl("-i", "-T", local.toString(), base + "/docs/up.txt");
            assertThat(denied).startsWith("HTTP/1.1 401")
                    .contains("WWW-Authenticate: Basic realm=\"porter\", charset=\"UTF-8\"");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-u", "ana:wrong", "-T", local.toString(),
                    base + "/docs/up.txt")).isEqualTo("401");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-u", "ana:s3cret", "-T", local.toString(),
                    base + "/docs/up.txt")).isEqualTo("201");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-u", "ana:s3cret", "-T", local.toString(),
                    base + "/docs/up.txt")).as("no --overwrite").isEqualTo("409");
            assertThat(curl("-w", "%{http_code}", "-u", "ana:s3cret", "-F", "files=@" + local + ";filename=form.txt",
                    base + "/new/")).as("POST to a missing folder").isEqualTo("Not Found\n404");
            assertThat(curl("-w", "%{http_code}", "-u", "ana:s3cret", "-F", "files=@" + local + ";filename=form.txt",
                    base + "/docs/")).isEqualTo("Saved form.txt\n303");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-u", "ana:s3cret", "-T", local.toString(),
                    base + "/made/by/put.txt")).as("--mkdir").isEqualTo("201");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-u", "ana:s3cret", "-H", "Origin: https://evil.example",
                    "-T", local.toString(), base + "/docs/csrf.txt")).isEqualTo("403");
        }
        assertThat(Files.readString(site.resolve("docs/up.txt"))).isEqualTo("from curl\n");
        assertThat(Files.readString(site.resolve("docs/form.txt"))).isEqualTo("from curl\n");
        assertThat(Files.readString(site.resolve("made/by/put.txt"))).isEqualTo("from curl\n");
        assertThat(site.resolve("docs/csrf.txt")).doesNotExist();
    }

    @Test
    void anUploadOverTheLimitIsRefusedNamingTheLimitTheUserSet() throws Exception {
        // The server's body limit was the upload limit plus the form's 64 KiB allowance for part headers, and a body
        // declared over that was refused by the server itself naming 1114112 bytes to a user who had set 1M.
        assumeTrue(hasCurl(), "curl is not installed");
        Path big = Files.write(tmp.resolve("big.bin"), new byte[2_000_000]);
        Path part = Files.write(tmp.resolve("part.bin"), new byte[600_000]);
        Path exact = Files.write(tmp.resolve("exact.bin"), new byte[1 << 20]);
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q", "--upload",
                "--upload-limit", "1M")) {
            String base = "http://127.0.0.1:" + served(p);
            String limit = "upload larger than the limit of 1048576 bytes\n413";
            assertThat(curl("-w", "%{http_code}", "-T", big.toString(), base + "/docs/big.bin")).as("PUT").isEqualTo(limit);
            assertThat(curl("-w", "%{http_code}", "-H", "Sec-Fetch-Site: same-origin", "-F", "files=@" + big,
                    base + "/docs/")).as("a form").isEqualTo(limit);
            // Three files under the limit each, over it together, streamed: the form as a whole is bounded too.
            assertThat(curl("-w", "%{http_code}", "-H", "Sec-Fetch-Site: same-origin", "-H", "Transfer-Encoding: chunked",
                    "-F", "a=@" + part + ";filename=a.bin", "-F", "b=@" + part + ";filename=b.bin", "-F", "c=@" + part + ";filename=c.bin",
                    base + "/docs/")).as("a chunked form").isEqualTo(limit);
            assertThat(curl("-w", "%{http_code}", "--http2-prior-knowledge", "-o", "/dev/null", "-T", part.toString(),
                    base + "/docs/h2.bin")).as("HTTP/2, under the limit").isEqualTo("201");
            // The allowance stays: a file of exactly the limit goes through a form, part headers and all.
            assertThat(curl("-w", "%{http_code}", "-H", "Sec-Fetch-Site: same-origin", "-F", "files=@" + exact,
                    base + "/docs/")).isEqualTo("Saved exact.bin\n303");
        }
        assertThat(site.resolve("docs/big.bin")).doesNotExist();
        assertThat(Files.size(site.resolve("docs/exact.bin"))).isEqualTo(1 << 20);
        try (var left = Files.list(site.resolve("docs"))) {
            // (Each file of a form is atomic on its own, docs/serve.md: the chunked form's first file was whole.)
            assertThat(left.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("a.txt", "exact.bin", "h2.bin", "a.bin");
        }
    }

    @Test
    void anAuthFileOfPbkdf2LinesMadeByHashPassword() throws Exception {
        ServeProcess hash = ServeProcess.start(tmp, "serve", "--hash-password", "bo");
        try (OutputStream in = hash.process.getOutputStream()) {
            in.write("correct horse\n".getBytes(StandardCharsets.UTF_8));
        }
        String line = hash.line(WAIT);
        assertThat(hash.exit(WAIT)).isZero();
        assertThat(line).matches("bo:pbkdf2-sha256:600000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}");
        Path users = Files.writeString(tmp.resolve("users"), "# team\n" + line + "\n");
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q", "--auth-file", users.toString())) {
            int port = served(p);
            assertThat(get(port, "/").statusCode()).isEqualTo(401);
            String good = "Basic " + Base64.getEncoder().encodeToString("bo:correct horse".getBytes(StandardCharsets.UTF_8));
            String bad = "Basic " + Base64.getEncoder().encodeToString("bo:wrong".getBytes(StandardCharsets.UTF_8));
            assertThat(get(port, "/", "Authorization", good).statusCode()).isEqualTo(200);
            assertThat(get(port, "/app.css", "Authorization", good).statusCode()).as("remembered").isEqualTo(200);
            assertThat(get(port, "/", "Authorization", bad).statusCode()).isEqualTo(401);
        }
        Files.writeString(users, "bo:md5:xyz\n");
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "--auth-file", users.toString())) {
            assertThat(p.exit(WAIT)).isEqualTo(1);
            assertThat(p.errRest(WAIT)).singleElement().asString()
                    .startsWith("porter serve: " + users + " line 1: expected pbkdf2-sha256:");
        }
    }

    @Test
    void corsPreflightExtraHeadersAndGzipByDefault() throws Exception {
        assumeTrue(hasCurl(), "curl is not installed");
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q",
                "--cors", "https://app.example", "-H", "X-Frame-Options: DENY", "-H", "Referrer-Policy: no-referrer")) {
            int port = served(p);
            String base = "http://127.0.0.1:" + port;
            String preflight = curl("-i", "-X", "OPTIONS", "-H", "Origin: https://app.example",
                    "-H", "Access-Control-Request-Method: GET", "-H", "Access-Control-Request-Headers: range", base + "/app.css");
            assertThat(preflight).startsWith("HTTP/1.1 204").contains("Access-Control-Allow-Origin: https://app.example")
                    .contains("Access-Control-Allow-Methods: GET, HEAD").contains("Access-Control-Allow-Headers: range")
                    .contains("Vary: Origin").contains("Access-Control-Max-Age: 600");
            String other = curl("-i", "-X", "OPTIONS", "-H", "Origin: https://evil.example",
                    "-H", "Access-Control-Request-Method: GET", base + "/app.css");
            assertThat(other).startsWith("HTTP/1.1 204").doesNotContain("Access-Control-Allow-Origin");
            String simple = curl("-i", "--compressed", "-H", "Origin: https://app.example", base + "/app.css");
            assertThat(simple).contains("Access-Control-Allow-Origin: https://app.example")
                    .contains("Access-Control-Allow-Credentials: true").contains("Content-Encoding: gzip")
                    .contains("X-Frame-Options: DENY").contains("Referrer-Policy: no-referrer").endsWith("body{color:red}\n")
                    .as("the file's Vary keeps the CORS one").contains("Vary: Origin").contains("Vary: Accept-Encoding");
            String missing = curl("-i", "-H", "Origin: https://app.example", base + "/nope.js");
            assertThat(missing).startsWith("HTTP/1.1 404").contains("X-Frame-Options: DENY")
                    .contains("Access-Control-Allow-Origin: https://app.example");
        }
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q", "--no-gzip", "--cors")) {
            int port = served(p);
            String plain = curl("-i", "--compressed", "-H", "Origin: https://x.example", "http://127.0.0.1:" + port + "/app.css");
            assertThat(plain).doesNotContain("Content-Encoding").contains("Access-Control-Allow-Origin: *")
                    .doesNotContain("Vary: Origin");
        }
    }

    @Test
    void spaFallbackAndAZipOfAFolder() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-q", "--spa", "--archives")) {
            int port = served(p);
            HttpResponse<String> route = get(port, "/settings/profile", "Accept", "text/html");
            assertThat(route.statusCode()).isEqualTo(200);
            assertThat(route.body()).isEqualTo("<h1>app</h1>");
            assertThat(get(port, "/missing.js", "Accept", "*/*").statusCode()).isEqualTo(404);
            Path zip = tmp.resolve("docs.zip");
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/docs/?download=zip"))
                    .build(), HttpResponse.BodyHandlers.ofFile(zip));
            assertThat(r.statusCode()).isEqualTo(200);
            try (ZipFile z = new ZipFile(zip.toFile())) {
                assertThat(z.stream().map(e -> e.getName()).toList()).containsExactly("a.txt");
            }
        }
    }

    @Test
    void logLevelsAndFormats() throws Exception {
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "--log-format", "json")) {
            int port = served(p);
            get(port, "/docs/a.txt", "User-Agent", "probe/1", "Referer", "http://r.example/");
            assertThat(p.line(WAIT)).matches("\\{\"time\":\"[^\"]+\",\"remote\":\"127\\.0\\.0\\.1\",\"method\":\"GET\","
                    + "\"target\":\"/docs/a.txt\",\"version\":\"HTTP/1.1\",\"status\":200,\"bytes\":5,"
                    + "\"referer\":\"http://r.example/\",\"userAgent\":\"probe/1\",\"durationMs\":\\d+\\.\\d{3}}");
        }
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "--log-format", "combined")) {
            int port = served(p);
            get(port, "/docs/a.txt", "User-Agent", "probe/1");
            assertThat(p.line(WAIT)).endsWith("\"GET /docs/a.txt HTTP/1.1\" 200 5 \"-\" \"probe/1\"");
        }
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-o", "verbose")) {
            int port = served(p);
            get(port, "/docs/a.txt", "Authorization", "Basic c2VjcmV0");
            List<String> lines = new ArrayList<>();
            for (String l; !(l = p.line(WAIT)).contains("\" 200 5"); ) lines.add(l);
            assertThat(lines).contains("> GET /docs/a.txt HTTP/1.1", "> Authorization: [hidden]", "< 200 OK",
                    "< Content-Type: text/plain; charset=utf-8");
        }
        try (ServeProcess p = ServeProcess.start(tmp, "serve", site.toString(), "-p", "0", "-o", "loud")) {
            assertThat(p.exit(WAIT)).isEqualTo(2);
            assertThat(String.join("\n", p.errRest(WAIT))).contains("-o/--log-level takes none, info or verbose: loud");
        }
    }

    @Test
    void everyInterfacePrintsLanAddressesAndAQrCodeAndOpenRunsTheBrowser() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path opened = tmp.resolve("opened.txt");
        Path fake = bin.resolve("xdg-open");
        Files.writeString(fake, "#!/bin/sh\necho \"$1\" > " + opened + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");
        try (ServeProcess p = ServeProcess.start(tmp, Map.of("PATH", path), "serve", site.toString(), "-p", "0", "-q",
                "-b", "0.0.0.0", "--qr", "--open")) {
            int port = served(p);
            List<String> lan = Reach.lanUrls("http", port, false);
            for (String url : lan) assertThat(p.line(WAIT)).isEqualTo("On your network: " + url);
            if (lan.isEmpty()) assertThat(p.line(WAIT)).startsWith("(the QR code's address");
            String first = p.line(WAIT);
            assertThat(first).matches("[ \u2580\u2584\u2588]+");
            for (int i = 0; i < 20 && !Files.exists(opened); i++) Thread.sleep(100);
            assertThat(Files.readString(opened).strip()).isEqualTo("http://localhost:" + port + "/");
        }
        try (ServeProcess p = ServeProcess.start(tmp, Map.of("PATH", tmp.resolve("empty").toString()), "serve",
                site.toString(), "-p", "0", "-q", "--open")) {
            int port = served(p);
            assertThat(p.errLine(WAIT)).isEqualTo("porter serve: cannot open a browser (xdg-open is not installed); "
                    + "open http://127.0.0.1:" + port + "/ yourself");
        }
    }
}
