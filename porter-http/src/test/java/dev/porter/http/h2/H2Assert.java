package dev.porter.http.h2;

import dev.porter.http.HttpServer;
import dev.porter.http.internal.h2.FrameType;
import dev.porter.http.internal.h2.Http2Error;

import static org.assertj.core.api.Assertions.assertThat;

/** The outcomes the HTTP/2 tests check again and again. */
final class H2Assert {

    private H2Assert() {
    }

    /**
     * §5.4.1: a connection error is a GOAWAY with {@code error}, then the end of the connection.
     *
     * @return the GOAWAY
     */
    static H2Client.Frame connectionError(H2Client c, Http2Error error) {
        H2Client.Frame g = c.find(f -> f.type() == FrameType.GOAWAY);
        assertThat(g).as("GOAWAY %s (connection reset: %s); frames: %s", error, c.wasReset(), c.frames()).isNotNull();
        assertThat(g.error()).as("GOAWAY error: %s", g).isEqualTo(error);
        c.expectClosed();
        assertThat(c.isClosed()).isTrue();
        return g;
    }

    /** §5.4.2: a stream error is RST_STREAM with {@code error}; the connection goes on (a PING comes back). */
    static void streamError(H2Client c, int stream, Http2Error error) {
        assertThat(c.expectReset(stream)).as("RST_STREAM on stream %s", stream).isEqualTo(error);
        c.roundTrip();
    }

    /**
     * Either error: RST_STREAM on {@code stream} or GOAWAY, with {@code error} (where the RFC allows both, e.g. a
     * frame on a stream that is closing: half-closed on the server's side a moment longer, or already closed).
     */
    static void streamOrConnectionError(H2Client c, int stream, Http2Error error) {
        H2Client.Frame f = c.expect("RST_STREAM or GOAWAY", x -> x.type() == FrameType.GOAWAY
                || x.type() == FrameType.RST_STREAM && x.stream() == stream);
        assertThat(f.error()).as("%s", f).isEqualTo(error);
    }

    /** A malformed request (§8.1.1): RST_STREAM PROTOCOL_ERROR, nothing else on the stream. */
    static void malformed(H2Client c, int stream) {
        streamError(c, stream, Http2Error.PROTOCOL_ERROR);
        H2Client.Exchange x = c.exchange(stream);
        assertThat(x.heads).as("no response to a malformed request").isEmpty();
    }

    /** The server answers a new connection normally: it is up and unharmed. */
    static void serves(HttpServer server) {
        try (H2Client c = H2Client.connect(server)) {
            H2Client.Exchange x = c.get("/hello");
            assertThat(x.status()).as("%s", x).isEqualTo(200);
            assertThat(x.text()).isEqualTo("hello");
        }
    }

    /** The connection answers a new stream normally. */
    static void serves(H2Client c) {
        H2Client.Exchange x = c.get("/hello");
        assertThat(x.status()).as("%s", x).isEqualTo(200);
        assertThat(x.text()).isEqualTo("hello");
    }
}
