package dev.porter.http.h2;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nghttp (Debian's nghttp2-client) against Porter with {@code -v}, asserting on the frames it logs: the SETTINGS
 * exchange and the connection window, HEADERS and DATA, streams multiplexed on one connection and run at the same
 * time, DATA frames kept within a small stream window and the frame size, uploads with padding, trailers and no
 * content-length, HEAD, {@code 100-continue}, a zero-size HPACK table, and field blocks split into CONTINUATION
 * frames. Skipped when nghttp is missing.
 */
class NghttpTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** One frame as nghttp logs it: {@code [  0.002] recv DATA frame <length=13, flags=0x01, stream_id=13>}. */
    private static final Pattern FRAME =
            Pattern.compile("(send|recv) ([A-Z_]+) frame <length=(\\d+), flags=0x([0-9a-f]{2}), stream_id=(\\d+)>");

    record Frame(String direction, String type, int length, int flags, int stream, int at) {
        boolean received() {
            return direction.equals("recv");
        }

        boolean endStream() {
            return (flags & 0x1) != 0 && (type.equals("DATA") || type.equals("HEADERS"));
        }

        boolean ack() {
            return (flags & 0x1) != 0 && (type.equals("SETTINGS") || type.equals("PING"));
        }
    }

    @TempDir
    static Path dir;
    private static InteropServers servers;
    private static String nghttp;
    private static byte[] blob;

    @BeforeAll
    static void start() throws IOException {
        nghttp = Programs.require("nghttp");
        servers = InteropServers.start(dir);
        blob = InteropServers.randomBytes(300_001, 3);
        Files.write(servers.site().resolve("blob.bin"), blob);
    }

    @AfterAll
    static void stop() {
        if (servers != null) servers.close();
    }

    private static String url(String transport, String path) {
        return transport.equals("h2") ? servers.h2(path) : servers.h2c(path);
    }

    /** Runs nghttp with {@code -v} and a 20 s timeout per request; fails unless it exits 0. */
    private static Programs.Result nghttp(String... args) {
        List<String> command = new ArrayList<>(List.of(nghttp, "-v", "-t", "20"));
        command.addAll(Arrays.asList(args));
        Programs.Result r = Programs.run(LIMIT, command);
        assertThat(r.exit()).as(String.join(" ", command) + "\n" + r).isZero();
        return r;
    }

    private static List<Frame> frames(String log) {
        List<Frame> frames = new ArrayList<>();
        Matcher m = FRAME.matcher(log);
        while (m.find()) {
            frames.add(new Frame(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4), 16),
                    Integer.parseInt(m.group(5)), m.start()));
        }
        return frames;
    }

    private static List<Frame> received(List<Frame> frames, String type, int stream) {
        return frames.stream().filter(f -> f.received() && f.type().equals(type) && f.stream() == stream).toList();
    }

    private static void assertNoErrorFromTheServer(List<Frame> frames, String log) {
        assertThat(frames).as(log).noneMatch(f -> f.received() && (f.type().equals("RST_STREAM") || f.type().equals("GOAWAY")));
        assertThat(log).doesNotContain("[ERROR]").doesNotContain("[INVALID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "h2"})
    void exchangesSettingsFirstAndAnswersWithHeadersAndData(String transport) {
        Programs.Result r = nghttp("-n", url(transport, "/plaintext"));
        String log = r.stdout();
        List<Frame> frames = frames(log);
        if (transport.equals("h2")) assertThat(log).contains("The negotiated protocol: h2");
        // RFC 9113 §3.4: the server's preface is a SETTINGS frame, its first frame.
        Frame first = frames.stream().filter(Frame::received).findFirst().orElseThrow();
        assertThat(first.type()).as(log).isEqualTo("SETTINGS");
        assertThat(first.ack()).isFalse();
        assertThat(first.stream()).isZero();
        int end = log.indexOf("\n[", first.at()); // the next logged event
        String settings = log.substring(first.at(), end < 0 ? log.length() : end);
        assertThat(settings).contains("[SETTINGS_ENABLE_PUSH(0x02):0]").contains("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100]")
                .contains("[SETTINGS_MAX_HEADER_LIST_SIZE(0x06):16384]");
        // The server acknowledges the client's SETTINGS (§6.5.3), with an empty frame.
        assertThat(frames).as(log).anyMatch(f -> f.received() && f.type().equals("SETTINGS") && f.ack() && f.length() == 0);
        // The connection's receive window is raised from 65,535 to Http2Config's 1 MiB at once.
        assertThat(received(frames, "WINDOW_UPDATE", 0)).as(log).isNotEmpty();
        assertThat(log).contains("(window_size_increment=" + ((1 << 20) - 65_535) + ")");
        // The answer: HEADERS (":status: 200", no END_STREAM) then one DATA frame of 13 bytes ending the stream.
        List<Frame> headers = received(frames, "HEADERS", 13);
        assertThat(headers).as(log).hasSize(1);
        assertThat(headers.get(0).endStream()).isFalse();
        assertThat(log).contains("recv (stream_id=13) :status: 200").contains("recv (stream_id=13) content-length: 13")
                .contains("recv (stream_id=13) server: Porter");
        List<Frame> data = received(frames, "DATA", 13);
        assertThat(data).as(log).hasSize(1);
        assertThat(data.get(0).length()).isEqualTo(13);
        assertThat(data.get(0).endStream()).isTrue();
        assertThat(data.get(0).at()).isGreaterThan(headers.get(0).at());
        assertNoErrorFromTheServer(frames, log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "h2"})
    void runsMultiplexedStreamsOfOneConnectionAtTheSameTime(String transport) {
        int n = 10;
        String key = UUID.randomUUID().toString();
        List<String> args = new ArrayList<>();
        // Each handler waits until all ten are being handled at once: serial streams would each answer "alone".
        for (int i = 0; i < n; i++) args.add(url(transport, "/together?key=" + key + "&n=" + n + "&i=" + i));
        var server = transport.equals("h2") ? servers.tls() : servers.clear();
        long before = server.stats().accepted();
        Programs.Result r = nghttp(args.toArray(String[]::new));
        String log = r.stdout();
        List<Frame> frames = frames(log);
        List<Integer> streams = IntStream.range(0, n).map(i -> 13 + 2 * i).boxed().toList();
        for (int id : streams) {
            assertThat(log).as(log).contains("recv (stream_id=" + id + ") :status: 200");
            assertThat(received(frames, "DATA", id)).as("stream " + id).isNotEmpty();
        }
        // The bodies (nghttp prints them amid its log), not the paths of the requests.
        assertThat(Pattern.compile("(?<!/)together").matcher(log).results().count()).as(log).isEqualTo(n);
        assertThat(log).doesNotContain("alone");
        assertThat(server.stats().accepted() - before).as("one connection").isEqualTo(1);
        assertNoErrorFromTheServer(frames, log);
    }

    /**
     * nghttp announces a stream window of 1,023 bytes ({@code -w 10}) and a connection window of 65,535: every
     * DATA frame must fit in what the window left (§6.9), and the server must keep sending as the client opens
     * it again — for a body sent whole, a streamed one and a file.
     */
    @Test
    void keepsEveryDataFrameWithinASmallStreamWindow() {
        int n = 100_000;
        for (String path : List.of("/bytes?n=" + n, "/stream?n=" + n, "/static/blob.bin")) {
            Programs.Result r = nghttp("-n", "-w", "10", servers.h2c(path));
            String log = r.stdout();
            List<Frame> frames = frames(log);
            List<Frame> data = received(frames, "DATA", 13);
            assertThat(data).as(path + "\n" + log).isNotEmpty();
            assertThat(data).as(path).allMatch(f -> f.length() <= 1023);
            int expected = path.startsWith("/static") ? blob.length : n;
            assertThat(data.stream().mapToInt(Frame::length).sum()).as(path).isEqualTo(expected);
            assertThat(data.get(data.size() - 1).endStream()).as(path).isTrue();
            assertNoErrorFromTheServer(frames, log);
        }
    }

    @Test
    void sizesDataFramesToTheFrameSizeAndWaitsForWindowUpdates() {
        for (String path : List.of("/bytes?n=300000", "/stream?n=300000", "/static/blob.bin")) {
            Programs.Result r = nghttp("-n", servers.h2c(path));
            String log = r.stdout();
            List<Frame> frames = frames(log);
            List<Frame> data = received(frames, "DATA", 13);
            assertThat(data).as(path).allMatch(f -> f.length() <= 16_384).anyMatch(f -> f.length() == 16_384);
            int expected = path.startsWith("/static") ? blob.length : 300_000;
            assertThat(data.stream().mapToInt(Frame::length).sum()).as(path).isEqualTo(expected);
            // More than the 65,535-byte initial window: the rest was sent only after the client's WINDOW_UPDATEs.
            assertThat(frames).as(path).anyMatch(f -> !f.received() && f.type().equals("WINDOW_UPDATE") && f.stream() == 13);
            assertNoErrorFromTheServer(frames, log);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "h2"})
    void readsAnUploadWithPaddingTrailersAndNoContentLength(String transport) throws IOException {
        byte[] data = InteropServers.randomBytes(1024 * 1024 + 9, 5);
        Path file = Files.write(dir.resolve("upload-" + transport + ".bin"), data);
        Programs.Result r = nghttp("-d", file.toString(), "-b", "255", "--trailer", "x-checksum: whatever",
                "--no-content-length", url(transport, "/digest"));
        String log = r.stdout();
        List<Frame> frames = frames(log);
        assertThat(log).contains(InteropServers.sha256(data) + " " + data.length);
        assertThat(log).contains("(padlen=255)").contains("x-checksum: whatever");
        // The body is larger than the 65,535-byte stream window: the server gave the window back as it read.
        assertThat(received(frames, "WINDOW_UPDATE", 13)).as(log).isNotEmpty();
        assertNoErrorFromTheServer(frames, log);
    }

    @Test
    void answersHeadWithAHeadersFrameThatEndsTheStream() {
        Programs.Result r = nghttp("-n", "-H", ":method: HEAD", servers.h2c("/static/blob.bin"));
        String log = r.stdout();
        List<Frame> frames = frames(log);
        List<Frame> headers = received(frames, "HEADERS", 13);
        assertThat(headers).as(log).hasSize(1);
        assertThat(headers.get(0).endStream()).isTrue();
        assertThat(log).contains("recv (stream_id=13) content-length: " + blob.length);
        assertThat(received(frames, "DATA", 13)).isEmpty();
        assertNoErrorFromTheServer(frames, log);
    }

    @Test
    void sends100ContinueWhenTheHandlerReadsTheBody() throws IOException {
        byte[] data = InteropServers.randomBytes(200_000, 9);
        Path file = Files.write(dir.resolve("continue.bin"), data);
        Programs.Result r = nghttp("-n", "--expect-continue", "-d", file.toString(), servers.h2c("/digest"));
        String log = r.stdout();
        List<Frame> frames = frames(log);
        int interim = log.indexOf("recv (stream_id=13) :status: 100");
        int fin = log.indexOf("recv (stream_id=13) :status: 200");
        assertThat(interim).as(log).isPositive();
        assertThat(fin).as("100 before 200 (RFC 9113 §8.1)\n" + log).isGreaterThan(interim);
        int received = received(frames, "DATA", 13).stream().mapToInt(Frame::length).sum();
        assertThat(received).as(log).isEqualTo((InteropServers.sha256(data) + " " + data.length).length());
        assertNoErrorFromTheServer(frames, log);
    }

    /**
     * The echo handler commits its 200 before it reads the body. Whatever the server does about the 100 the client
     * waits for, it may not come after the final HEADERS (RFC 9113 §8.1: a response is 1xx HEADERS, then the final
     * ones): nghttp would take it as malformed and reset the stream (PROTOCOL_ERROR). nghttp itself sends no body
     * once a final answer came without a 100, so the exchange may end at nghttp's timeout; only the frames are
     * checked.
     */
    @Test
    void neverSendsAnInterimResponseAfterTheFinalOne() throws IOException {
        byte[] data = InteropServers.randomBytes(200_000, 9);
        Path file = Files.write(dir.resolve("continue-echo.bin"), data);
        Programs.Result r = Programs.run(LIMIT, List.of(nghttp, "-v", "-n", "-t", "3", "--expect-continue", "-d",
                file.toString(), servers.h2c("/echo")));
        String log = r.stdout();
        int fin = log.indexOf("recv (stream_id=13) :status: 200");
        assertThat(fin).as(log).isPositive();
        assertThat(log.indexOf(":status: 100", fin)).as("a 100 after the final HEADERS\n" + log).isNegative();
        assertThat(log).doesNotContain("[INVALID").doesNotContain("Invalid HTTP header field");
        assertThat(log).doesNotContainPattern("send RST_STREAM frame <[^>]*>\\s+\\(error_code=PROTOCOL_ERROR");
    }

    @Test
    void encodesResponseFieldsForAZeroSizeHeaderTable() {
        // SETTINGS_HEADER_TABLE_SIZE 0: the server's HPACK encoder may not index anything (RFC 7541 §4.2).
        Programs.Result r = nghttp("-n", "-c", "0", servers.h2c("/plaintext"), servers.h2c("/proto"),
                servers.h2c("/bytes?n=10"), servers.h2c("/static/blob.bin"));
        String log = r.stdout();
        for (int id = 13; id <= 19; id += 2) assertThat(log).contains("recv (stream_id=" + id + ") :status: 200");
        assertNoErrorFromTheServer(frames(log), log);
    }

    @Test
    void takesAFieldBlockSplitIntoContinuationFrames() throws IOException {
        // nghttp --continuation adds a header of about 18 KB: over the default 16 KiB limit it is answered 431 on
        // its stream (the connection stays); with a limit of 64 KiB it is a request like any other.
        Programs.Result tooLarge = nghttp("-n", "--continuation", servers.h2c("/plaintext"));
        assertThat(tooLarge.stdout()).contains("recv (stream_id=13) :status: 431");
        assertThat(frames(tooLarge.stdout())).noneMatch(f -> f.received() && f.type().equals("GOAWAY"));
        try (HttpServer big = TestHttp.start(HttpConfig.builder().maxHeaderBytes(64 * 1024),
                (req, res) -> res.send("fields " + req.headers().size()))) {
            Programs.Result r = nghttp("--continuation", "http://127.0.0.1:" + big.port() + "/");
            assertThat(r.stdout()).contains("recv (stream_id=13) :status: 200").containsPattern("fields \\d+");
            assertNoErrorFromTheServer(frames(r.stdout()), r.stdout());
        }
    }
}
