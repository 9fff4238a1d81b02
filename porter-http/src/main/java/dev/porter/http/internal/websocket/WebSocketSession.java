package dev.porter.http.internal.websocket;

import dev.porter.http.Request;
import dev.porter.http.WebSocketConfig;
import dev.porter.http.WebSocketHandler;
import dev.porter.http.internal.ByteStream;

import java.io.IOException;

/**
 * One server-side WebSocket conversation on its connection's virtual thread (after the 101), or on its HTTP/2
 * stream's (after an extended CONNECT's 200, RFC 8441 §5: the stream is the "TCP connection" below; closing TCP is
 * END_STREAM, an abort is RST_STREAM CANCEL): reads through {@link MessageDecoder}, writes through {@link Sender},
 * and carries out the closing handshake (RFC 6455 §7), in the steps it shares with the client ({@link Session}):
 * <ul>
 *   <li>the peer's Close is answered with its own code (or an empty Close if it had none, §5.5.1), then the server
 *       closes TCP first (§7.1.1);</li>
 *   <li>bad input fails the connection (§7.1.7): a Close with the error's code, then TCP closed without waiting;</li>
 *   <li>a Close of ours waits at most the close timeout for the peer's; data arriving meanwhile is discarded;</li>
 *   <li>silence: a ping every ping interval, and 1001 after the idle timeout; a graceful server stop: 1001.</li>
 * </ul>
 * Closing TCP is "lingering": output is shut first and the input read and discarded for up to a second, so the
 * peer reads our Close rather than a reset caused by its unread bytes.
 */
public final class WebSocketSession extends Session {

    private final WebSocketConfig config;

    WebSocketSession(ByteStream c, WebSocketConfig config, Request request, Handshake.Accepted handshake) {
        super(c, true, config, request, handshake.subprotocol(),
                handshake.deflate() == null ? null : new PerMessageDeflate(false),
                handshake.deflate() == null ? null : new PerMessageDeflate(handshake.deflate().serverNoContextTakeover()),
                null);
        this.config = config;
    }

    @Override
    Object peer() {
        return "from " + c.remoteAddress();
    }

    /** Runs the handler, then ends the conversation: 1000 if it returned, 1011 if it threw. */
    void run(WebSocketHandler handler) {
        start(config);
        try {
            handler.handle(this);
            end(CloseCodes.NORMAL);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (ended() || closeReceived()) {
                LOG.log(System.Logger.Level.DEBUG, "WebSocket handler ended with the connection: {0}", e.toString());
            } else {
                LOG.log(System.Logger.Level.WARNING, "WebSocket handler failed for " + c.remoteAddress() + " "
                        + request().path(), e);
            }
            end(CloseCodes.INTERNAL_ERROR);
        } finally {
            release();
            if (!ended()) closeNow();
        }
    }

    /** After the handler: send our Close unless one was exchanged, wait for the peer's, close TCP. */
    private void end(int code) {
        if (ended()) return;
        try {
            if (!closeReceived()) {
                close(code, "");
                while (receive() != null) {
                    // discarded: the handler is gone; waiting for the peer's Close (bounded by the close timeout)
                }
            }
        } catch (IOException e) {
            abnormal(e.toString());
        }
        if (!ended()) closeTcp(false);
    }
}
