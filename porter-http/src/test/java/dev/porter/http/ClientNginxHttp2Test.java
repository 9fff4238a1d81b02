package dev.porter.http;

import dev.porter.core.ClientTls;
import dev.porter.core.TlsInfo;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.testing.Nginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client speaking HTTP/2 to a real nginx over TLS ({@code listen ... ssl http2}; skipped when nginx is not
 * installed): ALPN settles on h2, nginx's {@code $server_protocol} and {@code $connection} show HTTP/2.0 on one
 * connection for many concurrent requests, a 4 MiB file and a 300 KiB upload (WebDAV PUT, then read back) cross
 * every window intact, and 404, HEAD and redirects behave as over HTTP/1.1.
 */
class ClientNginxHttp2Test {

    @TempDir
    static Path dir;
    private static Nginx nginx;
    private static TestCertificates certs;
    private static byte[] big;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir);
        TestCertificates.Issued server = certs.server("localhost", "127.0.0.1");
        nginx = Nginx.startTlsHttp2("""
                location = /conn { return 200 "$connection $server_protocol"; }
                location = /moved { return 302 /conn; }
                location /dav/ { dav_methods PUT; create_full_put_path on; client_max_body_size 10m; }
                """, server.certificateFile(), server.keyFile());
        big = new byte[4 << 20];
        new Random(11).nextBytes(big);
        Files.write(nginx.root().resolve("big.bin"), big);
        Files.createDirectories(nginx.root().resolve("dav"));
        Files.setPosixFilePermissions(nginx.root().resolve("dav"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (nginx != null) nginx.close();
    }

    private static HttpClient client(ExchangeListener listener) {
        return HttpClient.create(ClientConfig.builder().tls(ClientTls.defaults().withTrust(certs.trust()))
                .listener(listener).build());
    }

    @Test
    void alpnSettlesOnH2AndManyConcurrentRequestsShareOneConnection() throws Exception {
        List<String> alpn = new CopyOnWriteArrayList<>();
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void secured(URI uri, TlsInfo tls) {
                alpn.add(tls.applicationProtocol());
            }
        };
        try (HttpClient client = client(listener); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(threads.submit(() -> {
                    try (ClientResponse res = client.get(nginx.url("/conn"))) {
                        assertThat(res.version()).isEqualTo("HTTP/2");
                        return res.bodyString();
                    }
                }));
            }
            Set<String> seen = new HashSet<>();
            for (Future<String> a : answers) seen.add(a.get(30, TimeUnit.SECONDS));
            assertThat(seen).hasSize(1);
            assertThat(seen.iterator().next()).endsWith(" HTTP/2.0");
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
        assertThat(alpn).containsExactly("h2");
    }

    @Test
    void requestsLeftUnprocessedByGoAwayRotationAllSucceedOnLaterConnections() throws Exception {
        // nginx sends GOAWAY after keepalive_requests streams (100 by default before 1.19.10); the requests it did
        // not take, and those still waiting for a stream slot, move to the next connection, where most of them are
        // left over again: a connection that served others is not the server refusing this request (RFC 9113 §8.7).
        TestCertificates.Issued server = certs.server("localhost", "127.0.0.1");
        try (Nginx rotating = Nginx.startTlsHttp2("""
                keepalive_requests 10;
                location = /conn { return 200 "$connection"; }
                """, server.certificateFile(), server.keyFile());
             HttpClient client = client(null); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(threads.submit(() -> {
                    try (ClientResponse res = client.get(rotating.url("/conn"))) {
                        res.bodyString();
                        return res.statusCode();
                    }
                }));
            }
            for (Future<Integer> a : answers) assertThat(a.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(client.stats().connectionsOpened()).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void aLargeFileArrivesIntact() throws IOException {
        try (HttpClient client = client(null); ClientResponse res = client.get(nginx.url("/big.bin"))) {
            assertThat(res.version()).isEqualTo("HTTP/2");
            assertThat(res.contentLength()).isEqualTo(big.length);
            assertThat(res.bodyBytes()).isEqualTo(big);
        }
    }

    @Test
    void anUploadLargerThanTheWindowsArrivesIntact() throws IOException {
        byte[] upload = new byte[300 * 1024];
        new Random(12).nextBytes(upload);
        try (HttpClient client = client(null)) {
            try (ClientResponse res = client.send(ClientRequest.put(nginx.url("/dav/up.bin"), ClientRequest.Body.of(upload)))) {
                assertThat(res.version()).isEqualTo("HTTP/2");
                assertThat(res.statusCode()).isIn(201, 204);
            }
            assertThat(Files.readAllBytes(nginx.root().resolve("dav/up.bin"))).isEqualTo(upload);
            try (ClientResponse res = client.get(nginx.url("/dav/up.bin"))) {
                assertThat(res.bodyBytes()).isEqualTo(upload);
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void notFoundHeadAndRedirectsBehaveAsOverHttp11() throws IOException {
        try (HttpClient client = client(null)) {
            try (ClientResponse res = client.get(nginx.url("/missing"))) {
                assertThat(res.statusCode()).isEqualTo(404);
                assertThat(res.bodyString()).contains("404 Not Found");
            }
            try (ClientResponse res = client.send(ClientRequest.head(nginx.url("/big.bin")))) {
                assertThat(res.statusCode()).isEqualTo(200);
                assertThat(res.header("content-length")).isEqualTo(String.valueOf(big.length));
                assertThat(res.contentLength()).isZero();
                assertThat(res.bodyBytes()).isEmpty();
            }
            try (ClientResponse res = client.get(nginx.url("/moved"))) {
                assertThat(res.uri().getPath()).isEqualTo("/conn");
                assertThat(res.bodyString()).endsWith("HTTP/2.0");
            }
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }
}
