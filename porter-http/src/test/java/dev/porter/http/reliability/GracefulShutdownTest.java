package dev.porter.http.reliability;

import dev.porter.core.ServerStats;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Graceful shutdown under load: many clients run keep-alive requests while {@code stop(grace)} is called.
 *
 * <p>A request is <em>accepted</em> when the server invoked the handler for it; the handler records each
 * request's unique target. Clients record each request whose bytes they finished sending and each complete
 * response (whose body must echo the target). The test asserts that the accepted requests and the completed
 * responses are the same set: no accepted request is lost, none is answered twice or with another's answer. A
 * request sent but not accepted is one whose connection the server closed before reading it (an idle
 * keep-alive connection closed by the stop, or a new connection refused): its client sees the connection end
 * without a response, as HTTP allows for a request the server never started (RFC 9112 §9.3.1, §9.6).
 */
class GracefulShutdownTest {

    private static final int CLIENTS = 40;

    @Test
    void stopUnderLoadAnswersEveryAcceptedRequestAndRefusesNewConnections() throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        AtomicInteger closingAnswers = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        HttpServer server = HttpServer.start(HttpConfig.defaults(), (req, res) -> {
            accepted.add(req.target());
            // Hold each request a little, so requests are in the handler when the stop comes.
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 15));
            res.send(req.target());
        });
        int port = server.port();
        CountDownLatch warmedUp = new CountDownLatch(CLIENTS);
        Thread[] clients = new Thread[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            int id = i;
            clients[i] = Thread.ofVirtual().start(() -> {
                try {
                    run(id, port, sent, completed, closingAnswers, warmedUp);
                } catch (Throwable t) {
                    t.printStackTrace(System.out); // shown in the test's output file, next to the server's log
                    failure.compareAndSet(null, t);
                    warmedUp.countDown();
                }
            });
        }
        warmedUp.await();
        int forced = server.stop(Duration.ofSeconds(10));
        ServerStats stats = server.stats();
        for (Thread t : clients) t.join(30_000);

        assertThat(failure.get()).as("client failure").isNull();
        assertThat(forced).as("connections still busy at the deadline").isZero();
        assertThat(stats.active()).isZero();
        assertThat(stats.threads()).isZero();
        assertThat(completed).as("completed responses").isNotEmpty();
        assertThat(closingAnswers.get()).as("responses that ended a connection because of the stop").isPositive();
        assertThat(sent).containsAll(accepted);
        assertThat(completed).as("every accepted request answered, and only those").isEqualTo(accepted);
        assertThatThrownBy(() -> RawHttp.connect(port).close()).isInstanceOf(ConnectException.class);
        System.out.printf("graceful stop: %d requests sent, %d accepted and answered, %d sent but never accepted, "
                        + "%d connections accepted, %d answers with Connection: close, %d forced%n",
                sent.size(), accepted.size(), sent.size() - accepted.size(), stats.accepted(), closingAnswers.get(), forced);
    }

    /** One client: keep-alive requests until its connection ends and a new one is refused. */
    private static void run(int id, int port, Set<String> sent, Set<String> completed, AtomicInteger closingAnswers,
                            CountDownLatch warmedUp) throws IOException {
        int n = 0;
        boolean counted = false;
        while (true) {
            Socket s;
            try {
                s = RawHttp.connect(port);
            } catch (java.net.SocketException e) {
                if (!counted) warmedUp.countDown();
                return; // refused (or reset while connecting): the welcome socket is closed, the server stopped
            }
            try (s) {
                InputStream in = RawHttp.in(s);
                OutputStream out = s.getOutputStream();
                while (true) {
                    String target = "/c" + id + "/r" + n++;
                    try {
                        out.write(RawHttp.get(target));
                    } catch (IOException e) {
                        break; // the server closed the connection before this request was sent whole
                    }
                    sent.add(target);
                    RawHttp.Reply reply;
                    try {
                        reply = RawHttp.read(in);
                    } catch (java.net.SocketException e) {
                        reply = null; // reset: the server closed with this request unread
                    }
                    if (reply == null) break;
                    assertThat(reply.status()).isEqualTo(200);
                    assertThat(reply.text()).as("the answer to this request").isEqualTo(target);
                    completed.add(target);
                    if (!counted && n >= 5) {
                        counted = true;
                        warmedUp.countDown();
                    }
                    if (reply.closes()) {
                        closingAnswers.incrementAndGet();
                        break;
                    }
                }
            }
        }
    }
}
