package dev.porter.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One WebSocket conversation (RFC 6455), served on the connection's own virtual thread: the
 * {@link WebSocketHandler} reads messages with {@link #receive()} and writes them with the {@code send} methods,
 * in plain blocking style.
 *
 * <pre>{@code
 * router.websocket("/echo", ws -> {
 *     for (WebSocket.Message m; (m = ws.receive()) != null; ) ws.send(m);
 * });
 * }</pre>
 *
 * <p><b>Reading</b> belongs to one thread at a time (normally the handler's). {@link #receive()} joins fragments,
 * answers pings with pongs, inflates compressed messages, checks text as UTF-8 and answers the peer's Close; it
 * returns null once the conversation is over, whatever ended it ({@link #closeCode()} says what). While it waits,
 * it keeps the connection alive: after {@link WebSocketConfig#pingInterval()} of silence it sends a ping, and after
 * {@link WebSocketConfig#idleTimeout()} without a byte from the peer it closes with 1001. A handler that never calls
 * {@code receive()} gets none of this, and the peer's messages wait in the socket (TCP back-pressure).
 *
 * <p><b>Writing</b> is thread-safe: another thread may send while the handler blocks in {@code receive()} (a chat
 * room delivering to its members); messages never interleave. A send blocks while the peer does not read
 * (back-pressure: nothing is queued without bound); one that takes longer than
 * {@link WebSocketConfig#sendTimeout()} drops the connection, and the blocked sender gets an {@link IOException}.
 * A send after the conversation closed throws {@link IOException}. A message is on its way when its send returns,
 * except one sent by the thread that reads (the handler's) while the peer's next frame is already buffered: that one
 * is sent with the replies that follow, at the latest before this conversation next waits for input.
 *
 * <p><b>Bad input</b> from the peer fails the connection with its close code (RFC 6455 §7.1.7): 1002 for a
 * protocol error (unmasked frame, bad opcode or reserved bit, bad fragmentation or close code), 1007 for text that
 * is not UTF-8, 1009 for a frame or message over {@link WebSocketConfig#maxFrameSize()} or
 * {@link WebSocketConfig#maxMessageSize()}; {@code receive()} then returns null. Only that connection is affected.
 */
public interface WebSocket {

    /** A whole message, reassembled from its fragments and inflated if it came compressed. */
    sealed interface Message permits Text, Binary {
    }

    /** A text message (opcode 1), valid UTF-8 by construction. */
    record Text(String text) implements Message {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A binary message (opcode 2). The array is the message's own (a copy of what arrived); equality compares
     * content.
     */
    record Binary(byte[] data) implements Message {
        public Binary {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Binary[" + data.length + " bytes]";
        }
    }

    /**
     * Waits for the next message.
     *
     * @return the message, or null once the conversation is over (the peer closed, the connection failed or timed
     *         out, or this side closed and the peer answered); after null, every call returns null
     * @throws IOException only if the thread was interrupted; network failures end the conversation instead
     */
    Message receive() throws IOException;

    /** Sends a text message. @throws IOException if the conversation is closed, or the send failed or timed out */
    void sendText(String text) throws IOException;

    /** Sends a binary message (the array is not kept). @throws IOException as {@link #sendText} */
    void sendBinary(byte[] data) throws IOException;

    /** Sends the remaining bytes of {@code data} as a binary message (its position is not moved). */
    default void sendBinary(ByteBuffer data) throws IOException {
        ByteBuffer d = data.duplicate();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        sendBinary(b);
    }

    /** Sends {@code message} as it is: text as text, binary as binary. */
    default void send(Message message) throws IOException {
        switch (message) {
            case Text t -> sendText(t.text());
            case Binary b -> sendBinary(b.data());
        }
    }

    /**
     * Sends a ping; the peer's pong is consumed by {@link #receive()}.
     *
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    void ping(byte[] payload) throws IOException;

    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): sends a Close frame with {@code code} and {@code reason} and
     * returns. {@link #receive()} then discards messages until the peer's Close, and returns null; when the handler
     * returns, the server waits for that Close at most {@link WebSocketConfig#closeTimeout()}. Idempotent: only the
     * first call sends.
     *
     * @param code   1000–1003, 1007–1014 or 3000–4999 (§7.4)
     * @param reason at most 123 bytes in UTF-8; may be empty
     * @throws IllegalArgumentException for a code that may not be sent, or a reason too long
     */
    void close(int code, String reason) throws IOException;

    /** Closes normally: {@code close(1000, "")}. */
    default void close() throws IOException {
        close(1000, "");
    }

    /** @return true until a Close frame was sent or received, or the connection failed */
    boolean isOpen();

    /**
     * @return 0 while open; then the first close code known: the peer's (1005 if its Close had none) or the one this
     *         side sent, or 1006 if the connection ended without a Close frame (failure, send timeout)
     */
    int closeCode();

    /** @return the reason that came with {@link #closeCode()}, "" if none */
    String closeReason();

    /** @return the sub-protocol agreed in the handshake ({@code Sec-WebSocket-Protocol}), or null */
    String subprotocol();

    /**
     * @return the upgrade request as it was (method, path, query, headers, path parameters, addresses, TLS); valid
     *         for the whole conversation; its body is empty
     */
    Request request();

    /** Encodes {@code s} as UTF-8 (a convenience for binary protocols that carry text). */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
