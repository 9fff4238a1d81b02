package dev.porter.http.testing;

import dev.porter.http.Handler;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Starts HTTP servers for tests: always on 127.0.0.1 and a free port. */
public final class TestHttp {

    private TestHttp() {
    }

    /** @return a server with the default configuration answering with {@code handler} */
    public static HttpServer start(Handler handler) {
        return start(HttpConfig.builder(), handler);
    }

    /** @return a server configured by {@code config} (forced onto 127.0.0.1:0) answering with {@code handler} */
    public static HttpServer start(HttpConfig.Builder config, Handler handler) {
        try {
            return HttpServer.start(config.host("127.0.0.1").port(0).build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
