package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.TestHttp;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Apache HttpClient 5 (classic, pooled) against {@link DemoApp}, what {@code porter demo} serves. */
class ApacheHttpClientTest {

    private static HttpServer server;
    private static String base;

    /** What the tests look at in a response. */
    record Answer(int status, String body, String header) {
    }

    @BeforeAll
    static void start() {
        server = TestHttp.start(DemoApp.router());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CloseableHttpClient client(boolean expectContinue) {
        RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(20))
                .setExpectContinueEnabled(expectContinue).build();
        return HttpClients.custom().setDefaultRequestConfig(config)
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(8).setMaxConnPerRoute(8).build())
                .build();
    }

    private static Answer answer(ClassicHttpResponse r, String header) throws IOException, org.apache.hc.core5.http.ParseException {
        String body = r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8);
        return new Answer(r.getCode(), body, r.getFirstHeader(header) == null ? null : r.getFirstHeader(header).getValue());
    }

    @Test
    void reusesOnePooledConnectionForSequentialRequests() throws IOException {
        long before = server.stats().accepted();
        try (CloseableHttpClient client = client(false)) {
            for (int i = 0; i < 10; i++) {
                Answer a = client.execute(new HttpGet(base + (i % 2 == 0 ? "/plaintext" : "/json")), r -> answer(r, "Content-Type"));
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.body()).isEqualTo(i % 2 == 0 ? "Hello, World!" : "{\"message\":\"Hello, World!\"}");
            }
        }
        assertThat(server.stats().accepted() - before).isEqualTo(1);
    }

    @Test
    void postsAChunkedEntity() throws IOException {
        byte[] data = "apache ".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
        HttpPost post = new HttpPost(base + "/");
        post.setEntity(new InputStreamEntity(new ByteArrayInputStream(data), -1, ContentType.APPLICATION_OCTET_STREAM));
        try (CloseableHttpClient client = client(false)) {
            Answer a = client.execute(post, r -> answer(r, "Content-Type"));
            assertThat(a.body().getBytes(StandardCharsets.US_ASCII)).isEqualTo(data);
            assertThat(a.header()).isEqualTo("application/octet-stream");
        }
    }

    @Test
    void postsWithExpectContinue() throws IOException {
        HttpPost post = new HttpPost(base + "/");
        post.setEntity(new ByteArrayEntity("continue me".getBytes(StandardCharsets.US_ASCII), ContentType.TEXT_PLAIN));
        try (CloseableHttpClient client = client(true)) {
            assertThat(client.execute(post, r -> answer(r, "Content-Type")).body()).isEqualTo("continue me");
        }
    }

    @Test
    void readsHeadWithoutABody() throws IOException {
        try (CloseableHttpClient client = client(false)) {
            Answer head = client.execute(new HttpHead(base + "/json"), r -> answer(r, "Content-Length"));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header()).isEqualTo("27");
            assertThat(client.execute(new HttpGet(base + "/json"), r -> answer(r, "Content-Length")).body()).hasSize(27);
        }
    }

    @Test
    void servesConcurrentRequestsFromAPool() throws Exception {
        try (CloseableHttpClient client = client(false)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        HttpPost post = new HttpPost(base + "/");
                        post.setEntity(new ByteArrayEntity(("request " + n).getBytes(StandardCharsets.US_ASCII), ContentType.TEXT_PLAIN));
                        return client.execute(post, r -> answer(r, "Content-Type")).body();
                    }));
                }
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("request " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
