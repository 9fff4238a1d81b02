package dev.porter.http.internal.files;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porter.http.HttpException;
import dev.porter.http.internal.Targets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes {@link PathMapper} with arbitrary raw relative paths (the input's bytes as ISO-8859-1 characters, the way a
 * raw request target reaches {@link dev.porter.http.StaticFiles}) against a root holding files, a subdirectory,
 * dotfiles and links: one leading out of the root, one to a dotfile inside it. With dotfiles hidden and shown, for
 * every input:
 * <ul>
 *   <li>a mapped path lies under the root, is normalized (no {@code .} or {@code ..} name) and, with dotfiles
 *       hidden, names no dotfile;</li>
 *   <li>a path {@link PathMapper#confine} accepts really lies under the real root ({@link Path#toRealPath}) and,
 *       with dotfiles hidden, passes through no dotfile;</li>
 *   <li>rejection is only an {@link HttpException} 400 or 404 from {@code map} (404 with dotfiles shown only for an
 *       upload in progress), or an {@link IOException} (no such file) from {@code confine}.</li>
 * </ul>
 * Replays {@code PathMapperFuzzTestInputs/} in the normal test run; {@code scripts/fuzz} runs a campaign.
 */
class PathMapperFuzzTest {

    private static Path base;
    private static Path root;

    @BeforeAll
    static void makeTree() throws IOException {
        base = Files.createTempDirectory("porter-pathfuzz").toRealPath();
        root = Files.createDirectory(base.resolve("root"));
        Path outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.writeString(root.resolve("index.html"), "index");
        Files.writeString(root.resolve("a b.txt"), "space");
        Files.writeString(root.resolve(".env"), "dot");
        Path sub = Files.createDirectory(root.resolve("sub"));
        Files.writeString(sub.resolve("b.txt"), "b");
        Files.writeString(sub.resolve(".hidden"), "hidden");
        Files.createDirectory(root.resolve(".git"));
        Files.createDirectory(root.resolve(".well-known"));
        Files.writeString(root.resolve(".well-known/security.txt"), "contact");
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("secret-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(sub.resolve("env-link"), root.resolve(".env"));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
    }

    @AfterAll
    static void removeTree() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void mappedPathsStayUnderTheRoot(byte[] input) {
        String raw = new String(input, StandardCharsets.ISO_8859_1);
        for (boolean hide : new boolean[] {true, false}) {
            check(new PathMapper(root, hide, false), raw, hide);
        }
    }

    private static String decoded(String raw) {
        try {
            return Targets.decodePath(raw);
        } catch (HttpException e) {
            return raw;
        }
    }

    private static void check(PathMapper mapper, String raw, boolean hide) {
        Path mapped;
        try {
            mapped = mapper.map(raw);
        } catch (HttpException e) {
            assertThat(e.status().code()).as("refusal of '%s'", raw).isIn(400, 404);
            if (e.status().code() == 404 && !hide) {
                // With dotfiles shown, an upload in progress (.porter-upload-….part) stays hidden (serve.md, Atomic).
                assertThat(decoded(raw)).as("404 with dotfiles shown, for '%s'", raw).contains(StoredFile.TEMP_PREFIX)
                        .contains(".part");
            }
            return;
        }
        assertThat(mapped.startsWith(root)).as("'%s' mapped to %s", raw, mapped).isTrue();
        assertThat(mapped.normalize()).as("'%s' mapped to a normalized path", raw).isEqualTo(mapped);
        for (Path name : root.relativize(mapped)) {
            String s = name.toString();
            if (s.isEmpty()) continue; // the root itself
            assertThat(s).as("'%s' mapped to a dot segment", raw).isNotIn(".", "..");
            if (hide) assertThat(mapper.hidden(s)).as("'%s' mapped to hidden %s", raw, mapped).isFalse();
        }
        Path real;
        try {
            real = mapper.confine(mapped);
        } catch (IOException e) {
            // The documented failure: the path does not exist (or is not accessible), answered 404 by the handler.
            assertThat(Files.exists(mapped)).as("confine failed on existing %s: %s", mapped, e).isFalse();
            return;
        }
        if (real == null) return;
        Path realCheck;
        try {
            realCheck = real.toRealPath();
        } catch (IOException e) {
            fail("confine accepted %s, which does not resolve: %s", real, e);
            return;
        }
        assertThat(realCheck.startsWith(root)).as("'%s' confined to %s outside the root", raw, realCheck).isTrue();
        if (hide) {
            for (Path name : root.relativize(realCheck)) {
                String s = name.toString();
                if (!s.isEmpty()) assertThat(mapper.hidden(s)).as("'%s' reached hidden %s", raw, realCheck).isFalse();
            }
        }
    }
}
