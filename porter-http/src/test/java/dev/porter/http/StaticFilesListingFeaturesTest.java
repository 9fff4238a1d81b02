package dev.porter.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing sort, JSON, symlink marks, zip downloads and the SPA / pretty-URL / 404-page fallbacks, over HTTP. */
class StaticFilesListingFeaturesTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;
    StaticServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void tree() throws IOException {
        Files.write(root.resolve("small.txt"), new byte[10]);
        Files.write(root.resolve("large.bin"), new byte[5000]);
        Files.write(root.resolve("medium.css"), new byte[300]);
        Files.setLastModifiedTime(root.resolve("small.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Files.setLastModifiedTime(root.resolve("large.bin"), FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        Files.setLastModifiedTime(root.resolve("medium.css"), FileTime.from(Instant.parse("2022-01-01T00:00:00Z")));
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.writeString(root.resolve("sub/deeper/leaf.txt"), "leaf");
        Files.writeString(root.resolve("sub/.hidden"), "no");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("sub/alias.txt"), root.resolve("small.txt"));
        Files.createSymbolicLink(root.resolve("sub/escape.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("sub/loop"), root);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> order(String html, String... names) {
        List<Integer> at = new ArrayList<>();
        for (String n : names) at.add(html.indexOf(">" + n + "<"));
        List<String> sorted = new ArrayList<>(List.of(names));
        sorted.sort((a, b) -> Integer.compare(html.indexOf(">" + a + "<"), html.indexOf(">" + b + "<")));
        assertThat(at).doesNotContain(-1);
        return sorted;
    }

    @Test
    void columnHeadersSortBySizeAndDateThroughLinks() throws Exception {
        server = StaticServer.start(StaticFiles.Options.of(root));
        String byName = text(get("/"));
        assertThat(order(byName, "large.bin", "medium.css", "small.txt")).containsExactly("large.bin", "medium.css", "small.txt");
        assertThat(byName).contains("<a href=\"?sort=size&order=desc\">Size</a>").contains("aria-sort=\"ascending\"");
        String bySize = text(get("/?sort=size&order=desc"));
        assertThat(order(bySize, "large.bin", "medium.css", "small.txt")).containsExactly("large.bin", "medium.css", "small.txt");
        String bySizeUp = text(get("/?sort=size"));
        assertThat(order(bySizeUp, "large.bin", "medium.css", "small.txt")).containsExactly("small.txt", "medium.css", "large.bin");
        String byDate = text(get("/?sort=date&order=desc"));
        assertThat(order(byDate, "large.bin", "medium.css", "small.txt")).containsExactly("large.bin", "medium.css", "small.txt");
        assertThat(byDate.indexOf(">sub/<")).as("folders first whatever the order").isLessThan(byDate.indexOf(">large.bin<"));
        assertThat(get("/?sort=bogus").statusCode()).isEqualTo(200);
    }

    @Test
    void symlinksAreMarkedAndLinksLeadingOutAreNotListed() throws Exception {
        server = StaticServer.start(StaticFiles.Options.of(root));
        String html = text(get("/sub/"));
        assertThat(html).contains("<tr class=\"file link\">").contains("alias.txt</a> <span class=\"tag\"");
        assertThat(html).doesNotContain("escape.txt").doesNotContain(".hidden");
        assertThat(html).contains("<a href=\"../\">");
    }

    @Test
    void namesNoRequestCanFetchAreNotListed() throws Exception {
        // Legal on Linux (a zip made on Windows leaves such names), refused in a request path (400): a listed link
        // would be a dead one.
        Files.writeString(root.resolve("sub/back\\slash.txt"), "b");
        Files.writeString(root.resolve("sub/new\nline.txt"), "n");
        server = StaticServer.start(StaticFiles.Options.of(root));
        assertThat(get("/sub/back%5Cslash.txt").statusCode()).isEqualTo(400);
        assertThat(text(get("/sub/"))).contains("alias.txt").doesNotContain("slash.txt").doesNotContain("line.txt");
        assertThat(text(get("/sub/", "Accept", "application/json"))).contains("alias.txt")
                .doesNotContain("slash.txt").doesNotContain("line.txt");
    }

    @Test
    void aNameThatIsNotValidInTheFileSystemsCharsetIsNotListed() throws Exception {
        // The bytes "bad\377.txt" are no UTF-8: Java reads the name as "bad\uFFFD.txt", which opens no file, so
        // its link could only answer 404. (Under a POSIX locale every name that is not ASCII is such a name.)
        ExternalTool.Result made = ExternalTool.run(List.of("sh", "-c", "printf x > \"$(printf 'bad\\377.txt')\""),
                root.resolve("sub"), java.time.Duration.ofSeconds(10));
        assertThat(made.exit()).as(made.stderr()).isZero();
        server = StaticServer.start(StaticFiles.Options.of(root));
        assertThat(get("/sub/bad%EF%BF%BD.txt").statusCode()).isEqualTo(404);
        assertThat(text(get("/sub/"))).contains("alias.txt").doesNotContain("bad");
        assertThat(text(get("/sub/", "Accept", "application/json"))).contains("alias.txt").doesNotContain("bad");
    }

    @Test
    void theSameListingAsJsonForAcceptApplicationJson() throws Exception {
        server = StaticServer.start(StaticFiles.Options.of(root));
        HttpResponse<byte[]> r = get("/sub/?sort=name&order=desc", "Accept", "application/json");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept");
        String json = text(r);
        assertThat(json).startsWith("{\"path\":\"/sub/\",\"truncated\":false,\"entries\":[");
        assertThat(json).contains("{\"name\":\"alias.txt\",\"type\":\"file\",\"size\":10,\"modified\":\"2020-01-01T00:00:00Z\",\"symlink\":true}");
        assertThat(json.indexOf("\"loop\"")).isLessThan(json.indexOf("\"deeper\"")); // folders first, Z to A
        assertThat(json).doesNotContain("escape").doesNotContain("hidden");
        assertThat(text(get("/sub/", "Accept", "text/html,application/json;q=0.9"))).startsWith("<!doctype html>");
    }

    @Test
    void aFolderDownloadsAsAStreamedZipOfWhatALinkWouldServe() throws Exception {
        server = StaticServer.start(StaticFiles.Options.of(root).withFeatures(StaticFeatures.NONE.withArchives(true)));
        assertThat(text(get("/"))).contains("href=\"?download=zip\" download>");
        HttpResponse<byte[]> r = get("/sub/?download=zip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"sub.zip\"; filename*=UTF-8''sub.zip");
        assertThat(r.headers().firstValue("Content-Length")).as("streamed, length unknown").isEmpty();
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) entries.put(e.getName(), new String(zip.readAllBytes()));
        }
        assertThat(entries).containsOnlyKeys("alias.txt", "deeper/", "deeper/leaf.txt");
        assertThat(entries.get("deeper/leaf.txt")).isEqualTo("leaf");
        assertThat(entries.get("alias.txt")).hasSize(10);
    }

    @Test
    void withoutArchivesTheQueryIsIgnored() throws Exception {
        server = StaticServer.start(StaticFiles.Options.of(root));
        HttpResponse<byte[]> r = get("/sub/?download=zip");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(text(r)).doesNotContain("download=zip");
    }

    @Test
    void spaRoutesGetTheIndexWhileMissingAssetsStay404() throws Exception {
        Files.writeString(root.resolve("index.html"), "<div id=app></div>");
        server = StaticServer.start(StaticFiles.Options.of(root).withFeatures(StaticFeatures.NONE.withSpa(true)));
        HttpResponse<byte[]> route = get("/users/42/settings", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertThat(route.statusCode()).isEqualTo(200);
        assertThat(text(route)).isEqualTo("<div id=app></div>");
        assertThat(route.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Accept"));
        assertThat(get("/missing.js", "Accept", "*/*").statusCode()).isEqualTo(404);
        assertThat(get("/small.txt").statusCode()).isEqualTo(200);
    }

    @Test
    void a404PageAndPrettyUrls() throws Exception {
        Files.writeString(root.resolve("404.html"), "<h1>Lost?</h1>");
        Files.writeString(root.resolve("about.html"), "about us");
        server = StaticServer.start(StaticFiles.Options.of(root).withFeatures(StaticFeatures.NONE
                .withNotFoundPage(true).withPrettyUrls(true)));
        HttpResponse<byte[]> missing = get("/nothing/here", "Accept", "text/html");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).isEqualTo("<h1>Lost?</h1>");
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        HttpResponse<byte[]> about = get("/about");
        assertThat(about.statusCode()).isEqualTo(200);
        assertThat(text(about)).isEqualTo("about us");
        assertThat(about.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(get("/about/").statusCode()).isEqualTo(404);
    }
}
