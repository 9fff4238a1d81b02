package dev.porter.http.internal.websocket;

import dev.porter.http.ClientWebSocket;
import dev.porter.http.Headers;
import dev.porter.http.Request;
import dev.porter.http.WebSocketRequest;
import dev.porter.http.internal.ByteStream;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * One client-side WebSocket conversation, after the 101: reads through {@link MessageDecoder} (server frames must
 * not be masked, §5.1), writes through a masking {@link Sender} (a fresh key per frame, §5.3), and carries out the
 * closing handshake from the client's side (RFC 6455 §7), in the steps it shares with the server ({@link Session}):
 * <ul>
 *   <li>the server's Close is answered with its code (empty if it had none, §5.5.1); then the client half-closes
 *       and waits for the server to close TCP first (§7.1.1), at most the close timeout;</li>
 *   <li>bad input fails the connection (§7.1.7): a Close with the error's code, then TCP closed;</li>
 *   <li>after a Close of ours, messages still arriving are returned (the server may finish what it was saying)
 *       until the server's Close, which must come within the close timeout;</li>
 *   <li>silence: a ping every ping interval, and 1001 after the idle timeout.</li>
 * </ul>
 * Masking keys come from a fast generator seeded per connection from {@link SecureRandom}: §5.3 asks for keys a
 * script on the page cannot predict, and a {@code SecureRandom} call per frame would cost more than masking a
 * small frame.
 */
final class ClientSession extends Session implements ClientWebSocket {

    private static final SecureRandom SEEDS = new SecureRandom();

    private final URI uri;
    private final Headers responseHeaders;
    private final String extensions;

    ClientSession(ByteStream c, WebSocketRequest req, Request sent, Headers responseHeaders, String subprotocol,
                  ClientDeflate deflate) {
        super(c, false, req.config(), sent, subprotocol, deflate == null ? null : new PerMessageDeflate(false),
                deflate == null ? null : new PerMessageDeflate(deflate.clientNoContextTakeover()), maskKeys());
        this.uri = req.uri();
        this.responseHeaders = responseHeaders;
        this.extensions = deflate == null ? null : deflate.response();
        start(req.config());
    }

    /** @return a masking-key source of this connection's own (§5.3) */
    private static RandomGenerator maskKeys() {
        byte[] seed = new byte[16];
        SEEDS.nextBytes(seed);
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    @Override
    Object peer() {
        return uri;
    }

    /** As the session's, and frees the codec once the conversation is over: a client has no handler to outlive. */
    @Override
    public Message receive() throws IOException {
        reading.lock();
        try {
            Message m = super.receive();
            if (m == null) release();
            return m;
        } finally {
            reading.unlock();
        }
    }

    @Override
    public void close() {
        try {
            if (!ended() && !closeReceived()) close(CloseCodes.NORMAL, "");
        } catch (IOException e) {
            // The send failed and the connection with it: nothing is left to wait for.
        }
        try {
            while (receive() != null) {
                // discarded: the caller is done; waiting for the server's Close (bounded by the close timeout)
            }
        } catch (IOException e) {
            Thread.currentThread().interrupt(); // receive() throws only when interrupted: keep the flag
        } finally {
            reading.lock();
            try {
                closeNow();
                release();
            } finally {
                reading.unlock();
            }
        }
    }

    @Override public int serverCloseCode() { return peerCloseCode(); }
    @Override public URI uri() { return uri; }
    @Override public String extensions() { return extensions; }

    @Override
    public Headers responseHeaders() {
        Headers copy = new Headers();
        responseHeaders.forEach(copy::add);
        return copy;
    }

    @Override
    public String toString() {
        return "ClientWebSocket[" + uri + (isOpen() ? ", open" : ", closed " + closeCode()) + "]";
    }
}
