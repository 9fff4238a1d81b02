package dev.porter.http;

import dev.porter.http.ClientRequest.Body;
import dev.porter.http.testing.RawServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connect, read, write and whole-request timeouts against servers that never answer (or barely). */
class ClientTimeoutTest {

    private static HttpClient client(ClientConfig.Builder b) {
        return HttpClient.create(b.build());
    }

    @Test
    void readTimeoutEndsAWaitForASilentServer() throws IOException {
        try (RawServer silent = RawServer.silent();
             HttpClient client = client(ClientConfig.builder().readTimeout(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> client.get(silent.url("/")))
                    .isInstanceOfSatisfying(HttpClientException.Timeout.class,
                            e -> assertThat(e.kind()).isEqualTo(HttpClientException.Timeout.Kind.READ))
                    .hasMessageContaining("read timeout");
        }
    }

    @Test
    void requestTimeoutBoundsTheWholeExchange() throws IOException {
        try (RawServer silent = RawServer.silent();
             HttpClient client = client(ClientConfig.builder().readTimeout(Duration.ofSeconds(30)).requestTimeout(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> client.get(silent.url("/")))
                    .isInstanceOfSatisfying(HttpClientException.Timeout.class,
                            e -> assertThat(e.kind()).isEqualTo(HttpClientException.Timeout.Kind.REQUEST))
                    .hasMessageContaining("did not complete within 300 ms");
        }
    }

    @Test
    void aRequestsOwnTimeoutOverridesTheClients() throws IOException {
        try (RawServer silent = RawServer.silent(); HttpClient client = HttpClient.create()) {
            ClientRequest req = ClientRequest.builder("GET", silent.url("/")).timeout(Duration.ofMillis(200)).build();
            assertThatThrownBy(() -> client.send(req))
                    .isInstanceOfSatisfying(HttpClientException.Timeout.class,
                            e -> assertThat(e.kind()).isEqualTo(HttpClientException.Timeout.Kind.REQUEST));
        }
    }

    @Test
    void requestTimeoutAlsoBoundsReadingTheBody() throws IOException {
        // The head comes at once; the body trickles, one byte every 50 ms: each read is quick, the whole is not.
        try (RawServer trickle = RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 1000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(50);
            }
        }); HttpClient client = client(ClientConfig.builder().requestTimeout(Duration.ofMillis(500)))) {
            ClientResponse res = client.get(trickle.url("/"));
            assertThat(res.statusCode()).isEqualTo(200);
            assertThatThrownBy(res::bodyBytes)
                    .isInstanceOfSatisfying(HttpClientException.Timeout.class,
                            e -> assertThat(e.kind()).isEqualTo(HttpClientException.Timeout.Kind.REQUEST));
        }
    }

    @Test
    void writeTimeoutEndsAnUploadTheServerDoesNotRead() throws IOException {
        try (RawServer deaf = RawServer.start(s -> Thread.sleep(60_000));
             HttpClient client = client(ClientConfig.builder().readTimeout(Duration.ofMillis(500)).expectContinueThreshold(-1))) {
            ClientRequest req = ClientRequest.post(deaf.url("/"), Body.of(new byte[64 * 1024 * 1024]));
            assertThatThrownBy(() -> client.send(req))
                    .isInstanceOfSatisfying(HttpClientException.Timeout.class,
                            e -> assertThat(e.kind()).isEqualTo(HttpClientException.Timeout.Kind.WRITE));
        }
    }

    @Test
    void connectTimeoutWhenTheServerCannotAcceptMore() throws IOException {
        // A listener with a backlog of 1 that never accepts: once its queue is full, the kernel drops further SYNs,
        // so a new connection hangs in the handshake.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            boolean blocked = false;
            try {
                for (int i = 0; i < 16 && !blocked; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                    } catch (SocketTimeoutException e) {
                        blocked = true;
                    }
                }
                Assumptions.assumeTrue(blocked, "this kernel keeps accepting connections into a full backlog");
                try (HttpClient client = client(ClientConfig.builder().connectTimeout(Duration.ofMillis(300)))) {
                    assertThatThrownBy(() -> client.get("http://127.0.0.1:" + full.getLocalPort() + "/"))
                            .isInstanceOfSatisfying(HttpClientException.Timeout.class,
                                    e -> assertThat(e.kind()).isEqualTo(HttpClientException.Timeout.Kind.CONNECT))
                            .hasMessageContaining("connect to 127.0.0.1:" + full.getLocalPort() + " timed out");
                }
            } finally {
                for (Socket s : fillers) s.close();
            }
        }
    }

    @Test
    void aTimedOutConnectionIsNotReused() throws IOException {
        // The server answers, but only after the client gave up: that late answer must never be read as the
        // response to a later request.
        try (RawServer late = RawServer.start(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (RawServer.readHead(in) != null) {
                Thread.sleep(400);
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }); HttpClient client = client(ClientConfig.builder().readTimeout(Duration.ofMillis(200)))) {
            assertThatThrownBy(() -> client.get(late.url("/"))).isInstanceOf(HttpClientException.Timeout.class);
            assertThat(client.stats().idleConnections()).isZero();
            assertThatThrownBy(() -> client.get(late.url("/"))).isInstanceOf(HttpClientException.Timeout.class);
            assertThat(client.stats().connectionsOpened()).isEqualTo(2);
        }
    }
}
