package dev.porter.http.reliability;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping a server while clients keep connecting: every connection the kernel completed either gets an answer,
 * or is closed or reset; none is left open and unserved (a socket accepted just as the stop began must still be
 * served or closed, never dropped with its descriptor). Many short rounds make the race likely.
 */
class StopWhileConnectingTest {

    private static final int ROUNDS = 30;
    private static final int CLIENTS = 8;
    private static final byte[] CLOSE_REQUEST = "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void everyConnectionMadeDuringAStopIsAnsweredOrClosed() throws Exception {
        long fdBaseline = -1;
        int stuck = 0;
        for (int round = 0; round < ROUNDS; round++) {
            HttpServer server = HttpServer.start(HttpConfig.defaults(), (req, res) -> res.send("ok"));
            int port = server.port();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) results.add(clients.submit(() -> connectUntilRefused(port)));
                Thread.sleep(5 + round % 7);
                server.stop(Duration.ofSeconds(5));
                for (Future<Integer> f : results) stuck += f.get();
            }
            if (round == 0) fdBaseline = RawHttp.openFileDescriptors();
        }
        long baseline = fdBaseline;
        assertThat(stuck).as("connections left open without an answer after the stop").isZero();
        assertThat(RawHttp.await(10_000, () -> {
            try {
                return RawHttp.openFileDescriptors() <= baseline;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).as("descriptors back to %s", baseline).isTrue();
    }

    /** Connects and sends a request, again and again, until refused. @return connections left hanging (0 or 1) */
    private static int connectUntilRefused(int port) throws IOException {
        while (true) {
            Socket s;
            try {
                s = RawHttp.connect(port);
            } catch (SocketException e) {
                return 0; // refused, or reset while connecting as the welcome socket closed
            }
            try (s) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(CLOSE_REQUEST);
                InputStream in = s.getInputStream();
                while (in.read() >= 0) {
                    // read the answer and the end of the connection
                }
            } catch (SocketTimeoutException e) {
                return 1; // no answer and no close within 5 s: the server lost this connection
            } catch (SocketException e) {
                // reset or broken pipe: closed by the server, as a stop may do
            }
        }
    }
}
