package dev.porter.http.reliability;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slowloris: {@value #SLOW} connections send their request head one byte per second. The header timeout
 * ({@link HttpConfig#headerTimeout()}, here 2 s) cuts every one of them with 408 (or closes it), while ordinary
 * clients keep being served during the attack. {@code bench/slowloris} measures the throughput cost with 1,000.
 * The other direction too: a client that stops reading a response is cut by the write timeout.
 */
class SlowClientTest {

    private static final int SLOW = 200;
    private static final int ORDINARY = 8;
    private static final byte[] HEAD = "GET /plaintext HTTP/1.1\r\nHost: test\r\nUser-Agent: slowloris\r\nAccept: */*\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    enum Outcome { TIMED_OUT_408, CLOSED, ANSWERED, STILL_OPEN }

    @Test
    void headerTimeoutCutsSlowClientsWhileOthersAreServed() throws Exception {
        HttpConfig config = HttpConfig.builder().headerTimeout(Duration.ofSeconds(2)).build();
        try (HttpServer server = HttpServer.start(config, (req, res) -> res.send("Hello, World!"));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = server.port();
            List<Future<Outcome>> slow = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) slow.add(threads.submit(() -> trickle(port)));
            // Ordinary clients run while the slow ones are connected and trickling.
            AtomicBoolean attack = new AtomicBoolean(true);
            AtomicLong served = new AtomicLong();
            List<Future<Long>> ordinary = new ArrayList<>();
            for (int i = 0; i < ORDINARY; i++) ordinary.add(threads.submit(() -> requestsWhile(port, attack, served)));

            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : slow) outcomes.add(f.get());
            long servedDuringAttack = served.get();
            attack.set(false);
            long failures = 0;
            for (Future<Long> f : ordinary) failures += f.get();

            long cut408 = outcomes.stream().filter(o -> o == Outcome.TIMED_OUT_408).count();
            System.out.printf("slowloris: %d slow connections: %d got 408, %d closed without it; %d ordinary requests "
                    + "served meanwhile, %d failed%n", SLOW, cut408, outcomes.stream().filter(o -> o == Outcome.CLOSED).count(),
                    servedDuringAttack, failures);
            assertThat(outcomes).as("every slow connection was cut by the header timeout")
                    .allMatch(o -> o == Outcome.TIMED_OUT_408 || o == Outcome.CLOSED);
            assertThat(cut408).as("slow connections answered 408").isPositive();
            assertThat(failures).as("ordinary requests that failed").isZero();
            assertThat(servedDuringAttack).as("ordinary requests served during the attack").isPositive();
            assertThat(RawHttp.await(10_000, () -> server.stats().active() == 0)).isTrue();
        }
    }

    @Test
    void writeTimeoutCutsAClientThatStopsReading() throws Exception {
        byte[] block = new byte[64 * 1024];
        HttpConfig config = HttpConfig.builder().writeTimeout(Duration.ofSeconds(1)).build();
        try (HttpServer server = HttpServer.start(config, (req, res) -> {
            try (OutputStream out = res.stream()) {
                for (int i = 0; i < 4096; i++) out.write(block); // 256 MiB: far more than socket buffers hold
            }
        }); Socket s = RawHttp.connect(server.port())) {
            s.getOutputStream().write(RawHttp.get("/"));
            // Never read: the server's write blocks once the buffers are full, until the write timeout cuts it.
            assertThat(RawHttp.await(15_000, () -> server.stats().active() == 0 && server.stats().threads() == 0))
                    .as("the stalled connection was closed: %s", server.stats()).isTrue();
        }
    }

    /**
     * Sends the head one byte per second, reading meanwhile (the one-second read timeout is the pause).
     * @return how the server ended it; STILL_OPEN if the whole head went out without being cut
     */
    private static Outcome trickle(int port) throws IOException {
        try (Socket s = RawHttp.connect(port)) {
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (int i = 0; i < HEAD.length; i++) {
                try {
                    out.write(HEAD[i]);
                } catch (SocketException e) {
                    return outcome(got); // reset or broken pipe: the server closed it
                }
                long pause = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < pause) {
                    try {
                        int n = in.read();
                        if (n < 0) return outcome(got);
                        got.write(n);
                    } catch (SocketTimeoutException e) {
                        break; // a quiet second: send the next byte
                    } catch (SocketException e) {
                        return outcome(got);
                    }
                }
            }
            return Outcome.STILL_OPEN;
        }
    }

    private static Outcome outcome(ByteArrayOutputStream got) {
        String text = got.toString(StandardCharsets.ISO_8859_1);
        if (text.startsWith("HTTP/1.1 408 ")) return Outcome.TIMED_OUT_408;
        return text.isEmpty() ? Outcome.CLOSED : Outcome.ANSWERED;
    }

    /** Keep-alive requests while {@code attack} holds. @return how many failed */
    private static long requestsWhile(int port, AtomicBoolean attack, AtomicLong served) throws IOException {
        long failed = 0;
        while (attack.get()) {
            try (Socket s = RawHttp.connect(port)) {
                InputStream in = RawHttp.in(s);
                OutputStream out = s.getOutputStream();
                while (attack.get()) {
                    out.write(RawHttp.get("/plaintext"));
                    RawHttp.Reply reply = RawHttp.read(in);
                    if (reply == null || reply.status() != 200 || !reply.text().equals("Hello, World!")) failed++;
                    else served.incrementAndGet();
                    if (reply != null && reply.closes()) break; // maxRequestsPerConnection reached: reconnect
                }
            }
        }
        return failed;
    }
}
