package dev.porter.http.sse;

import dev.porter.core.testing.Await;
import dev.porter.core.testing.LogCapture;
import dev.porter.http.EventStream;
import dev.porter.http.EventStreamClosedException;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.ServerSentEvent;
import dev.porter.http.testing.SseParser;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-sent events over HTTP/1.1 (chunked), HTTP/1.0 (close-delimited) and HEAD, read by the JDK's HttpClient
 * and by raw sockets: the head, each event on its own before the stream ends, the heartbeat, Last-Event-ID, a
 * client that leaves, and a graceful stop, each ending the handler quietly.
 */
class EventStreamHttp1Test {

    private SseRoutes routes;
    private HttpServer server;
    private HttpClient client;
    private LogCapture log;

    @BeforeEach
    void start() {
        log = LogCapture.of("dev.porter");
        routes = new SseRoutes();
        Router router = routes.router().get("/two-writers", (req, res) -> {
            EventStream events = res.eventStream();
            Thread other = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) events.send(ServerSentEvent.of("b" + i + "\nsecond line").withEvent("b"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 200; i++) events.send(ServerSentEvent.of("a" + i + "\nsecond line").withEvent("a"));
            other.join();
        });
        server = TestHttp.start(router);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        log.close();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(20));
    }

    private void noWarnings() {
        assertThat(log.messages(System.Logger.Level.WARNING)).isEmpty();
        assertThat(log.messages(System.Logger.Level.ERROR)).isEmpty();
    }

    @Test
    void eventsArriveOneByOneWithTheEventStreamHead() throws Exception {
        HttpResponse<Stream<String>> res = client.send(get("/gated").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(res.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(res.headers().firstValue("transfer-encoding")).hasValue("chunked");
        assertThat(res.headers().firstValue("content-encoding")).isEmpty();
        assertThat(res.headers().firstValue("content-length")).isEmpty();
        SseParser parser = new SseParser();
        Iterator<String> lines = res.body().iterator();
        for (int n = 1; n <= 3; n++) {
            // The handler waits for next() after each event: this one came before the stream could end.
            assertThat(parser.nextEvent(lines)).isEqualTo(new SseParser.Event("message", "event " + n, Long.toString(n)));
            routes.next();
        }
        while (lines.hasNext()) parser.feed(lines.next() + "\n");
        assertThat(parser.events()).hasSize(3);
        noWarnings();
    }

    @Test
    void lastEventIdContinuesTheNumbering() throws Exception {
        routes.gate.release(3);
        HttpResponse<String> res = client.send(get("/gated").header("Last-Event-ID", "41").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(new SseParser().feed(res.body()).events()).extracting(SseParser.Event::lastEventId)
                .containsExactly("42", "43", "44");
    }

    @Test
    void aQuietStreamSendsHeartbeatComments() throws Exception {
        HttpResponse<Stream<String>> res = client.send(get("/beat").build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = res.body().iterator();
        SseParser parser = new SseParser();
        assertThat(parser.nextEvent(lines)).isEqualTo(new SseParser.Event("hello", "first", ""));
        while (parser.comments().size() < 2) parser.feed(lines.next() + "\n");
        assertThat(parser.comments()).startsWith(" heartbeat", " heartbeat");
        routes.release.complete(null);
        while (lines.hasNext()) parser.feed(lines.next() + "\n");
        assertThat(parser.events()).hasSize(1);
    }

    @Test
    void aClientThatLeavesEndsTheHandlerQuietly() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String seen = readUntil(s.getInputStream(), "data: tick 2\n");
            assertThat(seen).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nTransfer-Encoding: chunked\r\n");
        }
        Throwable end = routes.ended.get(20, TimeUnit.SECONDS);
        assertThat(end).isInstanceOf(EventStreamClosedException.class).hasMessageContaining("client went away");
        Await.until("the connection is gone", () -> server.stats().active() == 0);
        noWarnings();
        // The server is unharmed.
        routes.gate.release(3);
        assertThat(client.send(get("/gated").build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    @Test
    void aGracefulStopEndsTheStreamCleanly() throws Exception {
        HttpResponse<Stream<String>> res = client.send(get("/forever").build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = res.body().iterator();
        SseParser parser = new SseParser();
        parser.nextEvent(lines);
        Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(20)));
        // The stream ends with its last chunk (the iterator ends normally, no exception), not a cut connection.
        while (lines.hasNext()) parser.feed(lines.next() + "\n");
        assertThat(routes.ended.get(20, TimeUnit.SECONDS)).isInstanceOf(EventStreamClosedException.class)
                .hasMessageContaining("stopping");
        stopper.join();
        noWarnings();
    }

    @Test
    void headGetsTheHeadAndTheHandlerEndsAtOnce() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("HEAD /forever HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readUntil(s.getInputStream(), "\r\n\r\n");
            assertThat(head).contains("Content-Type: text/event-stream; charset=utf-8\r\n");
            assertThat(routes.ended.get(20, TimeUnit.SECONDS)).isInstanceOf(EventStreamClosedException.class)
                    .hasMessageContaining("no body");
            // The connection carries the next request.
            s.getOutputStream().write("HEAD /forever HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntil(s.getInputStream(), "\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        }
        noWarnings();
    }

    @Test
    void http10GetsACloseDelimitedStream() throws Exception {
        routes.gate.release(3);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /gated HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(all).startsWith("HTTP/1.1 200 OK").contains("Connection: close\r\n").doesNotContain("chunked");
            String body = all.substring(all.indexOf("\r\n\r\n") + 4);
            assertThat(body).isEqualTo("id: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\nid: 3\ndata: event 3\n\n");
        }
    }

    @Test
    void twoThreadsSendingInterleaveWholeEvents() throws Exception {
        String body = client.send(get("/two-writers").build(), HttpResponse.BodyHandlers.ofString()).body();
        SseParser parser = new SseParser().feed(body);
        assertThat(parser.events()).hasSize(400).allMatch(e -> e.data().equals(e.type() + e.data().substring(1, e.data().indexOf('\n')) + "\nsecond line"));
        assertThat(parser.events().stream().filter(e -> e.type().equals("a")).map(SseParser.Event::data))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "a" + i + "\nsecond line").toList());
    }

    /** Reads raw bytes until {@code marker} was seen (chunk framing included). */
    static String readUntil(InputStream in, String marker) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int b = in.read();
            assertThat(b).as("stream ended before %s; got %s", marker, seen).isNotNegative();
            seen.write(b);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

}
