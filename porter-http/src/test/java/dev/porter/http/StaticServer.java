package dev.porter.http;

import java.io.IOException;
import java.time.Duration;

/** An {@link HttpServer} on 127.0.0.1 and a free port, serving a handler for one test. */
final class StaticServer implements AutoCloseable {

    final HttpServer server;
    final StaticClient client;

    private StaticServer(HttpServer server) {
        this.server = server;
        this.client = new StaticClient(server.port());
    }

    static StaticServer start(Handler handler) throws IOException {
        return new StaticServer(HttpServer.start(HttpConfig.builder().host("127.0.0.1").port(0).build(), handler));
    }

    static StaticServer start(StaticFiles.Options options) throws IOException {
        return start(new StaticFiles(options));
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
    }
}
