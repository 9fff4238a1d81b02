package dev.porter.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A traversal corpus: every request tries to read a secret file that lies next to the root (or /etc/passwd). None
 * may return its content, whatever the encoding, separator, link or length; the server must keep serving after.
 */
class StaticFilesTraversalTest {

    @TempDir
    Path tmp;
    Path root;
    String secret;
    StaticServer server;

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        secret = "TOP-SECRET-" + UUID.randomUUID();
        Files.writeString(tmp.resolve("secret.txt"), secret);
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.writeString(root.resolve("sub/ok.txt"), "ok");
        Files.writeString(root.resolve(".env"), secret);
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), secret);
        boolean links = true;
        try {
            Files.createSymbolicLink(root.resolve("link-out.txt"), tmp.resolve("secret.txt"));
            Files.createSymbolicLink(root.resolve("link-dir"), tmp);
            Files.createSymbolicLink(root.resolve("sub/link-up"), Path.of("../.."));
            Files.createSymbolicLink(root.resolve("sub/link-in.txt"), Path.of("ok.txt"));
            Files.createSymbolicLink(root.resolve("innocent.txt"), Path.of(".env"));
        } catch (UnsupportedOperationException | IOException e) {
            links = false; // the non-link part of the corpus still runs
        }
        this.links = links;
    }

    boolean links;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private List<String> corpus(String prefix) {
        String abs = tmp.toAbsolutePath().toString();
        List<String> c = new ArrayList<>(List.of(
                "/../secret.txt", "/../../../../../../etc/passwd", "/sub/../../secret.txt",
                "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%2e%2e%2fsecret.txt", "/..%2fsecret.txt",
                "/..%2Fsecret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/%25252e%25252e/secret.txt",
                "/.%2e/secret.txt", "/%2e./secret.txt", "/.%252e/secret.txt", "/sub/.%2e/.%2e/secret.txt",
                "/..\\secret.txt", "/sub\\..\\..\\secret.txt", "/%5c..%5csecret.txt", "/..%5csecret.txt",
                "/sub/..%5c..%5csecret.txt", "/..%255csecret.txt",
                "/secret.txt%00.html", "/%00", "/sub/%00/../../secret.txt", "/..%00/secret.txt", "/.env%00",
                "/%c0%ae%c0%ae/secret.txt", "/%c0%af..%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",
                "/..;/secret.txt", "/sub;/../../secret.txt", "/..", "/.", "/./../secret.txt", "/%2e%2e", "/%2e",
                "//etc/passwd", "///etc/passwd", "/" + abs + "/secret.txt", "/" + abs.replace("/", "%2f") + "%2fsecret.txt",
                "/C:/Windows/win.ini", "/C:%5cWindows%5cwin.ini",
                "/.env", "/.git/config", "/sub/../.env", "/%2eenv", "/%2egit/config",
                "/link-out.txt", "/link-dir/secret.txt", "/sub/link-up/secret.txt", "/sub/link-up/root/.env",
                "/innocent.txt",
                "/" + "a/".repeat(3000) + "secret.txt", "/" + "../".repeat(2000) + "secret.txt",
                "/" + "%2e%2e/".repeat(1000) + "secret.txt", "/" + "x".repeat(300) + "/secret.txt",
                "/" + "sub/".repeat(500) + "../".repeat(501) + "secret.txt", "/" + "y".repeat(9000)));
        List<String> out = new ArrayList<>();
        for (String t : c) out.add(prefix + t);
        // absolute-form request-targets (RFC 9112 §3.2.2) carry the same paths
        out.add("http://127.0.0.1" + prefix + "/../secret.txt");
        out.add("http://127.0.0.1" + prefix + "/%2e%2e/secret.txt");
        return out;
    }

    private void assertNothingLeaks(StaticClient client, List<String> targets) throws IOException {
        for (String t : targets) {
            StaticClient.Reply r = client.raw(("GET " + t + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), false);
            String body = r.text();
            assertThat(body).as(t).doesNotContain(secret).doesNotContain("root:x:0:0");
            assertThat(r.status()).as(t).isIn(400, 404, 414);
        }
    }

    @Test
    void noTraversalRequestReadsOutsideTheRoot() throws IOException {
        server = StaticServer.start(StaticFiles.Options.of(root));
        assertNothingLeaks(server.client, corpus(""));
        assertThat(server.client.get("/sub/ok.txt").text()).isEqualTo("ok"); // still serving
    }

    @Test
    void noTraversalRequestReadsOutsideTheRootUnderAMountPrefix() throws IOException {
        server = StaticServer.start(new Router().mount("/static", StaticFiles.of(root)));
        assertNothingLeaks(server.client, corpus("/static"));
        assertThat(server.client.get("/static/sub/ok.txt").text()).isEqualTo("ok");
    }

    @Test
    void theDecodingRulesAnswer400() throws IOException {
        server = StaticServer.start(StaticFiles.Options.of(root));
        for (String t : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/.%2e/",
            "/a\\b", "/a%5cb", "/a%00b", "/a%0ab", "/bad%zz", "/bad%2"}) {
            assertThat(server.client.get(t).status()).as(t).isEqualTo(400);
        }
        // Decoded once: %252e%252e is a file literally named "%2e%2e".
        Files.writeString(root.resolve("%2e%2e"), "literal");
        assertThat(server.client.get("/%252e%252e").text()).isEqualTo("literal");
    }

    @Test
    void linksInsideTheRootAreFollowedAndLinksOutAreNotListed() throws IOException {
        assumeTrue(links, "symbolic links not supported here");
        server = StaticServer.start(StaticFiles.Options.of(root));
        assertThat(server.client.get("/sub/link-in.txt").text()).isEqualTo("ok");
        String listing = server.client.get("/sub/").text();
        assertThat(listing).contains("link-in.txt").doesNotContain("link-up");
        String top = server.client.get("/").text();
        assertThat(top).doesNotContain("link-out.txt").doesNotContain("link-dir").doesNotContain("innocent.txt");
    }

    @Test
    void linksOutOfTheRootAreFollowedOnlyWhenAllowed() throws IOException {
        assumeTrue(links, "symbolic links not supported here");
        server = StaticServer.start(StaticFiles.Options.of(root).withExternalSymlinks(true));
        assertThat(server.client.get("/link-out.txt").text()).isEqualTo(secret);
        assertThat(server.client.get("/link-dir/secret.txt").text()).isEqualTo(secret);
        // Dot segments stay forbidden whatever the link policy.
        assertThat(server.client.get("/../secret.txt").status()).isEqualTo(400);
    }
}
