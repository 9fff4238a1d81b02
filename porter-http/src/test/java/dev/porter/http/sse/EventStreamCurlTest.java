package dev.porter.http.sse;

import dev.porter.core.testing.Await;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.SseParser;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code curl -N} (no output buffering) reading Porter's event streams as they arrive: its output file is read while
 * curl runs, so each event is seen before the handler may send the next one, the heartbeat comments show up in a
 * quiet stream, and {@code Last-Event-ID} continues the numbering. Skipped without curl.
 */
class EventStreamCurlTest {

    @TempDir
    Path dir;
    private SseRoutes routes;
    private HttpServer server;
    private final List<Process> curls = new ArrayList<>();

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(new File("/usr/bin/curl").canExecute(), "curl is not installed (.ci/run installs it)");
        routes = new SseRoutes();
        server = TestHttp.start(routes.router());
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : curls) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) server.close();
    }

    /** Starts {@code curl -N -s} on {@code path}; its stdout goes to the returned file, read while it runs. */
    private Path curl(String path, String... extra) throws IOException {
        Path out = Files.createTempFile(dir, "curl", ".out");
        List<String> cmd = new ArrayList<>(List.of("curl", "-N", "-s", "--max-time", "30", "-D", "-"));
        cmd.addAll(List.of(extra));
        cmd.add("http://127.0.0.1:" + server.port() + path);
        curls.add(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SseParser parse(Path file) {
        String all = read(file);
        int body = all.indexOf("\r\n\r\n");
        return new SseParser().feed(body < 0 ? "" : all.substring(body + 4));
    }

    @Test
    void eventsArriveOneByOneBeforeTheStreamEnds() throws Exception {
        Path out = curl("/gated");
        for (int n = 1; n <= 3; n++) {
            int seen = n;
            // The handler sends event n+1 only after next(): what curl printed came before the stream's end.
            Await.until("curl printed event " + n, () -> parse(out).events().size() == seen);
            assertThat(parse(out).events().get(n - 1)).isEqualTo(new SseParser.Event("message", "event " + n, Integer.toString(n)));
            routes.next();
        }
        Process p = curls.get(0);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl's exit status after a complete stream").isZero();
        String head = read(out).substring(0, read(out).indexOf("\r\n\r\n"));
        assertThat(head).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-type: text/event-stream; charset=utf-8")
                .containsIgnoringCase("cache-control: no-store");
    }

    @Test
    void theHeartbeatCommentArrives() throws Exception {
        Path out = curl("/beat");
        Await.until("curl printed the first event", () -> parse(out).events().size() == 1);
        Await.until("curl printed two heartbeats", () -> parse(out).comments().size() >= 2);
        assertThat(parse(out).comments()).allMatch(" heartbeat"::equals);
        assertThat(read(out)).contains("\n: heartbeat\n");
        routes.release.complete(null);
    }

    @Test
    void lastEventIdIsHonoured() throws Exception {
        routes.gate.release(3);
        Path out = curl("/gated", "-H", "Last-Event-ID: 99");
        Process p = curls.get(0);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(parse(out).events()).extracting(SseParser.Event::lastEventId).containsExactly("100", "101", "102");
        assertThat(parse(out).events()).extracting(SseParser.Event::data).containsExactly("event 100", "event 101", "event 102");
    }

    @Test
    void curlKilledMidStreamEndsTheHandler() throws Exception {
        Path out = curl("/forever");
        Await.until("curl printed a few events", () -> parse(out).events().size() >= 3);
        curls.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(routes.ended.get(20, TimeUnit.SECONDS)).isInstanceOf(dev.porter.http.EventStreamClosedException.class);
        Await.until("the connection is gone", () -> server.stats().active() == 0);
    }
}
