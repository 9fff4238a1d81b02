package dev.porter.http.h2;

import dev.porter.http.AccessLog;
import dev.porter.http.testing.Chromium;
import dev.porter.http.testing.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium loading a page with 30 assets (10 stylesheets, 10 scripts, 10 images) from Porter over https:
 * the browser negotiates h2 and reports it (the Resource Timing API's {@code nextHopProtocol} of the page and every
 * asset, written into the page by a script and read back with {@code --dump-dom}), every asset is applied, and the
 * server saw every request as HTTP/2. The browser trusts the test certificate by its public key only
 * ({@code --ignore-certificate-errors-spki-list}), not every certificate. Over plain http the same page comes in
 * HTTP/1.1 (browsers speak no h2c). Skipped when Chromium is missing.
 */
class ChromiumHttp2Test {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final int ASSETS_PER_KIND = 10;

    @TempDir
    static Path dir;
    private static InteropServers servers;
    private static String chromium;

    @BeforeAll
    static void start() throws IOException {
        chromium = Chromium.require();
        servers = InteropServers.start(dir);
        writeSite(servers.site());
    }

    @AfterAll
    static void stop() {
        if (servers != null) servers.close();
    }

    private static void writeSite(Path site) throws IOException {
        Files.createDirectories(site.resolve("css"));
        Files.createDirectories(site.resolve("js"));
        Files.createDirectories(site.resolve("img"));
        StringBuilder head = new StringBuilder();
        StringBuilder body = new StringBuilder();
        StringBuilder scripts = new StringBuilder();
        for (int i = 1; i <= ASSETS_PER_KIND; i++) {
            Files.writeString(site.resolve("css/s" + i + ".css"), "#b" + i + " { width: " + i + "px; }\n");
            Files.writeString(site.resolve("js/s" + i + ".js"), "window.loaded = (window.loaded || 0) + 1;\n");
            Files.writeString(site.resolve("img/i" + i + ".svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + i
                    + "\" height=\"3\"><rect width=\"" + i + "\" height=\"3\" fill=\"#f80\"/></svg>\n");
            head.append("<link rel=\"stylesheet\" href=\"css/s").append(i).append(".css\">\n");
            body.append("<div id=\"b").append(i).append("\"></div><img class=\"i\" src=\"img/i").append(i).append(".svg\">\n");
            scripts.append("<script src=\"js/s").append(i).append(".js\"></script>\n");
        }
        Files.writeString(site.resolve("index.html"), """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Porter over HTTP/2</title>
                <link rel="icon" href="data:,">
                %s</head><body>
                %s<p id="result">pending</p>
                %s<script>
                window.addEventListener('load', function () {
                  var nav = performance.getEntriesByType('navigation')[0];
                  var protocols = {};
                  var resources = performance.getEntriesByType('resource');
                  resources.forEach(function (e) { protocols[e.nextHopProtocol] = (protocols[e.nextHopProtocol] || 0) + 1; });
                  var widths = 0, images = 0;
                  for (var i = 1; i <= %d; i++) widths += document.getElementById('b' + i).getBoundingClientRect().width;
                  document.querySelectorAll('img.i').forEach(function (img) { images += img.naturalWidth; });
                  document.getElementById('result').textContent = 'nav=' + nav.nextHopProtocol + ';resources='
                      + resources.length + ';protocols=' + JSON.stringify(protocols) + ';scripts=' + window.loaded
                      + ';widths=' + widths + ';images=' + images;
                });
                </script>
                </body></html>
                """.formatted(head, body, scripts, ASSETS_PER_KIND));
    }

    /** The base64 SHA-256 of the server certificate's SubjectPublicKeyInfo, as Chromium's SPKI list wants it. */
    private static String spki() throws Exception {
        byte[] der = servers.certificate().certificate().getPublicKey().getEncoded();
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
    }

    private static String result(String url) throws Exception {
        Processes.Result r = Chromium.dumpDom(chromium, dir, LIMIT, url, "--ignore-certificate-errors-spki-list=" + spki());
        assertThat(r.exit()).as(r.toString()).isZero();
        int at = r.stdout().indexOf("<p id=\"result\">");
        assertThat(at).as(r.toString()).isNotNegative();
        return r.stdout().substring(at + "<p id=\"result\">".length(), r.stdout().indexOf("</p>", at));
    }

    @Test
    void loadsAPageWithThirtyAssetsOverH2() throws Exception {
        servers.clearLog();
        long before = servers.tls().stats().accepted();
        String result = result(servers.h2("/static/index.html"));
        int n = ASSETS_PER_KIND;
        // 1 + 2 + … + 10 pixels of width from the stylesheets, the same from the images' natural widths.
        int sum = n * (n + 1) / 2;
        assertThat(result).isEqualTo("nav=h2;resources=" + 3 * n + ";protocols={\"h2\":" + 3 * n + "};scripts=" + n
                + ";widths=" + sum + ";images=" + sum);
        List<AccessLog.Entry> log = servers.log();
        assertThat(log).hasSizeGreaterThanOrEqualTo(1 + 3 * n);
        assertThat(log.stream().map(AccessLog.Entry::version).collect(Collectors.toSet())).containsExactly("HTTP/2.0");
        assertThat(log).allMatch(e -> e.status() == 200, "every request answered 200");
        long connections = servers.tls().stats().accepted() - before;
        assertThat(connections).as("TCP connections for 31 requests").isBetween(1L, 2L);
    }

    @Test
    void loadsTheSamePageInHttp11OverPlainHttp() throws Exception {
        servers.clearLog();
        String result = result(servers.h2c("/static/index.html"));
        int sum = ASSETS_PER_KIND * (ASSETS_PER_KIND + 1) / 2;
        assertThat(result).isEqualTo("nav=http/1.1;resources=" + 3 * ASSETS_PER_KIND + ";protocols={\"http/1.1\":"
                + 3 * ASSETS_PER_KIND + "};scripts=" + ASSETS_PER_KIND + ";widths=" + sum + ";images=" + sum);
        assertThat(servers.log().stream().map(AccessLog.Entry::version).collect(Collectors.toSet())).containsExactly("HTTP/1.1");
    }
}
