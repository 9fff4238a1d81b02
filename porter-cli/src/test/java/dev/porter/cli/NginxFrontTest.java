package dev.porter.cli;

import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx (Debian's) in front of two {@code porter demo --trust-forwarded} processes with the shipped
 * {@code deploy/nginx.conf}: Porter logs the client nginx names in X-Forwarded-For, never one the client forged,
 * and a draining node's closed port sends nginx to the other one.
 */
class NginxFrontTest {

    static final String[] NODE_ARGS = {"--trust-forwarded", "--trusted-proxy", "127.0.0.1", "--drain-grace", "2s"};

    @Test
    void forwardedFieldsFromNginxNameTheClientAndADrainingNodeIsSkipped(@TempDir Path dir) throws Exception {
        Path nginx = Backends.require("nginx");
        int front = TestServers.freePort();
        int p1 = TestServers.freePort();
        int p2 = TestServers.freePort();
        try (Backends.Node a = Backends.Node.start(p1, NODE_ARGS);
             Backends.Node b = Backends.Node.start(p2, NODE_ARGS);
             Backends.Balancer lb = start(nginx, dir, front, p1, p2)) {
            lb.awaitServing(front);
            for (int i = 0; i < 4; i++) {
                assertThat(Backends.get(front, "/plaintext", "X-Forwarded-For: 6.6.6.6\r\n")).startsWith("HTTP/1.1 200");
            }
            for (Backends.Node node : List.of(a, b)) {
                String line = node.awaitLine(l -> l.contains("\"GET /plaintext HTTP/1.1\" 200") && !l.startsWith("127.0.0.1 "));
                assertThat(line).as("the client nginx named, not nginx and not the forged 6.6.6.6")
                        .startsWith(Backends.CLIENT + " - - [");
            }
            a.process().terminate();
            for (int i = 0; i < 6; i++) {
                assertThat(Backends.get(front, "/plaintext", "")).as("request %d with one node gone", i).startsWith("HTTP/1.1 200");
            }
        }
    }

    static Backends.Balancer start(Path nginx, Path dir, int front, int p1, int p2) throws Exception {
        // The workers may run as another user (nobody, when the tests run as root): let them use the directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.setPosixFilePermissions(dir.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("porter.conf"), Backends.deployFile("nginx.conf", front, p1, p2));
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    include %1$s/porter.conf;
                }
                """.formatted(dir));
        return Backends.Balancer.start(dir, nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off; master_process on;");
    }
}
