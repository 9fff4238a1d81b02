package dev.porter.http;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.testing.Chromium;
import dev.porter.http.testing.Processes;
import dev.porter.http.testing.TlsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real TLS clients against {@link HttpServer} over TLS, with a CA made for the test: curl, {@code openssl s_client}
 * (protocol versions and ALPN accepted and refused), wget, Python's {@code ssl} with {@code http.client}, the
 * JDK's {@code java.net.http.HttpClient} (HTTP/2 and HTTP/1.1), and headless Chromium loading a page and its
 * assets (over HTTP/2, which ALPN picks when the client offers it). Each test is
 * skipped with a message when its program is missing ({@code .ci/run} installs them).
 */
class HttpsRealClientsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static TestCertificates.Issued leaf;
    private static HttpServer server;
    private static Path site;
    private static byte[] blob;
    /** "METHOD PATH SCHEME PROTOCOL ALPN" of every request the server saw. */
    private static final Queue<String> seen = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws IOException {
        ca = TestCertificates.create(dir.resolve("ca"));
        leaf = ca.server("localhost", "127.0.0.1");
        site = Files.createDirectories(dir.resolve("site"));
        blob = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(blob);
        Files.write(site.resolve("blob.bin"), blob);
        writePage(site);
        StaticFiles files = new StaticFiles(StaticFiles.Options.of(site));
        Router router = new Router()
                .filter((req, res, next) -> {
                    seen.add(req.method() + " " + req.path() + " " + req.scheme() + " "
                            + req.tls().map(t -> t.protocol() + " " + t.applicationProtocol()).orElse("plain"));
                    next.handle(req, res);
                })
                .get("/who", (req, res) -> res.send(req.scheme() + " " + req.tls().map(t -> t.protocol() + " "
                        + t.applicationProtocol() + " " + t.serverName()).orElse("plain")))
                .post("/sha256", (req, res) -> {
                    MessageDigest md = sha256();
                    try (InputStream in = req.body()) {
                        byte[] b = new byte[16 * 1024];
                        for (int n; (n = in.read(b)) > 0; ) md.update(b, 0, n);
                    }
                    res.send(HexFormat.of().formatHex(md.digest()));
                })
                .mount("/", files);
        server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0)
                .tls(TlsConfig.of(leaf.pem())).build(), router);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(Duration.ofSeconds(2));
    }

    private static void writePage(Path root) throws IOException {
        Files.writeString(root.resolve("index.html"), """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Porter over TLS</title>
                <link rel="stylesheet" href="css/site.css"><link rel="icon" href="data:,"></head>
                <body><div id="box">styled</div>
                <img id="logo" src="img/logo.png" alt="logo">
                <p id="result">pending</p>
                <script src="js/app.js"></script>
                <script src="js/more.js"></script>
                </body></html>
                """);
        Files.createDirectories(root.resolve("css"));
        Files.writeString(root.resolve("css/site.css"), "#box { color: rgb(1, 2, 3); }\n");
        Files.createDirectories(root.resolve("js"));
        Files.writeString(root.resolve("js/more.js"), "window.more = 'more-ran';\n");
        // After load: what the browser saw — the page's protocol, every asset's URL and how it was fetched.
        Files.writeString(root.resolve("js/app.js"), """
                window.addEventListener('load', function () {
                  fetch('blob.bin').then(function (r) { return r.arrayBuffer(); }).then(function (b) {
                    var img = document.getElementById('logo');
                    var color = getComputedStyle(document.getElementById('box')).color;
                    var assets = performance.getEntriesByType('resource').map(function (e) {
                      return e.name.replace(location.origin, '') + '@' + e.nextHopProtocol + '@' + e.responseStatus;
                    }).sort().join(',');
                    var nav = performance.getEntriesByType('navigation')[0];
                    document.getElementById('result').textContent = 'protocol=' + location.protocol
                        + ';secure=' + window.isSecureContext + ';nav=' + nav.nextHopProtocol
                        + ';img=' + img.naturalWidth + 'x' + img.naturalHeight + ';color=' + color
                        + ';more=' + window.more + ';blob=' + b.byteLength + ';assets=' + assets + ';end';
                    document.body.dataset.loaded = 'yes';
                  });
                });
                """);
        Files.createDirectories(root.resolve("img"));
        Files.write(root.resolve("img/logo.png"), StaticFilesRealClientsTest.png(7, 5));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(sha256().digest(b));
    }

    private static String url(String path) {
        return "https://localhost:" + server.port() + path;
    }

    private static Path require(String program) {
        Path p = ExternalTool.find(program);
        assumeTrue(p != null, program + " is not installed; skipping (.ci/run installs it)");
        return p;
    }

    private static ExternalTool.Result run(String... command) throws IOException, InterruptedException {
        return ExternalTool.run(List.of(command), dir, LIMIT);
    }

    private static ExternalTool.Result succeed(String... command) throws IOException, InterruptedException {
        ExternalTool.Result r = run(command);
        assertThat(r.exit()).as(String.join(" ", command) + "\n" + r.stdout() + "\n" + r.stderr()).isZero();
        return r;
    }

    // ---- curl --------------------------------------------------------------------------------------------------

    @Test
    void curlVerifiesTheServerWithTheCaAndNegotiatesByAlpn() throws Exception {
        String curl = require("curl").toString();
        ExternalTool.Result r = succeed(curl, "-sS", "-v", "--http1.1", "--cacert", ca.caFile().toString(), url("/who"));
        assertThat(r.stdout()).isEqualTo("https TLSv1.3 http/1.1 localhost");
        assertThat(r.stderr()).contains("ALPN: offers http/1.1").contains("ALPN: server accepted http/1.1")
                .contains("SSL connection using TLSv1.3").contains("SSL certificate verify ok");
        // By default curl offers h2 and http/1.1; Porter prefers h2.
        ExternalTool.Result h2 = succeed(curl, "-sS", "-v", "--cacert", ca.caFile().toString(), url("/who"));
        assertThat(h2.stdout()).isEqualTo("https TLSv1.3 h2 localhost");
        assertThat(h2.stderr()).contains("ALPN: offers h2").contains("ALPN: server accepted h2");
        Path out = dir.resolve("curl-blob.out");
        succeed(curl, "-sS", "-f", "--cacert", ca.caFile().toString(), "-o", out.toString(), url("/blob.bin"));
        assertThat(Files.readAllBytes(out)).isEqualTo(blob);
        // An upload, and TLS 1.2 when the client asks for it.
        ExternalTool.Result up = succeed(curl, "-sS", "-f", "--tlsv1.2", "--tls-max", "1.2", "--cacert",
                ca.caFile().toString(), "--data-binary", "@" + site.resolve("blob.bin"), url("/sha256"));
        assertThat(up.stdout()).isEqualTo(hex(blob));
    }

    @Test
    void curlHttp10OffersOnlyHttp10ByAlpnAndIsServedAsNginxAndH2oServeIt() throws Exception {
        // `curl -0` / `--http1.0` over https offers the ALPN name http/1.0 alone (RFC 7301's registry has it).
        // nginx and h2o accept it; refusing it (no_application_protocol) failed the handshake of a server that
        // answers HTTP/1.0 requests anyway.
        String curl = require("curl").toString();
        ExternalTool.Result r = succeed(curl, "-sS", "-v", "--http1.0", "--cacert", ca.caFile().toString(), url("/who"));
        assertThat(r.stderr()).contains("ALPN: offers http/1.0").contains("ALPN: server accepted http/1.0")
                .contains("HTTP/1.1 200");
        assertThat(r.stdout()).isEqualTo("https TLSv1.3 http/1.0 localhost");
        ExternalTool.Result both = sClient("-alpn", "http/1.0,http/1.1");
        assertThat(both.stdout()).as("http/1.1 preferred").contains("ALPN protocol: http/1.1");
    }

    @Test
    void curlWithoutTheCaRefusesTheCertificate() throws Exception {
        String curl = require("curl").toString();
        ExternalTool.Result r = run(curl, "-sS", url("/who"));
        assertThat(r.exit()).as(r.stderr()).isEqualTo(60); // CURLE_PEER_FAILED_VERIFICATION
    }

    // ---- openssl s_client --------------------------------------------------------------------------------------

    /** Runs {@code openssl s_client} with {@code options}, sending one HTTP request; the server closes after it. */
    private static ExternalTool.Result sClient(String... options) throws Exception {
        return sClient(server.port(), options);
    }

    private static ExternalTool.Result sClient(int port, String... options) throws Exception {
        String openssl = require("openssl").toString();
        Path request = dir.resolve("request.txt");
        Files.writeString(request, "GET /who HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                StandardCharsets.US_ASCII);
        List<String> command = new ArrayList<>(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-CAfile", ca.caFile().toString(), "-verify_return_error", "-ign_eof"));
        command.addAll(List.of(options));
        // s_client reads its input from stdin: a shell redirects the request file into it.
        String line = String.join(" ", command.stream().map(HttpsRealClientsTest::quote).toList())
                + " < " + quote(request.toString());
        return ExternalTool.run(List.of("/bin/sh", "-c", line), dir, LIMIT);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void opensslAcceptsTls13AndTls12() throws Exception {
        ExternalTool.Result v13 = sClient("-tls1_3");
        assertThat(v13.exit()).as(v13.stderr()).isZero();
        assertThat(v13.stdout()).contains("New, TLSv1.3, Cipher is TLS_").contains("Verify return code: 0 (ok)")
                .contains("HTTP/1.1 200 OK").contains("https TLSv1.3");
        ExternalTool.Result v12 = sClient("-tls1_2");
        assertThat(v12.exit()).as(v12.stderr()).isZero();
        assertThat(v12.stdout()).contains("New, TLSv1.2, Cipher is ECDHE-").contains("Verify return code: 0 (ok)")
                .contains("HTTP/1.1 200 OK").contains("https TLSv1.2");
        // Forward secrecy and AEAD only, in TLS 1.2 too.
        assertThat(v12.stdout()).containsPattern("Cipher is ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)");
    }

    /**
     * TLS 1.1 and 1.0 are refused by the server. OpenSSL 3 will not even offer them at its default security
     * level, so the client is lowered to level 0 ({@code @SECLEVEL=0}): the ClientHello then really offers only
     * the old version and the refusal comes from Porter, as a protocol_version alert.
     */
    @Test
    void opensslIsRefusedTls11AndTls10() throws Exception {
        for (String version : new String[] {"-tls1_1", "-tls1"}) {
            ExternalTool.Result r = sClient(version, "-cipher", "DEFAULT:@SECLEVEL=0");
            assertThat(r.exit()).as(version + "\n" + r.stdout() + r.stderr()).isNotZero();
            assertThat(r.stderr()).as(version).contains("alert protocol version");
            assertThat(r.stdout()).as(version).doesNotContain("HTTP/1.1 200");
        }
    }

    /** SSLv3: refused too, when this openssl can still speak it (Debian's is built without it: then skipped). */
    @Test
    void opensslIsRefusedSsl3IfItCanOfferIt() throws Exception {
        String openssl = require("openssl").toString();
        ExternalTool.Result help = run(openssl, "s_client", "-help");
        assumeTrue((help.stdout() + help.stderr()).contains("-ssl3 "),
                "this openssl is built without SSLv3 (no s_client -ssl3): nothing can offer it");
        ExternalTool.Result r = sClient("-ssl3", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isNotZero();
        assertThat(r.stdout()).doesNotContain("HTTP/1.1 200");
    }

    /**
     * ALPN: {@code http/1.1} alone is accepted; offered with {@code h2}, Porter prefers {@code h2} (HTTP/2 is on by
     * default); a client offering only protocols the server does not speak is refused with a
     * no_application_protocol alert (RFC 7301 §3.2) — an unknown one, and {@code h2} when HTTP/2 is turned off.
     */
    @Test
    void opensslAlpnIsNegotiatedAndAClientWithNoCommonProtocolIsRefused() throws Exception {
        ExternalTool.Result ok = sClient("-alpn", "http/1.1");
        assertThat(ok.exit()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).contains("ALPN protocol: http/1.1").contains("https TLSv1.3 http/1.1");
        ExternalTool.Result both = sClient("-alpn", "h2,http/1.1");
        assertThat(both.stdout()).contains("ALPN protocol: h2");
        ExternalTool.Result unknown = sClient("-alpn", "spdy/3.1");
        assertThat(unknown.exit()).as(unknown.stdout() + unknown.stderr()).isNotZero();
        assertThat(unknown.stderr()).contains("no application protocol"); // alert 120
        assertThat(unknown.stdout()).doesNotContain("HTTP/1.1 200");
        try (HttpServer http11Only = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0)
                .http2(Http2Config.disabled()).tls(TlsConfig.of(leaf.pem())).build(), (req, res) -> res.send("x"))) {
            ExternalTool.Result h2 = sClient(http11Only.port(), "-alpn", "h2");
            assertThat(h2.exit()).as(h2.stdout() + h2.stderr()).isNotZero();
            assertThat(h2.stderr()).contains("no application protocol");
            assertThat(sClient(http11Only.port(), "-alpn", "h2,http/1.1").stdout()).contains("ALPN protocol: http/1.1");
        }
    }

    // ---- wget, Python, the JDK ---------------------------------------------------------------------------------

    @Test
    void wgetDownloadsWithTheCaCertificate() throws Exception {
        String wget = require("wget").toString();
        Path out = dir.resolve("wget-blob.out");
        succeed(wget, "-q", "--tries=1", "--timeout=20", "--ca-certificate=" + ca.caFile(), "-O", out.toString(),
                url("/blob.bin"));
        assertThat(Files.readAllBytes(out)).isEqualTo(blob);
        ExternalTool.Result refused = run(wget, "-q", "--tries=1", "--timeout=20", "-O", out.toString(), url("/who"));
        assertThat(refused.exit()).as("wget without the CA").isEqualTo(5); // SSL verification failure
    }

    @Test
    void pythonSslAndHttpClientVerifyAndFetch() throws Exception {
        String python = require("python3").toString();
        String script = """
                import hashlib, http.client, ssl, sys
                port, cafile = int(sys.argv[1]), sys.argv[2]
                ctx = ssl.create_default_context(cafile=cafile)
                ctx.set_alpn_protocols(['http/1.1'])  # http.client speaks HTTP/1.1 only
                c = http.client.HTTPSConnection('localhost', port, context=ctx, timeout=20)
                c.request('GET', '/who')
                r = c.getresponse()
                print(r.status, r.read().decode(), sep='|')
                print(c.sock.version(), c.sock.cipher()[0], c.sock.selected_alpn_protocol(), sep='|')
                c.request('GET', '/blob.bin')
                r = c.getresponse()
                print(r.status, hashlib.sha256(r.read()).hexdigest(), sep='|')
                body = bytes(range(256)) * 4096
                c.request('POST', '/sha256', body=body)
                r = c.getresponse()
                print(r.status, r.read().decode() == hashlib.sha256(body).hexdigest(), sep='|')
                c.close()
                try:
                    ssl.create_default_context().wrap_socket(__import__('socket').create_connection(('127.0.0.1', port)),
                                                             server_hostname='localhost')
                    print('untrusted accepted')
                except ssl.SSLCertVerificationError as e:
                    print('untrusted refused:', e.verify_message)
                """;
        ExternalTool.Result r = succeed(python, "-c", script, String.valueOf(server.port()), ca.caFile().toString());
        String[] lines = r.stdout().split("\n");
        assertThat(lines[0]).isEqualTo("200|https TLSv1.3 http/1.1 localhost");
        assertThat(lines[1]).startsWith("TLSv1.3|TLS_").endsWith("|http/1.1");
        assertThat(lines[2]).isEqualTo("200|" + hex(blob));
        assertThat(lines[3]).isEqualTo("200|True");
        assertThat(lines[4]).startsWith("untrusted refused:");
    }

    @Test
    void jdkHttpClientTrustingTheCaFetchesOverHttp2AndHttp11() throws Exception {
        for (var version : java.net.http.HttpClient.Version.values()) {
            jdkHttpClientFetches(version);
        }
    }

    private static void jdkHttpClientFetches(java.net.http.HttpClient.Version version) throws Exception {
        try (java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder().version(version)
                .sslContext(TlsClients.trusting(ca)).connectTimeout(Duration.ofSeconds(10)).build()) {
            // HTTP_2 offers h2 and http/1.1 by ALPN and Porter prefers h2; HTTP_1_1 offers no ALPN at all, and
            // Porter then speaks HTTP/1.1 with nothing negotiated.
            String alpn = version == java.net.http.HttpClient.Version.HTTP_2 ? "h2" : "";
            HttpResponse<String> who = jdk.send(HttpRequest.newBuilder(URI.create(url("/who"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(who.statusCode()).isEqualTo(200);
            assertThat(who.version()).isEqualTo(version);
            assertThat(who.body()).isEqualTo("https TLSv1.3 " + alpn + " localhost");
            assertThat(who.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo("TLSv1.3");

            List<CompletableFuture<HttpResponse<byte[]>>> many = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                many.add(jdk.sendAsync(HttpRequest.newBuilder(URI.create(url("/blob.bin"))).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (var f : many) assertThat(f.get(60, TimeUnit.SECONDS).body()).isEqualTo(blob);
            HttpResponse<String> up = jdk.send(HttpRequest.newBuilder(URI.create(url("/sha256")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(up.body()).isEqualTo(hex(blob));
        }
    }

    // ---- Chromium ----------------------------------------------------------------------------------------------

    @Test
    void chromiumLoadsAPageAndAllItsAssetsOverHttps() throws Exception {
        String browser = Chromium.require();
        seen.clear();
        // The browser trusts exactly this server's key (its SPKI hash), not every certificate.
        Processes.Result r = Chromium.dumpDom(browser, dir, LIMIT, url("/"),
                "--ignore-certificate-errors-spki-list=" + TlsClients.spkiSha256(leaf), "--virtual-time-budget=10000");
        assertThat(r.exit()).as(r.toString()).isZero();
        String dom = r.stdout();
        assertThat(dom).as(r.stderr()).contains("data-loaded=\"yes\"");
        String result = dom.substring(dom.indexOf("protocol="), dom.indexOf(";end"));
        // Chromium offers h2 first: page and assets come over HTTP/2.
        assertThat(result).startsWith("protocol=https:;secure=true;nav=h2;img=7x5;color=rgb(1, 2, 3);more=more-ran;blob="
                + blob.length + ";assets=");
        assertThat(result.substring(result.indexOf("assets=") + 7).split(",")).containsExactly(
                "/blob.bin@h2@200", "/css/site.css@h2@200", "/img/logo.png@h2@200", "/js/app.js@h2@200",
                "/js/more.js@h2@200");
        // And on the server's side: every one of them came over TLS.
        assertThat(seen).isNotEmpty().allMatch(s -> s.contains(" https TLSv1.3 h2"), "over TLS 1.3 with ALPN h2");
        assertThat(seen).anyMatch(s -> s.startsWith("GET / ")).anyMatch(s -> s.startsWith("GET /img/logo.png "))
                .anyMatch(s -> s.startsWith("GET /js/more.js "));
    }

    @Test
    void chromiumRefusesTheServerWithoutTrust() throws Exception {
        Processes.Result r = Chromium.dumpDom(Chromium.require(), dir, LIMIT, url("/"));
        assertThat(r.stdout()).doesNotContain("Porter over TLS");
    }
}
