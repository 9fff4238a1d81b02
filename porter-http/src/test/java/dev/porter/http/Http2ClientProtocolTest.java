package dev.porter.http;

import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Settings;
import dev.porter.http.testing.H2Peer;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP/2 client against a scripted server ({@link H2Peer} on a raw socket), for what Porter's own server never
 * does: GOAWAY and REFUSED_STREAM before processing, tiny windows, a concurrency limit of 2, malformed responses,
 * resets, trailers, interim heads, silence, connection errors, and an HTTP/1.1 answer to the h2c preface.
 */
class Http2ClientProtocolTest {

    private static HttpClient client() {
        return client(ClientConfig.builder());
    }

    private static HttpClient client(ClientConfig.Builder b) {
        return HttpClient.create(b.httpVersion(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE).build());
    }

    @Test
    void requestFieldsAreSentInHttp2Form() throws Exception {
        List<H2Peer.Request> seen = new CopyOnWriteArrayList<>();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            for (H2Peer.Request r; (r = p.readRequest()) != null; ) {
                seen.add(r);
                p.respond(r.streamId(), 200, "ok");
            }
        }); HttpClient client = client()) {
            client.send(ClientRequest.builder("GET", server.url("/a/b?c=d")).header("X-Custom", "yes")
                    .header("Connection", "keep-alive").build()).close();
            client.send(ClientRequest.builder("GET", server.url("/")).header("Host", "example.test").build()).close();
            H2Peer.Request r = seen.get(0);
            assertThat(r.fields().get(0)).containsExactly(":method", "GET");
            assertThat(r.field(":scheme")).isEqualTo("http");
            assertThat(r.field(":authority")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(r.field(":path")).isEqualTo("/a/b?c=d");
            assertThat(r.field("x-custom")).isEqualTo("yes");
            assertThat(r.field("user-agent")).startsWith("porter/");
            assertThat(r.field("connection")).isNull();
            assertThat(r.field("host")).isNull();
            assertThat(r.fields()).allSatisfy(f -> assertThat(f[0]).isEqualTo(f[0].toLowerCase()));
            assertThat(seen.get(1).field(":authority")).isEqualTo("example.test");
            assertThat(seen.get(1).field("host")).isNull();
        }
    }

    @Test
    void aRequestAboveTheLastStreamOfAGoAwayIsSentAgainOnANewConnection() throws Exception {
        AtomicInteger conversations = new AtomicInteger();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            if (conversations.incrementAndGet() == 1) {
                p.goAway(0, Http2Error.NO_ERROR, "going away"); // stream 1 was not processed
                RawServer.drain(s.getInputStream());
                return;
            }
            p.respond(r.streamId(), 200, "second " + new String(r.body(), StandardCharsets.UTF_8));
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client()) {
            // Not idempotent, yet safe to send again: the server said it did not process it (RFC 9113 §8.7).
            try (ClientResponse res = client.send(ClientRequest.post(server.url("/"), ClientRequest.Body.of("data")))) {
                assertThat(res.bodyString()).isEqualTo("second data");
            }
            assertThat(server.accepted()).isEqualTo(2);
            assertThat(client.stats().connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void aPostRacingAnIdleCloseIsSentAgainOnANewConnection() throws Exception {
        // The server's idle close (GOAWAY naming the last stream it processed, then the socket closed at once, so
        // the unread request makes its side reset the connection) crosses a POST just sent: the POST's stream is
        // above that last identifier, so the server did not process it, and it may be sent again (RFC 9113 §6.8).
        AtomicInteger conversations = new AtomicInteger();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            p.respond(r.streamId(), 200, "connection " + conversations.incrementAndGet());
            if (conversations.get() == 1) {
                p.next(FrameType.HEADERS); // the POST's head; its body is left unread
                p.goAway(r.streamId(), Http2Error.NO_ERROR, "idle timeout");
                s.close();
                return;
            }
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client()) {
            assertThat(client.get(server.url("/")).bodyString()).isEqualTo("connection 1");
            byte[] body = new byte[16 * 1024]; // within the initial window: the peer here opens none
            try (ClientResponse res = client.send(ClientRequest.post(server.url("/"), ClientRequest.Body.of(body)))) {
                assertThat(res.bodyString()).isEqualTo("connection 2");
            }
            assertThat(server.accepted()).isEqualTo(2);
        }
    }

    @Test
    void aPostThatCouldNotBeSentBecauseTheConnectionClosedIsSentAgain() throws Exception {
        // The server closes (GOAWAY, then the socket) right after an answer, before the client's next request: that
        // request either finds the connection closing before it opens a stream, or its stream never reached the
        // server. Either way nothing was processed and the POST goes on a new connection. Repeated, as which of the
        // two happens is up to the scheduler.
        AtomicInteger conversations = new AtomicInteger();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            p.respond(r.streamId(), 200, "connection " + conversations.incrementAndGet());
            p.goAway(r.streamId(), Http2Error.NO_ERROR, "max requests");
            s.close();
        }); HttpClient client = client()) {
            for (int i = 1; i <= 50; i++) {
                try (ClientResponse res = client.send(ClientRequest.post(server.url("/"), ClientRequest.Body.of("x")))) {
                    assertThat(res.bodyString()).as("request " + i).startsWith("connection ");
                }
            }
        }
    }

    @Test
    void aServerThatProcessesNothingOnAnyConnectionIsTriedThreeMoreTimesOnly() throws Exception {
        // Retries after a connection that served other streams are free (ClientNginxHttp2Test: nginx rotating
        // connections); a connection that served nothing counts, so a server refusing everything is not looped on.
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            p.readRequest();
            p.goAway(0, Http2Error.NO_ERROR, "not today");
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client()) {
            assertThatThrownBy(() -> client.send(ClientRequest.get(server.url("/"))))
                    .isInstanceOf(HttpClientException.IncompleteResponse.class).hasMessageContaining("retried 3 times");
            assertThat(server.accepted()).isEqualTo(4);
        }
    }

    @Test
    void aServerThatSaysGoAwayOnEveryNewConnectionIsTriedThreeMoreTimesOnly() throws Exception {
        // A server draining (RFC 9113 §6.8: GOAWAY with the largest identifier, a shutdown notice) before this client
        // opened any stream processed nothing here: its retry counts. The notice's last identifier was taken as the
        // server's progress, so every new connection was a free retry: a loop on fresh connections, without end
        // unless a timeout was set. From the 11th connection on, this server answers, which only the loop reaches.
        AtomicInteger connections = new AtomicInteger();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            if (connections.incrementAndGet() > 10) {
                p.respond(p.readRequest().streamId(), 200, "looped");
                RawServer.drain(s.getInputStream());
                return;
            }
            p.goAway(Integer.MAX_VALUE, Http2Error.NO_ERROR, "draining");
            for (H2Peer.Frame f; (f = p.next()) != null; ) {
                if (f.type() == FrameType.HEADERS) {
                    p.goAway(0, Http2Error.NO_ERROR, "gone"); // a stream that slipped in before the notice
                    return;
                }
            }
        }); HttpClient client = client()) {
            assertThatThrownBy(() -> client.send(ClientRequest.get(server.url("/"))))
                    .isInstanceOf(HttpClientException.IncompleteResponse.class).hasMessageContaining("retried 3 times");
            assertThat(server.accepted()).isEqualTo(4);
        }
    }

    @Test
    void aStreamedBodyLeftUnprocessedIsNotSentTwice() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            p.readRequest();
            p.goAway(0, Http2Error.NO_ERROR, "");
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client()) {
            ClientRequest req = ClientRequest.post(server.url("/"),
                    ClientRequest.Body.ofStream(new ByteArrayInputStream(new byte[100])));
            assertThatThrownBy(() -> client.send(req)).isInstanceOf(HttpClientException.IncompleteResponse.class)
                    .hasMessageContaining("GOAWAY").hasMessageContaining("not retried");
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedStreamIsSentAgain() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request first = p.readRequest();
            p.rst(first.streamId(), Http2Error.REFUSED_STREAM);
            H2Peer.Request again = p.readRequest();
            p.respond(again.streamId(), 200, "stream " + again.streamId());
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client();
             ClientResponse res = client.send(ClientRequest.post(server.url("/"), ClientRequest.Body.of("x")))) {
            assertThat(res.bodyString()).isEqualTo("stream 3");
            assertThat(server.accepted()).isEqualTo(1); // the connection itself is fine
        }
    }

    @Test
    void aReusedConnectionThatDiesBeforeAnsweringIsRetriedForIdempotentRequestsOnly() throws Exception {
        AtomicInteger conversations = new AtomicInteger();
        try (RawServer server = RawServer.start(s -> {
            int n = conversations.incrementAndGet();
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            p.respond(r.streamId(), 200, "connection " + n);
            p.readRequest(); // then close the socket: no GOAWAY, no answer
        }); HttpClient client = client()) {
            assertThat(client.get(server.url("/")).bodyString()).isEqualTo("connection 1");
            assertThat(client.get(server.url("/")).bodyString()).isEqualTo("connection 2"); // GET: sent again
            assertThat(server.accepted()).isEqualTo(2);
            assertThatThrownBy(() -> client.send(ClientRequest.post(server.url("/"), ClientRequest.Body.of("x"))))
                    .isInstanceOf(HttpClientException.IncompleteResponse.class).hasMessageContaining("not retried");
            assertThat(server.accepted()).isEqualTo(2);
        }
    }

    @Test
    void theServersConcurrencyLimitIsNeverExceeded() throws Exception {
        AtomicInteger maxOpen = new AtomicInteger();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake(new Settings().maxConcurrentStreams(2));
            s.setSoTimeout(150);
            List<Integer> pending = new ArrayList<>();
            while (true) {
                try {
                    H2Peer.Frame f = p.next(FrameType.HEADERS);
                    if (f == null) return;
                    pending.add(f.streamId());
                    maxOpen.accumulateAndGet(pending.size(), Math::max);
                } catch (SocketTimeoutException quiet) {
                    // The client waits: answer what is open, which frees its slots.
                    for (int id : pending) p.respond(id, 200, "stream " + id);
                    pending.clear();
                }
            }
        }); HttpClient client = client(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(threads.submit(() -> {
                    try (ClientResponse res = client.get(server.url("/"))) {
                        res.bodyBytes();
                        return res.statusCode();
                    }
                }));
            }
            for (Future<Integer> a : answers) assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(maxOpen.get()).isEqualTo(2);
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void theRequestBodyWaitsForTheServersWindow() throws Exception {
        List<Integer> beforeCredit = new CopyOnWriteArrayList<>();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake(new Settings().initialWindowSize(1000));
            H2Peer.Frame h = p.next(FrameType.HEADERS);
            int got = 0;
            while (got < 1000) {
                H2Peer.Frame d = p.next(FrameType.DATA);
                got += d.payload().length;
                beforeCredit.add(d.payload().length);
            }
            s.setSoTimeout(300);
            try {
                H2Peer.Frame extra = p.next(FrameType.DATA);
                beforeCredit.add(-extra.payload().length); // must not happen: the window is closed
            } catch (SocketTimeoutException expected) {
                // the client waits for credit, as it must
            }
            s.setSoTimeout(0);
            p.windowUpdate(h.streamId(), 100_000);
            int rest = 0;
            boolean end = false;
            while (!end) {
                H2Peer.Frame d = p.next(FrameType.DATA);
                rest += d.payload().length;
                end = d.endStream();
            }
            p.respond(h.streamId(), 200, "got " + (got + rest));
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client();
             ClientResponse res = client.send(ClientRequest.post(server.url("/"), ClientRequest.Body.of(new byte[5000])))) {
            assertThat(res.bodyString()).isEqualTo("got 5000");
            assertThat(beforeCredit.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        }
    }

    @Test
    void aSlowReaderHoldsBackOnlyItsOwnStream() throws Exception {
        int size = 1 << 20;
        byte[] big = new byte[size];
        for (int i = 0; i < size; i++) big[i] = (byte) (i * 31);
        AtomicInteger credits = new AtomicInteger();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request first = p.readRequest();
            p.headers(first.streamId(), false, ":status", "200", "content-length", String.valueOf(size));
            int window = 256 * 1024; // what the client announced (checked below by the sum of the credits)
            int sent = Math.min(window, size);
            p.data(first.streamId(), java.util.Arrays.copyOfRange(big, 0, sent), false);
            window -= sent;
            H2Peer.Request second = p.readRequest(); // arrives although the first stream's window is exhausted
            p.respond(second.streamId(), 200, "small");
            while (sent < size) {
                H2Peer.Frame f = p.next(FrameType.WINDOW_UPDATE, first.streamId());
                credits.incrementAndGet();
                window += f.intAt(0);
                int n = Math.min(window, size - sent);
                p.data(first.streamId(), java.util.Arrays.copyOfRange(big, sent, sent + n), sent + n == size);
                sent += n;
                window -= n;
            }
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client()) {
            try (ClientResponse slow = client.get(server.url("/big"))) {
                try (ClientResponse quick = client.get(server.url("/small"))) {
                    assertThat(quick.bodyString()).isEqualTo("small");
                }
                assertThat(slow.bodyBytes()).isEqualTo(big);
            }
            assertThat(credits.get()).isGreaterThanOrEqualTo(3);
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aMalformedResponseFailsItsStreamAndTheConnectionGoesOn() throws Exception {
        List<Integer> resets = new CopyOnWriteArrayList<>();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            p.headers(r.streamId(), true, ":status", "200", "Content-Type", "text/plain"); // upper case: §8.2.1
            resets.add(p.next(FrameType.RST_STREAM, r.streamId()).intAt(0));
            r = p.readRequest();
            p.headers(r.streamId(), false, ":status", "200", "content-length", "10");
            p.data(r.streamId(), "short".getBytes(StandardCharsets.US_ASCII), true); // §8.1.1: 5 is not 10
            resets.add(p.next(FrameType.RST_STREAM, r.streamId()).intAt(0));
            r = p.readRequest();
            p.respond(r.streamId(), 200, "fine");
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client()) {
            assertThatThrownBy(() -> client.get(server.url("/")))
                    .isInstanceOf(HttpClientException.MalformedResponse.class)
                    .hasMessageContaining("'Content-Type' is not a lower-case token");
            try (ClientResponse res = client.get(server.url("/"))) {
                assertThatThrownBy(res::bodyBytes).isInstanceOf(HttpClientException.MalformedResponse.class)
                        .hasMessageContaining("content of 5 bytes, not its content-length of 10");
            }
            assertThat(client.get(server.url("/")).bodyString()).isEqualTo("fine");
            assertThat(resets).containsExactly(Http2Error.PROTOCOL_ERROR.code(), Http2Error.PROTOCOL_ERROR.code());
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aResetInsideTheBodyIsAnIncompleteResponse() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            p.headers(r.streamId(), false, ":status", "200");
            p.data(r.streamId(), new byte[100], false);
            p.rst(r.streamId(), Http2Error.INTERNAL_ERROR);
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client(); ClientResponse res = client.get(server.url("/"))) {
            assertThatThrownBy(res::bodyBytes).isInstanceOf(HttpClientException.IncompleteResponse.class)
                    .hasMessageContaining("reset HTTP/2 stream 1 (INTERNAL_ERROR) inside the response");
        }
    }

    @Test
    void trailersAndInterimHeadsArriveInOrder() throws Exception {
        List<String> heads = new CopyOnWriteArrayList<>();
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void responseHead(List<String> lines) {
                heads.add(String.join("|", lines));
            }
        };
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            p.headers(r.streamId(), false, ":status", "103", "link", "</a.css>; rel=preload");
            p.headers(r.streamId(), false, ":status", "200");
            p.data(r.streamId(), "body".getBytes(StandardCharsets.US_ASCII), false);
            p.headers(r.streamId(), true, "checksum", "abc");
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client(ClientConfig.builder().listener(listener));
             ClientResponse res = client.get(server.url("/"))) {
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.trailers().size()).isZero();
            assertThat(res.bodyString()).isEqualTo("body");
            assertThat(res.trailers().first("checksum")).isEqualTo("abc");
            assertThat(heads).containsExactly("HTTP/2 103|link: </a.css>; rel=preload", "HTTP/2 200");
        }
    }

    @Test
    void aResponseHeadOverTheLimitFailsItsStream() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request r = p.readRequest();
            p.headers(r.streamId(), true, ":status", "200", "x-big", "v".repeat(2000));
            p.next(FrameType.RST_STREAM);
            r = p.readRequest();
            p.respond(r.streamId(), 200, "ok");
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client(ClientConfig.builder().maxHeaderBytes(1024))) {
            assertThatThrownBy(() -> client.get(server.url("/"))).isInstanceOf(HttpClientException.MalformedResponse.class)
                    .hasMessageContaining("larger than 1024 bytes");
            assertThat(client.get(server.url("/")).bodyString()).isEqualTo("ok");
        }
    }

    @Test
    void aSilentStreamTimesOutAloneAndIsCancelled() throws Exception {
        List<Integer> cancelled = new CopyOnWriteArrayList<>();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            H2Peer.Request silent = p.readRequest();
            H2Peer.Frame rst = p.next(FrameType.RST_STREAM);
            if (rst.streamId() == silent.streamId()) cancelled.add(rst.intAt(0));
            H2Peer.Request r = p.readRequest();
            p.respond(r.streamId(), 200, "awake");
            RawServer.drain(s.getInputStream());
        }); HttpClient client = client(ClientConfig.builder().readTimeout(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> client.get(server.url("/"))).isInstanceOf(HttpClientException.Timeout.class)
                    .satisfies(e -> assertThat(((HttpClientException.Timeout) e).kind()).isEqualTo(HttpClientException.Timeout.Kind.READ));
            assertThat(client.get(server.url("/")).bodyString()).isEqualTo("awake");
            assertThat(cancelled).containsExactly(Http2Error.CANCEL.code());
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionErrorFailsTheRequestAndIsAnsweredWithGoAway() throws Exception {
        List<Integer> goAways = new CopyOnWriteArrayList<>();
        try (RawServer server = RawServer.start(s -> {
            H2Peer p = new H2Peer(s).handshake();
            p.readRequest();
            p.raw(new byte[] {0, 0, 1, 0, 0, 0, 0, 0, 0, 42}); // DATA on stream 0 (§6.1)
            H2Peer.Frame g = p.next(FrameType.GOAWAY);
            goAways.add(g.intAt(4));
        }); HttpClient client = client()) {
            assertThatThrownBy(() -> client.get(server.url("/"))).isInstanceOf(HttpClientException.MalformedResponse.class)
                    .hasMessageContaining("PROTOCOL_ERROR");
            long until = System.nanoTime() + 5_000_000_000L;
            while (goAways.isEmpty() && System.nanoTime() < until) Thread.sleep(10);
            assertThat(goAways).containsExactly(Http2Error.PROTOCOL_ERROR.code());
        }
    }

    @Test
    void anHttp11AnswerToThePrefaceSaysTheServerDoesNotSpeakH2c() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            s.getInputStream().readNBytes(24);
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }); HttpClient client = client()) {
            assertThatThrownBy(() -> client.get(server.url("/"))).isInstanceOf(HttpClientException.MalformedResponse.class)
                    .hasMessageContaining("does not speak HTTP/2 with prior knowledge (h2c)");
        }
    }

    @Test
    void http11RequiredMakesTheClientSwitchToHttp11() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            PushbackInputStream in = new PushbackInputStream(s.getInputStream(), 3);
            byte[] first = in.readNBytes(3);
            in.unread(first);
            if (new String(first, StandardCharsets.US_ASCII).equals("PRI")) {
                H2Peer p = new H2Peer(in, s.getOutputStream()).handshake();
                H2Peer.Request r = p.readRequest();
                p.rst(r.streamId(), Http2Error.HTTP_1_1_REQUIRED);
                RawServer.drain(in);
                return;
            }
            RawServer.readHead(in);
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nh1 ok".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            RawServer.drain(in);
        }); HttpClient client = client(); ClientResponse res = client.get(server.url("/"))) {
            assertThat(res.version()).isEqualTo("HTTP/1.1");
            assertThat(res.bodyString()).isEqualTo("h1 ok");
            assertThat(server.accepted()).isEqualTo(2);
        }
    }
}
