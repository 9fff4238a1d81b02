package dev.porter.examples;

import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FormUpload} with the JDK's HttpClient: the page, a form of a note and two files, and a form cut short. */
class FormUploadTest {

    @TempDir
    Path folder;
    HttpServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                .header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Path> stored() throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    @Test
    void storesEachFileUnderAFreshNameAndListsWhatArrived() throws Exception {
        server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), FormUpload.router(folder));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("enctype=\"multipart/form-data\"");

        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nholiday\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"../a.txt\"\r\nContent-Type: text/plain\r\n\r\nA\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n";
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("note: holiday\nsaved ../a.txt (text/plain, 1 bytes) as ").endsWith(".upload\n");
        assertThat(stored()).singleElement().satisfies(p -> {
            assertThat(r.body()).contains(p.getFileName().toString());
            assertThat(Files.readString(p)).isEqualTo("A");
        });
    }

    @Test
    void aFormCutShortIs400AndLeavesNoFile() throws Exception {
        server = HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), FormUpload.router(folder));
        HttpResponse<String> r = post("--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\"\r\n\r\nhalf a fi");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(stored()).isEmpty();
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
    }
}
