package dev.porter.http.sse;

import dev.porter.core.TlsConfig;
import dev.porter.core.testing.LogCapture;
import dev.porter.core.testing.TestCertificates;
import dev.porter.http.EventStreamClosedException;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.SseParser;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.TlsClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-sent events over HTTP/2 (TLS, ALPN h2) read by the JDK's HttpClient: DATA frames flushed one event at a
 * time, heartbeats, Last-Event-ID, a client that cancels its stream (RST_STREAM) and a graceful stop, each ending
 * the handler quietly while the connection's other streams go on.
 */
class EventStreamHttp2Test {

    @TempDir
    Path dir;
    private SseRoutes routes;
    private HttpServer server;
    private HttpClient client;
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        log = LogCapture.of("dev.porter");
        TestCertificates certs = TestCertificates.create(dir.resolve("ca"));
        routes = new SseRoutes();
        server = TestHttp.start(HttpConfig.builder().tls(TlsConfig.of(certs.server("localhost", "127.0.0.1").pem())),
                routes.router());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TlsClients.trusting(certs)).build();
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
        log.close();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path)).timeout(Duration.ofSeconds(20));
    }

    private void noWarnings() {
        assertThat(log.messages(System.Logger.Level.WARNING)).isEmpty();
        assertThat(log.messages(System.Logger.Level.ERROR)).isEmpty();
    }

    @Test
    void eventsArriveOneByOneOverHttp2() throws Exception {
        HttpResponse<Stream<String>> res = client.send(get("/gated").header("Last-Event-ID", "7").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(res.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(res.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(res.headers().firstValue("cache-control")).hasValue("no-store");
        Iterator<String> lines = res.body().iterator();
        SseParser parser = new SseParser();
        for (int n = 8; n <= 10; n++) {
            assertThat(parser.nextEvent(lines)).isEqualTo(new SseParser.Event("message", "event " + n, Integer.toString(n)));
            routes.next();
        }
        while (lines.hasNext()) parser.feed(lines.next() + "\n");
        assertThat(parser.events()).hasSize(3);
        noWarnings();
    }

    @Test
    void heartbeatsFlowOverHttp2() throws Exception {
        HttpResponse<Stream<String>> res = client.send(get("/beat").build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = res.body().iterator();
        SseParser parser = new SseParser();
        parser.nextEvent(lines);
        while (parser.comments().size() < 2) parser.feed(lines.next() + "\n");
        assertThat(parser.comments()).allMatch(" heartbeat"::equals);
        routes.release.complete(null);
    }

    @Test
    void aCancelledStreamEndsTheHandlerAndTheConnectionGoesOn() throws Exception {
        HttpResponse<InputStream> res = client.send(get("/forever").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.version()).isEqualTo(HttpClient.Version.HTTP_2);
        InputStream body = res.body();
        byte[] first = body.readNBytes("id: 1\ndata: tick 1\n\n".length());
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("id: 1\ndata: tick 1\n\n");
        long connections = server.stats().accepted();
        body.close(); // the JDK client resets the stream (RST_STREAM CANCEL)
        assertThat(routes.ended.get(20, TimeUnit.SECONDS)).isInstanceOf(EventStreamClosedException.class);
        routes.gate.release(3);
        assertThat(client.send(get("/gated").build(), HttpResponse.BodyHandlers.ofString()).body()).contains("event 3");
        assertThat(server.stats().accepted()).as("the same connection served the next request").isEqualTo(connections);
        noWarnings();
    }

    @Test
    void aGracefulStopEndsTheStreamCleanly() throws Exception {
        HttpResponse<Stream<String>> res = client.send(get("/forever").build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = res.body().iterator();
        SseParser parser = new SseParser();
        parser.nextEvent(lines);
        Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(20)));
        while (lines.hasNext()) parser.feed(lines.next() + "\n"); // ends with END_STREAM, no exception
        assertThat(routes.ended.get(20, TimeUnit.SECONDS)).hasMessageContaining("stopping");
        stopper.join();
        noWarnings();
    }
}
