package dev.porter.cli;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpException;
import dev.porter.http.HttpServer;
import dev.porter.http.Status;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -o verbose}: the status shown is the one sent, also when the handler answers by throwing. */
class VerboseLogTest {

    @Test
    void aHandlerThatThrowsA404IsShownWithThe404ItGetsNotA200() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        // StaticFiles answers a missing file so: "< 200 OK" was printed above the access line's 404.
        VerboseLog verbose = new VerboseLog(out::add);
        try (HttpServer server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(),
                verbose.then((req, res) -> {
                    throw new HttpException(Status.NOT_FOUND);
                }));
             Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream o = s.getOutputStream();
            o.write("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 404 ");
        }
        assertThat(out).hasSize(1);
        assertThat(out.getFirst()).contains("> GET /nope HTTP/1.1\n").contains("< 404 Not Found\n")
                .doesNotContain("< 200");
    }
}
