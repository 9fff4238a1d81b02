package dev.porter.examples.clients;

import dev.porter.examples.DemoApp;
import dev.porter.http.HttpServer;
import dev.porter.http.testing.Processes;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Python's {@code http.client} against {@link DemoApp}, what {@code porter demo} serves (script:
 * {@code clients/python_http_client.py}): a persistent connection carrying every kind of request, and pipelined
 * requests on one raw socket.
 */
class PythonHttpClientTest {

    @Test
    void pythonHttpClientPassesEveryCheck(@TempDir Path dir) throws IOException {
        assumeTrue(Processes.onPath("python3"), "python3 is not installed (.ci/run installs it); skipping");
        Path script = dir.resolve("python_http_client.py");
        try (InputStream in = PythonHttpClientTest.class.getResourceAsStream("/clients/python_http_client.py")) {
            assertThat(in).isNotNull();
            Files.copy(in, script);
        }
        try (HttpServer server = TestHttp.start(DemoApp.router())) {
            Processes.Result r = Processes.run(Duration.ofSeconds(60), "python3", script.toString(), String.valueOf(server.port()));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("ok: all requests on one persistent connection")
                    .contains("ok: pipelined answer 4 (GET) in order")
                    .endsWith("all checks passed\n");
            assertThat(server.stats().accepted()).as("one connection for http.client, one for pipelining").isEqualTo(2);
        }
    }
}
