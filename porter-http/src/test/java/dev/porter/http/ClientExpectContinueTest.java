package dev.porter.http;

import dev.porter.http.ClientRequest.Body;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Expect: 100-continue} (RFC 9110 §10.1.1) for large bodies: every way a server can react. */
class ClientExpectContinueTest {

    private static final byte[] BODY = new byte[10_000];

    private static ClientConfig expectAbove(long bytes) {
        return ClientConfig.builder().expectContinueThreshold(bytes).expectContinueTimeout(Duration.ofMillis(300)).build();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) return Integer.parseInt(line.substring(15).trim());
        }
        return 0;
    }

    private static void reply(OutputStream out, String statusAndBody) throws IOException {
        String[] parts = statusAndBody.split("\n", 2);
        String body = parts.length > 1 ? parts[1] : "";
        out.write(("HTTP/1.1 " + parts[0] + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void sendsTheBodyAfter100ContinueFromPortersServer() throws IOException {
        Router router = new Router().post("/upload", (req, res) ->
                res.send(req.header("Expect") + " " + req.bodyBytes(1 << 20).length));
        try (HttpServer server = HttpServer.start(HttpConfig.defaults(), router);
             HttpClient client = HttpClient.create(expectAbove(1024))) {
            String url = "http://127.0.0.1:" + server.port() + "/upload";
            assertThat(client.send(ClientRequest.post(url, Body.of(BODY))).bodyString()).isEqualTo("100-continue 10000");
            // Below the threshold: no expectation.
            assertThat(client.send(ClientRequest.post(url, Body.of(new byte[10]))).bodyString()).isEqualTo("null 10");
            assertThat(client.stats().connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void sendsTheBodyAnywayWhenNo100Comes() throws IOException {
        ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();
        try (RawServer quiet = RawServer.start(s -> {
            InputStream in = s.getInputStream();
            String head = RawServer.readHead(in);
            heads.add(head);
            byte[] body = in.readNBytes(contentLength(head)); // waits for the body without ever saying 100
            reply(s.getOutputStream(), "200 OK\ngot " + body.length);
        }); HttpClient client = HttpClient.create(expectAbove(1024))) {
            assertThat(client.send(ClientRequest.post(quiet.url("/"), Body.of(BODY))).bodyString()).isEqualTo("got 10000");
            assertThat(heads.peek()).contains("Expect: 100-continue");
        }
    }

    @Test
    void withholdsTheBodyWhenAFinalResponseComesFirst() throws Exception {
        ConcurrentLinkedQueue<Integer> bodyBytesSeen = new ConcurrentLinkedQueue<>();
        try (RawServer refusing = RawServer.start(s -> {
            InputStream in = s.getInputStream();
            RawServer.readHead(in);
            reply(s.getOutputStream(), "401 Unauthorized\nlog in first");
            s.setSoTimeout(500);
            int seen = 0;
            try {
                while (in.read() >= 0) seen++;
            } catch (java.net.SocketTimeoutException quietClient) {
                // The client kept the body to itself, as it should; it may also have closed the connection.
            }
            bodyBytesSeen.add(seen);
        }); HttpClient client = HttpClient.create(expectAbove(1024))) {
            try (ClientResponse res = client.send(ClientRequest.post(refusing.url("/"), Body.of(BODY)))) {
                assertThat(res.statusCode()).isEqualTo(401);
                assertThat(res.bodyString()).isEqualTo("log in first");
            }
            // The server may still expect the announced body: that connection is never reused.
            assertThat(client.stats().idleConnections()).isZero();
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (bodyBytesSeen.isEmpty() && System.nanoTime() < until) Thread.sleep(10);
        }
        assertThat(bodyBytesSeen).containsExactly(0);
    }

    @Test
    void repeatsTheRequestWithoutTheExpectationAfter417() throws IOException {
        ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();
        try (RawServer strict = RawServer.start(s -> {
            InputStream in = s.getInputStream();
            String head = RawServer.readHead(in);
            heads.add(head);
            if (head.contains("Expect:")) {
                reply(s.getOutputStream(), "417 Expectation Failed");
                return;
            }
            byte[] body = in.readNBytes(contentLength(head));
            reply(s.getOutputStream(), "200 OK\ngot " + body.length);
        }); HttpClient client = HttpClient.create(expectAbove(1024))) {
            assertThat(client.send(ClientRequest.put(strict.url("/"), Body.of(BODY))).bodyString()).isEqualTo("got 10000");
            assertThat(heads).hasSize(2);
            assertThat(strict.accepted()).isEqualTo(2);
        }
    }
}
