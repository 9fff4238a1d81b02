package dev.porter.http.internal.files;

import dev.porter.http.HttpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** URL path to file mapping: decode once, per segment; refuse what cannot be a file name. */
class PathMapperTest {

    @TempDir
    Path tmp;

    private PathMapper mapper(boolean hideDotfiles) throws IOException {
        return new PathMapper(tmp.toRealPath(), hideDotfiles, false);
    }

    private static void assertStatus(PathMapper m, String raw, int status) {
        assertThatThrownBy(() -> m.map(raw)).as(raw).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.status().code()).isEqualTo(status));
    }

    @Test
    void mapsSegmentsUnderTheRootDecodingEachOnce() throws IOException {
        PathMapper m = mapper(true);
        Path root = tmp.toRealPath();
        assertThat(m.map("")).isEqualTo(root);
        assertThat(m.map("/")).isEqualTo(root);
        assertThat(m.map("a/b%20c.txt")).isEqualTo(root.resolve("a").resolve("b c.txt"));
        assertThat(m.map("//a///b/")).isEqualTo(root.resolve("a").resolve("b"));
        assertThat(m.map("%252e%252e")).isEqualTo(root.resolve("%2e%2e"));
        assertThat(m.map("caf%C3%A9")).isEqualTo(root.resolve("café"));
        assertThat(mapper(false).map("..;")).isEqualTo(root.resolve("..;")); // a name, not a dot segment
    }

    @Test
    void refusesWhatCannotNameAFileWith400() throws IOException {
        PathMapper m = mapper(true);
        for (String raw : new String[] {"..", "a/..", "a/../b", ".", "%2e%2e", "%2E.", ".%2e", "a%2fb", "a%2Fb",
            "a\\b", "a%5cb", "a%00", "a%0d%0a", "a%7f", "%", "%4", "%zz"}) {
            assertStatus(m, raw, 400);
        }
    }

    @Test
    void hidesDotfilesExceptWellKnown() throws IOException {
        PathMapper m = mapper(true);
        assertStatus(m, ".git/config", 404);
        assertStatus(m, "a/.env", 404);
        assertStatus(m, "%2eenv", 404);
        Path root = tmp.toRealPath();
        assertThat(m.map(".well-known/x")).isEqualTo(root.resolve(".well-known").resolve("x"));
        assertThat(mapper(false).map(".env")).isEqualTo(root.resolve(".env"));
    }

    @Test
    void confinesLinksToTheRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.writeString(tmp.resolve("outside.txt"), "x");
        Files.writeString(root.resolve("inside.txt"), "y");
        Files.createSymbolicLink(root.resolve("out"), tmp.resolve("outside.txt"));
        Files.createSymbolicLink(root.resolve("in"), root.resolve("inside.txt"));
        PathMapper strict = new PathMapper(root, true, false);
        assertThat(strict.confine(strict.map("out"))).isNull();
        assertThat(strict.confine(strict.map("in"))).isEqualTo(root.resolve("inside.txt"));
        PathMapper lax = new PathMapper(root, true, true);
        assertThat(lax.confine(lax.map("out"))).isEqualTo(root.resolve("out"));
    }
}
