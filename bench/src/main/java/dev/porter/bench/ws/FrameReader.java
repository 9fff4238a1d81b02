package dev.porter.bench.ws;

import java.nio.ByteBuffer;

/**
 * Reads the frames a WebSocket server sends (RFC 6455 §5.2) from the bytes of one connection, fed in whatever
 * pieces the socket gives: payload bytes are handed to the {@link Sink} as views of the fed buffer (no copy),
 * the end of each message (fragments reassembled, control frames allowed between them) and each whole control
 * frame are reported.
 *
 * <p>It holds the server to what RFC 6455 requires of it towards a client that negotiated no extension: no
 * masked frame (§5.1), no RSV bit (§5.2), no unknown opcode, control frames final and at most 125 bytes (§5.5),
 * continuations only inside a message and a new message only after the last one ended (§5.4). A violation
 * throws {@link WsProtocolException}; the reader is then unusable.
 */
final class FrameReader {

    /** Opcodes (RFC 6455 §5.2). */
    static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    /** What the reader reports. */
    interface Sink {
        /**
         * Payload bytes of a data message.
         *
         * @param opcode {@link #TEXT} or {@link #BINARY}: the message's (a continuation's is its first frame's)
         * @param offset where in the message these bytes are
         * @param bytes  the bytes, from its position to its limit; valid during the call only
         */
        void data(int opcode, long offset, ByteBuffer bytes);

        /**
         * The end of a message.
         *
         * @param opcode {@link #TEXT} or {@link #BINARY}
         * @param length the message's length over all its frames
         * @param frames how many frames it came in
         */
        void messageEnd(int opcode, long length, int frames);

        /**
         * A whole control frame.
         *
         * @param opcode  {@link #CLOSE}, {@link #PING} or {@link #PONG}
         * @param payload its payload (at most 125 bytes)
         */
        void control(int opcode, byte[] payload);
    }

    private final Sink sink;
    private final byte[] head = new byte[10];
    private int headHave;
    private int headNeed = 2;
    private boolean inPayload;
    private boolean fin;
    private int frameOpcode;
    private long remaining;
    /** The opcode of the message in progress, or -1 between messages. */
    private int messageOpcode = -1;
    private long messageLength;
    private int messageFrames;
    private final byte[] control = new byte[125];
    private int controlHave;

    FrameReader(Sink sink) {
        this.sink = sink;
    }

    /** @return whether a data message has begun and not ended */
    boolean inMessage() {
        return messageOpcode >= 0;
    }

    /**
     * Consumes all the buffer's remaining bytes.
     *
     * @param in the bytes the server sent next; its position ends at its limit
     * @throws WsProtocolException when the server broke a rule
     */
    void feed(ByteBuffer in) throws WsProtocolException {
        while (in.hasRemaining()) {
            if (!inPayload) {
                while (headHave < headNeed && in.hasRemaining()) head[headHave++] = in.get();
                if (headHave < headNeed) return;
                if (!headerComplete()) continue;
            }
            int n = (int) Math.min(remaining, in.remaining());
            if (frameOpcode >= CLOSE) {
                in.get(control, controlHave, n);
                controlHave += n;
            } else {
                int limit = in.limit();
                in.limit(in.position() + n);
                sink.data(messageOpcode, messageLength, in);
                in.position(in.limit()).limit(limit);
                messageLength += n;
            }
            remaining -= n;
            if (remaining == 0) frameEnd();
        }
    }

    /**
     * Decodes the header once {@code headNeed} bytes are in: may ask for the extended length first.
     *
     * @return true when the header is whole and payload bytes follow; false when more header bytes are needed or
     *         the frame was empty (and has been reported)
     */
    private boolean headerComplete() throws WsProtocolException {
        int b0 = head[0] & 0xFF, b1 = head[1] & 0xFF;
        int len7 = b1 & 0x7F;
        if (headNeed == 2) {
            if ((b0 & 0x70) != 0) throw new WsProtocolException("RSV bit set with no extension negotiated (§5.2)");
            if ((b1 & 0x80) != 0) throw new WsProtocolException("masked frame from the server (§5.1)");
            if (len7 == 126) { headNeed = 4; return false; }
            if (len7 == 127) { headNeed = 10; return false; }
        }
        long length = switch (headNeed) {
            case 4 -> ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            case 10 -> {
                long l = 0;
                for (int i = 2; i < 10; i++) l = (l << 8) | (head[i] & 0xFF);
                if (l < 0) throw new WsProtocolException("64-bit length with its top bit set (§5.2)");
                yield l;
            }
            default -> len7;
        };
        fin = (b0 & 0x80) != 0;
        frameOpcode = b0 & 0x0F;
        switch (frameOpcode) {
            case CONTINUATION -> {
                if (messageOpcode < 0) throw new WsProtocolException("continuation frame outside a message (§5.4)");
            }
            case TEXT, BINARY -> {
                if (messageOpcode >= 0) throw new WsProtocolException("new message before the last one ended (§5.4)");
                messageOpcode = frameOpcode;
                messageLength = 0;
                messageFrames = 0;
            }
            case CLOSE, PING, PONG -> {
                if (!fin) throw new WsProtocolException("fragmented control frame (§5.5)");
                if (length > 125) throw new WsProtocolException("control frame of " + length + " bytes (§5.5)");
                controlHave = 0;
            }
            default -> throw new WsProtocolException("unknown opcode " + frameOpcode + " (§5.2)");
        }
        if (frameOpcode < CLOSE) messageFrames++;
        remaining = length;
        headHave = 0;
        headNeed = 2;
        inPayload = true;
        if (remaining == 0) {
            frameEnd();
            return false;
        }
        return true;
    }

    private void frameEnd() {
        inPayload = false;
        if (frameOpcode >= CLOSE) {
            byte[] payload = new byte[controlHave];
            System.arraycopy(control, 0, payload, 0, controlHave);
            sink.control(frameOpcode, payload);
        } else if (fin) {
            int opcode = messageOpcode;
            messageOpcode = -1;
            sink.messageEnd(opcode, messageLength, messageFrames);
        }
    }
}
