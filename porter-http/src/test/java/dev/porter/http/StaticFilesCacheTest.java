package dev.porter.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The open-file and in-memory cache of {@link StaticFiles}: hits, staleness window, eviction, concurrency. */
class StaticFilesCacheTest {

    private static final Duration WINDOW = Duration.ofMillis(200);

    @TempDir
    Path root;
    StaticServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private StaticClient start(FileCache cache) throws IOException {
        server = StaticServer.start(StaticFiles.Options.of(root).withMetadataCache(WINDOW).withFileCache(cache));
        return server.client;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Asks again until {@code done} holds, for at most 10 s: the cache window passes, no timing is asserted. */
    private static StaticClient.Reply poll(StaticClient client, String target, Predicate<StaticClient.Reply> done)
            throws Exception {
        StaticClient.Reply r = client.get(target);
        for (long end = System.nanoTime() + 10_000_000_000L; !done.test(r) && System.nanoTime() < end; ) {
            Thread.sleep(20);
            r = client.get(target);
        }
        return r;
    }

    @Test
    void aCachedFileIsServedWithTheRightBytesAgainAndAgain() throws IOException {
        byte[] small = random(1000, 1);
        byte[] large = random(300_000, 2);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("large.bin"), large);
        StaticClient client = start(FileCache.DEFAULT);
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/small.bin").body()).isEqualTo(small);
            assertThat(client.get("/large.bin").body()).isEqualTo(large);
        }
    }

    @Test
    void aModifiedFileIsServedAnewAfterTheWindow() throws Exception {
        Path f = root.resolve("page.txt");
        Files.writeString(f, "first version");
        StaticClient client = start(FileCache.DEFAULT);
        assertThat(client.get("/page.txt").text()).isEqualTo("first version");
        Files.writeString(f, "second version, longer");
        // Rewritten in place, the file is the same inode: within the window the old length may cut the new bytes.
        StaticClient.Reply r = poll(client, "/page.txt", x -> x.text().equals("second version, longer"));
        assertThat(r.text()).isEqualTo("second version, longer");
    }

    @Test
    void aFileReplacedBySameSizeAndTimeIsServedAnewAfterTheWindow() throws Exception {
        // Same length, same modification time: only the inode tells the new file from the old one.
        Path f = root.resolve("page.txt");
        Files.writeString(f, "AAAA");
        FileTime t = Files.getLastModifiedTime(f);
        StaticClient client = start(FileCache.DEFAULT);
        assertThat(client.get("/page.txt").text()).isEqualTo("AAAA");
        Path tmp = root.resolve(".new");
        Files.writeString(tmp, "BBBB");
        Files.setLastModifiedTime(tmp, t);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(poll(client, "/page.txt", x -> x.text().equals("BBBB")).text()).isEqualTo("BBBB");
    }

    @Test
    void aDeletedFileAnswers404AfterTheWindow() throws Exception {
        Path f = root.resolve("gone.txt");
        Files.writeString(f, "here");
        StaticClient client = start(FileCache.DEFAULT);
        assertThat(client.get("/gone.txt").status()).isEqualTo(200);
        Files.delete(f);
        assertThat(poll(client, "/gone.txt", x -> x.status() == 404).status()).isEqualTo(404);
    }

    @Test
    void aFileUploadedOverACachedOneIsServedAtOnce() throws IOException {
        Files.writeString(root.resolve("note.txt"), "old");
        StaticFeatures f = StaticFeatures.NONE.withUploads(new StaticFeatures.Uploads(1 << 20, true, false, null));
        // An hour's window: only the upload telling the cache can make the new content show now.
        server = StaticServer.start(StaticFiles.Options.of(root).withMetadataCache(Duration.ofHours(1)).withFeatures(f));
        assertThat(server.client.get("/note.txt").text()).isEqualTo("old");
        byte[] put = "PUT /note.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnewer"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(server.client.raw(put, false).status()).isEqualTo(204);
        assertThat(server.client.get("/note.txt").text()).isEqualTo("newer");
    }

    @Test
    void evictionClosesDescriptors() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd here");
        for (int i = 0; i < 40; i++) Files.write(root.resolve("f" + i + ".bin"), random(100_000, i));
        StaticClient client = start(new FileCache(5, 0, 0));
        for (int i = 0; i < 40; i++) assertThat(client.get("/f" + i + ".bin").status()).isEqualTo(200);
        // Every response has been read whole: no request holds a file, so only the cached ones are open.
        assertThat(openUnder(root)).isBetween(1L, 5L);
    }

    @Test
    void withoutACacheNoDescriptorStaysOpen() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd here");
        for (int i = 0; i < 10; i++) Files.write(root.resolve("f" + i + ".bin"), random(10_000, i));
        StaticClient client = start(FileCache.NONE);
        for (int i = 0; i < 10; i++) assertThat(client.get("/f" + i + ".bin").status()).isEqualTo(200);
        assertThat(openUnder(root)).isZero();
    }

    /** @return how many descriptors of this process name a file under {@code dir} */
    static long openUnder(Path dir) throws IOException {
        String prefix = dir.toRealPath() + "/";
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(prefix);
                } catch (IOException e) {
                    return false; // closed while we looked (the listing's own descriptor, for one)
                }
            }).count();
        }
    }

    @Test
    void manyConcurrentReadersOfOneCachedFileGetItWhole() throws Exception {
        byte[] small = random(5000, 3);
        byte[] large = random(400_000, 4);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("large.bin"), large);
        StaticClient client = start(FileCache.DEFAULT);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 24; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        StaticClient.Reply s = client.get("/small.bin");
                        StaticClient.Reply l = client.get("/large.bin", "Range: bytes=1000-");
                        if (!java.util.Arrays.equals(s.body(), small) || l.status() != 206
                                || !java.util.Arrays.equals(l.body(), java.util.Arrays.copyOfRange(large, 1000, large.length))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        }
    }

    @Test
    void aFileFromMemoryHasTheSameFieldsAsOneReadFromDisk() throws IOException {
        Files.writeString(root.resolve("app.js"), "console.log('hello');\n".repeat(20));
        Files.write(root.resolve("app.js.gz"), random(120, 5));
        Files.write(root.resolve("app.js.br"), random(100, 6));
        Files.write(root.resolve("pic.png"), random(3000, 7));
        server = StaticServer.start(StaticFiles.Options.of(root).withCacheControl("max-age=5"));
        StaticClient cached = server.client;
        StaticFiles.Options plain = StaticFiles.Options.of(root).withFileCache(FileCache.NONE).withCacheControl("max-age=5");
        try (StaticServer disk = StaticServer.start(plain)) {
            String[][] asks = {{"/app.js"}, {"/app.js", "Accept-Encoding: gzip"}, {"/app.js", "Accept-Encoding: br, gzip"},
                    {"/pic.png"}, {"/app.js", "Range: bytes=3-9"}};
            for (String[] ask : asks) {
                String[] fields = java.util.Arrays.copyOfRange(ask, 1, ask.length);
                for (int i = 0; i < 2; i++) { // the second answer comes from memory
                    assertSameAnswer(cached.get(ask[0], fields), disk.client.get(ask[0], fields));
                    assertSameAnswer(cached.head(ask[0], fields), disk.client.head(ask[0], fields));
                }
            }
            StaticClient.Reply first = cached.get("/pic.png");
            StaticClient.Reply again = cached.get("/pic.png", "If-None-Match: " + first.header("ETag"));
            assertThat(again.status()).isEqualTo(304);
            assertThat(again.header("Content-Length")).isNull();
            StaticClient.Reply range = cached.get("/pic.png", "Range: bytes=10-19");
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(Files.readAllBytes(root.resolve("pic.png")), 10, 20));
            assertThat(cached.get("/app.js", "Accept-Encoding: br").body()).isEqualTo(Files.readAllBytes(root.resolve("app.js.br")));
        }
    }

    private static void assertSameAnswer(StaticClient.Reply a, StaticClient.Reply b) {
        assertThat(a.status()).isEqualTo(b.status());
        assertThat(a.body()).isEqualTo(b.body());
        java.util.Map<String, List<String>> ha = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        java.util.Map<String, List<String>> hb = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ha.putAll(a.headers());
        hb.putAll(b.headers());
        ha.remove("Date");
        hb.remove("Date");
        assertThat(ha).isEqualTo(hb);
    }

    @Test
    void memoryStaysWithinItsBound() throws IOException {
        for (int i = 0; i < 30; i++) Files.write(root.resolve("f" + i + ".bin"), random(4000, i));
        StaticFiles handler = new StaticFiles(StaticFiles.Options.of(root).withMetadataCache(WINDOW)
                .withFileCache(new FileCache(100, 8000, 20_000)));
        server = StaticServer.start(handler);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 30; i++) {
                assertThat(server.client.get("/f" + i + ".bin").body()).isEqualTo(random(4000, i));
                assertThat(handler.cachedBytes()).isBetween(1L, 20_000L);
            }
        }
    }

    @Test
    void filesOverTheSizeLimitAreNotHeld() throws IOException {
        Files.write(root.resolve("big.bin"), random(9000, 8));
        StaticFiles handler = new StaticFiles(StaticFiles.Options.of(root).withFileCache(new FileCache(100, 8000, 1 << 20)));
        server = StaticServer.start(handler);
        assertThat(server.client.get("/big.bin").body()).isEqualTo(random(9000, 8));
        assertThat(handler.cachedBytes()).isZero();
    }

    @Test
    void limitsMustNotBeNegative() {
        assertThatThrownBy(() -> new FileCache(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileCache(1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileCache(1, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileCache(1, 2L << 30, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
