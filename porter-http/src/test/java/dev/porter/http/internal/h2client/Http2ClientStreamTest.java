package dev.porter.http.internal.h2client;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** How a stream's request fails when the connection ends under it after an earlier verdict. */
class Http2ClientStreamTest {

    @Test
    void aStreamTheServersGoAwayLeftUnprocessedStaysRetryableWhenItsHeadersCannotBeFlushed() {
        // The race seen against nginx rotating connections (keepalive_requests): the caller wrote HEADERS for stream
        // 25; the reader then took GOAWAY (last 19, so stream 25 is unprocessed, §8.7) and the server's close, and
        // closed the socket; the caller's flush fails. The request must still be sent again, not fail.
        Http2ClientStream s = new Http2ClientStream(null, 25, false, false, 65_535, 65_535);
        s.closeWith(new Http2Retry("HTTP/2 stream 25: the server's GOAWAY (NO_ERROR) left it unprocessed", true, false));
        IOException e = s.connectionEnded(new IOException("Socket closed"), "127.0.0.1:443");
        assertThat(e).isInstanceOf(Http2Retry.class);
        assertThat(((Http2Retry) e).unprocessed()).isTrue();
    }
}
