package dev.porter.http;

import dev.porter.http.testing.HttpWire;
import dev.porter.http.testing.TestHttp;
import dev.porter.http.testing.WireResponse;
import dev.porter.core.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HttpServer#stop(Duration)}: idle connections end at once, requests in flight finish and say close. */
class StopTest {

    @Test
    void closesIdleKeepAliveConnectionsAtOnce() {
        Router router = new Router().get("/", (req, res) -> res.send("ok"));
        HttpServer server = TestHttp.start(router);
        try (HttpWire wire = HttpWire.connect(server)) {
            assertThat(wire.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().text()).isEqualTo("ok");
            assertThat(server.stop(Duration.ofSeconds(5))).as("nothing was busy").isZero();
            assertThat(wire.closedByServer()).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void letsARequestInFlightFinishAndAnnouncesTheClose() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Router router = new Router().get("/slow", (req, res) -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            res.send("finished");
        });
        HttpServer server = TestHttp.start(router);
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(10)));
            awaitRefused(server.port());
            release.countDown();
            WireResponse r = wire.readResponse();
            assertThat(r.text()).isEqualTo("finished");
            assertThat(r.closes()).as("the stop began during the handler: the answer says close").isTrue();
            assertThat(wire.closedByServer()).isTrue();
            stopper.join();
        } finally {
            release.countDown();
            server.close();
        }
    }

    @Test
    void aHandlerInterruptedAtTheDeadlineIsNotLoggedAsAFailure() throws Exception {
        // core.md: at the deadline a conversation blocked elsewhere than on its socket is interrupted. That is the
        // stop's doing: no WARNING with a stack trace blaming the handler, and the access log says 503.
        CountDownLatch entered = new CountDownLatch(1);
        List<String> accessLog = new CopyOnWriteArrayList<>();
        Router router = new Router().get("/forever", (req, res) -> {
            entered.countDown();
            new CountDownLatch(1).await();
        });
        HttpServer server = HttpServer.start(HttpConfig.builder().port(0).accessLog(AccessLog.combined(accessLog::add)).build(), router);
        try (LogCapture log = LogCapture.of("dev.porter.http.HttpServer"); HttpWire wire = HttpWire.connect(server)) {
            wire.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.stop(Duration.ofMillis(200))).as("one request was cut off").isEqualTo(1);
            assertThat(log.failures()).isEmpty();
            assertThat(log.messages(System.Logger.Level.WARNING)).isEmpty();
        } finally {
            server.close();
        }
        assertThat(accessLog).singleElement().asString().contains("\"GET /forever HTTP/1.1\" 503 ");
    }

    @Test
    void aRequestCutOffAtTheDeadlineWhileReadingItsBodyKeepsItsAccessLogLine() throws Exception {
        // An upload still arriving when the grace ends: its connection is closed under the handler's read. The
        // access log used to lose the request altogether.
        CountDownLatch entered = new CountDownLatch(1);
        List<String> accessLog = new CopyOnWriteArrayList<>();
        Router router = new Router().put("/upload", (req, res) -> {
            entered.countDown();
            res.send(req.body().transferTo(java.io.OutputStream.nullOutputStream()) + " bytes\n");
        });
        HttpServer server = HttpServer.start(HttpConfig.builder().port(0).accessLog(AccessLog.combined(accessLog::add)).build(), router);
        try (HttpWire wire = HttpWire.connect(server)) {
            wire.send("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly part of it");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.stop(Duration.ofMillis(200))).as("one request was cut off").isEqualTo(1);
        } finally {
            server.close();
        }
        assertThat(accessLog).singleElement().asString().contains("\"PUT /upload HTTP/1.1\" 503 ");
    }

    /** Waits (bounded) until the welcome socket is closed, i.e. the stop has begun. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server kept accepting connections");
    }
}
