package dev.porter.http.h2;

import dev.porter.http.AccessLog;
import dev.porter.http.HttpConfig;
import dev.porter.http.HttpServer;
import dev.porter.http.ProxyConfig;
import dev.porter.http.ProxyHandler;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.testing.RawServer;
import dev.porter.http.testing.TestHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.porter.http.h2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP/2 client that cancels its stream (RST_STREAM CANCEL) while the proxy waits for a slow backend: the
 * backend connection is closed at once, as nginx does, and the access log says 499.
 */
class Http2ProxyClientAbortTest {

    @Test
    void aCancelledStreamEndsTheBackendConnectionAndIsLoggedAs499() throws Exception {
        leaveAndExpect499(c -> c.rst(1, Http2Error.CANCEL));
    }

    @Test
    void aClosedConnectionEndsTheBackendConnectionAndIsLoggedAs499() throws Exception {
        // What curl --max-time does: the socket closed, no RST_STREAM. The server keeps streams whose request was
        // complete for a moment after the input ended (their answers might still be read); nginx gives them up.
        leaveAndExpect499(H2Client::close);
    }

    private interface Leaving {
        void leave(H2Client c) throws Exception;
    }

    private static void leaveAndExpect499(Leaving how) throws Exception {
        LinkedBlockingQueue<String> saw = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<AccessLog.Entry> log = new LinkedBlockingQueue<>();
        try (RawServer backend = RawServer.start(s -> {
            InputStream in = s.getInputStream();
            RawServer.readHead(in);
            saw.add("request");
            try {
                while (in.read() >= 0) {
                    // never answers; the read ends when the proxy closes its end
                }
            } catch (IOException e) {
                // a reset is a close too
            }
            saw.add("closed by the proxy");
        });
             ProxyHandler proxy = ProxyHandler.of(ProxyConfig.builder(backend.url("")).build());
             HttpServer server = TestHttp.start(HttpConfig.builder().accessLog(log::add), proxy);
             H2Client c = H2Client.connect(server)) {
            c.headers(1, true, request("GET", "/slow"));
            assertThat(saw.poll(10, TimeUnit.SECONDS)).isEqualTo("request");
            how.leave(c);
            assertThat(saw.poll(10, TimeUnit.SECONDS)).as("the backend connection is closed, not held for the answer")
                    .isEqualTo("closed by the proxy");
            AccessLog.Entry e = log.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("the access log line").isNotNull();
            assertThat(e.status()).isEqualTo(499);
        }
    }
}
