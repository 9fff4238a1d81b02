package dev.porter.http.h2;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.Router;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.porter.http.h2.H2Assert.serves;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a handler sees when the client resets its stream (RFC 9113 §6.4) while the handler reads the request body
 * or writes the response: an {@link IOException}, also through the usual {@code try (OutputStream out =
 * res.stream())}, whose close fails too once the stream is gone. A client leaving is not the handler's failure.
 */
class Http2ResetHandlerTest {

    @Test
    void aStreamResetByTheClientReachesATryWithResourcesWriterAsAnIOException() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CountDownLatch writing = new CountDownLatch(1);
        byte[] chunk = new byte[1000];
        Router router = new Router()
                .get("/hello", (req, res) -> res.send("hello"))
                .get("/endless", (req, res) -> {
                    try {
                        try (OutputStream out = res.stream()) {
                            while (true) {
                                out.write(chunk);
                                writing.countDown();
                            }
                        }
                    } catch (Throwable t) {
                        thrown.complete(t);
                        throw t;
                    }
                });
        try (HttpServer server = TestHttp.start(HttpConfig.builder(), router);
             H2Client c = H2Client.connect(server)) {
            int id = c.request("GET", "/endless", true);
            assertThat(writing.await(20, TimeUnit.SECONDS)).isTrue();
            c.rst(id, Http2Error.CANCEL);
            // Before the fix: IllegalArgumentException "Self-suppression not permitted", logged as a handler failure
            // with its stack trace for every reset: the write and the close threw the same exception object.
            assertThat(thrown.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("reset by the client");
            serves(c);
        }
    }

    @Test
    void aStreamResetByTheClientReachesAnEchoingHandlerAsAnIOException() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CountDownLatch reading = new CountDownLatch(1);
        Router router = new Router()
                .get("/hello", (req, res) -> res.send("hello"))
                .post("/echo", (req, res) -> {
                    byte[] buf = new byte[1000];
                    try {
                        // The demo's echo: the body's read fails, then the response stream's close.
                        try (OutputStream out = res.stream(); InputStream in = req.body()) {
                            for (int n; (n = in.read(buf)) > 0; ) {
                                out.write(buf, 0, n); // held in the body's buffer: the close sends it
                                reading.countDown();
                            }
                        }
                    } catch (Throwable t) {
                        thrown.complete(t);
                        throw t;
                    }
                });
        try (HttpServer server = TestHttp.start(HttpConfig.builder(), router);
             H2Client c = H2Client.connect(server)) {
            int id = c.request("POST", "/echo", false);
            c.data(id, "some of the body", false);
            assertThat(reading.await(20, TimeUnit.SECONDS)).isTrue();
            c.rst(id, Http2Error.CANCEL);
            assertThat(thrown.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("reset by the client");
            serves(c);
        }
    }
}
