package dev.porter.http.h2;

import dev.porter.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * h2load (Debian's nghttp2-client) against Porter on loopback: 100,000 requests over 10 connections × 10
 * concurrent streams, over h2c (prior knowledge) and over TLS (ALPN h2), every one answered 2xx, no error, no
 * timeout, on exactly 10 connections, with HPACK's dynamic table saving most header bytes; and uploads under
 * load (request bodies over the stream window, 40 at a time). What is asserted is correctness under load, not
 * speed (bench/run measures that). Skipped when h2load is missing.
 */
class H2loadTest {

    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
    private static final Pattern STATUS = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");
    private static final Pattern SAVINGS = Pattern.compile("headers \\(space savings ([\\d.]+)%\\)");

    @TempDir
    static Path dir;
    private static InteropServers servers;
    private static String h2load;

    @BeforeAll
    static void start() throws IOException {
        h2load = Programs.require("h2load");
        servers = InteropServers.start(dir);
    }

    @AfterAll
    static void stop() {
        if (servers != null) servers.close();
    }

    private static HttpServer server(String transport) {
        return transport.equals("h2") ? servers.tls() : servers.clear();
    }

    private static String url(String transport, String path) {
        // h2load checks no certificate; 127.0.0.1 rather than localhost, which may resolve to ::1 first.
        return transport.equals("h2") ? "https://127.0.0.1:" + servers.tls().port() + path : servers.h2c(path);
    }

    /** Checks h2load's summary: {@code n} requests, all succeeded with 2xx, nothing failed, errored or timed out. */
    private static void assertAllSucceeded(Programs.Result r, int n) {
        String out = r.stdout();
        Matcher m = REQUESTS.matcher(out);
        assertThat(m.find()).as(r.toString()).isTrue();
        assertThat(m.group(1)).as(out).isEqualTo(String.valueOf(n));
        assertThat(m.group(3)).as("done: " + out).isEqualTo(String.valueOf(n));
        assertThat(m.group(4)).as("succeeded: " + out).isEqualTo(String.valueOf(n));
        assertThat(m.group(5) + " " + m.group(6) + " " + m.group(7)).as("failed, errored, timeout: " + out).isEqualTo("0 0 0");
        Matcher s = STATUS.matcher(out);
        assertThat(s.find()).as(out).isTrue();
        assertThat(s.group(1)).as("2xx: " + out).isEqualTo(String.valueOf(n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "h2"})
    void answers100000RequestsOver10ConnectionsOf10StreamsWithoutAnError(String transport) {
        HttpServer server = server(transport);
        long before = server.stats().accepted();
        Programs.Result r = Programs.run(LIMIT, java.util.List.of(h2load, "-n", "100000", "-c", "10", "-m", "10",
                url(transport, "/plaintext")));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertAllSucceeded(r, 100_000);
        if (transport.equals("h2")) assertThat(r.stdout()).contains("Application protocol: h2");
        assertThat(server.stats().accepted() - before).as("connections: " + r.stdout()).isEqualTo(10);
        // The same response fields on every stream: HPACK's dynamic table turns them into a few bytes each.
        Matcher savings = SAVINGS.matcher(r.stdout());
        assertThat(savings.find()).as(r.stdout()).isTrue();
        assertThat(Double.parseDouble(savings.group(1))).as(r.stdout()).isGreaterThan(50.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "h2"})
    void takesUploadsLargerThanTheStreamWindowUnderLoad(String transport) throws IOException {
        byte[] body = InteropServers.randomBytes(100_000, 21); // over the 65,535-byte stream window
        Path file = Files.write(dir.resolve("h2load-" + transport + ".bin"), body);
        Programs.Result r = Programs.run(LIMIT, java.util.List.of(h2load, "-n", "2000", "-c", "4", "-m", "10",
                "-d", file.toString(), url(transport, "/digest")));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertAllSucceeded(r, 2000);
        // Every answer is "SHA-256 LENGTH" of the body: 64 + 1 + 6 bytes.
        assertThat(r.stdout()).contains("(" + 2000 * 71 + ") data");
    }
}
