package dev.porter.http.internal.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns received bytes into messages and control frames, as a pure state machine: frames from
 * {@link FrameParser}, fragments joined (§5.4), compressed messages inflated ({@link PerMessageDeflate}), text
 * checked as UTF-8 while it arrives ({@link Utf8Validator}), Close payloads checked ({@link CloseCodes#parse}).
 * {@link #decode} consumes what it can and stops right after an {@link Event}, whose content stays readable until
 * the next call. Payload bytes are consumed as they come (a frame never needs to be held whole in the input);
 * only a partial frame header is left unconsumed, at most 13 bytes.
 * <p>
 * Besides {@link FrameParser}'s rules: a message longer than {@code maxMessageSize}, before or after inflation, is
 * 1009 (checked at each frame header, and while inflating, so a peer never makes this end hold more); text that is
 * not UTF-8 is 1007 at its first bad byte, even in an unfinished fragment (§8.1); a bad Close payload is 1002 or
 * 1007. The message buffer grows with what arrives, not with what a header announces, and a buffer above 64 KiB is
 * dropped after its message, so a quiet connection holds none. Not thread-safe.
 */
public final class MessageDecoder {

    /** What {@link #decode} stopped at. */
    public enum Event {
        /** Nothing complete yet: all bytes but a partial header were consumed. */
        NONE,
        /** A whole text message: {@link #text()}. */
        TEXT,
        /** A whole binary message: {@link #data()} up to {@link #length()}. */
        BINARY,
        /** A Ping: its payload in {@link #control()} up to {@link #controlLength()}. */
        PING,
        /** A Pong: its payload in {@link #control()}. */
        PONG,
        /** A valid Close frame: {@link #closeCode()} and {@link #closeReason()}. */
        CLOSE
    }

    private static final byte[] EMPTY = new byte[0];
    private static final int KEEP_BUFFER = 64 * 1024;
    /** A quiet conversation keeps a message buffer up to this size ({@link #trim}). */
    private static final int TRIM_ABOVE = 4096;
    private static final int SCRATCH = 16 * 1024;

    private final FrameParser parser;
    private final int maxMessageSize;
    private final PerMessageDeflate deflate;
    private final Utf8Validator utf8 = new Utf8Validator();
    /** A control frame's payload: made at the first, dropped by {@link #trim} (a pong comes once a ping interval). */
    private byte[] control;
    private final Inflated sink = new Inflated();
    private int controlLength;
    private byte[] message = EMPTY;
    /** A whole single-frame message decoded where it arrived ({@link #decodeInPlace}): its bytes, else null. */
    private byte[] view;
    private int viewStart;
    private int messageLength;
    private byte[] scratch;
    private boolean inFrame;
    /** The opcode of the message being received (TEXT or BINARY), or 0 between messages. */
    private int messageType;
    private boolean compressed;
    private Event event = Event.NONE;
    private int closeCode;

    /**
     * @param masked         frames must be masked (a server), or must not be (a client)
     * @param maxFrameSize   the largest frame payload accepted (1009 above)
     * @param maxMessageSize the largest message accepted, after inflation (1009 above); at most 2^31 - 9
     * @param deflate        the negotiated permessage-deflate, or null without it (RSV1 is then a protocol error)
     */
    public MessageDecoder(boolean masked, long maxFrameSize, int maxMessageSize, PerMessageDeflate deflate) {
        this.parser = new FrameParser(masked, maxFrameSize);
        this.maxMessageSize = maxMessageSize;
        this.deflate = deflate;
        parser.allowCompression(deflate != null);
    }

    /**
     * Consumes bytes of {@code b[start..end)} up to and including the next event, or all of them but a partial
     * frame header. A whole message that has all arrived is unmasked where it lies in {@code b}: its bytes must stay
     * there until the event is taken ({@link #text()}, {@link #takeData()}).
     *
     * @return the count consumed; {@link #event()} tells whether something complete came
     * @throws CloseException the code to fail the connection with: 1002, 1007 or 1009
     */
    public int decode(byte[] b, int start, int end) {
        if (event != Event.NONE) afterEvent();
        int p = start;
        while (true) {
            if (!inFrame) {
                int h = parser.header(b, p, end);
                if (h == 0) return p - start;
                p += h;
                inFrame = true;
                if (wholeMessage(p, end)) {
                    p += decodeInPlace(b, p);
                    inFrame = false;
                    event = frameDone();
                    return p - start;
                }
                onHeader();
            }
            p += payload(b, p, end);
            if (parser.remaining() > 0) return p - start;
            inFrame = false;
            event = frameDone();
            if (event != Event.NONE) return p - start;
        }
    }

    private void afterEvent() {
        if (event == Event.TEXT || event == Event.BINARY) {
            messageLength = 0;
            view = null;
            if (message.length > KEEP_BUFFER) message = EMPTY;
        }
        event = Event.NONE;
    }

    private void onHeader() {
        int op = parser.opcode();
        if (parser.control()) {
            if (control == null) control = new byte[FrameParser.MAX_CONTROL_PAYLOAD];
            controlLength = 0;
            return;
        }
        if (op != FrameParser.CONTINUATION) {
            messageType = op;
            compressed = parser.rsv1();
            utf8.reset();
            messageLength = 0;
        }
        if (!compressed && messageLength + parser.length() > maxMessageSize) {
            throw new CloseException(CloseCodes.TOO_BIG, "message over " + maxMessageSize + " bytes");
        }
        // Room for a frame announced within the buffer size kept anyway, at once: growing from 256 bytes as the
        // payload arrives would copy it at each doubling. A larger frame's buffer still grows with what arrives.
        long whole = messageLength + parser.length();
        if (!compressed && whole > message.length && whole <= KEEP_BUFFER) {
            message = Arrays.copyOf(message, (int) Math.min(KEEP_BUFFER, Math.max(whole, Math.max(256, message.length * 2L))));
        }
    }

    /**
     * @return true if the frame just announced is a whole uncompressed message (FIN, not a continuation) whose
     *         payload has all arrived: it is then decoded where it lies, without the message buffer, which an idle
     *         conversation of short messages therefore never makes
     */
    private boolean wholeMessage(int p, int end) {
        return !parser.control() && parser.fin() && !parser.rsv1() && parser.opcode() != FrameParser.CONTINUATION
                && parser.length() <= end - p && parser.length() <= maxMessageSize;
    }

    /** Unmasks the payload in the caller's array (§5.3) and checks a text's UTF-8. @return bytes consumed */
    private int decodeInPlace(byte[] b, int p) {
        messageType = parser.opcode();
        compressed = false;
        int n = parser.payload(b, p, p + (int) parser.length(), b, p);
        view = b;
        viewStart = p;
        messageLength = n;
        if (messageType == FrameParser.TEXT) {
            utf8.reset();
            checkText(b, p, n);
        }
        return n;
    }

    /** Moves the available payload of the current frame to where it belongs. @return bytes consumed */
    private int payload(byte[] b, int p, int end) {
        if (parser.control()) {
            int n = parser.payload(b, p, end, control, controlLength);
            controlLength += n;
            return n;
        }
        int before = messageLength;
        int n;
        if (compressed) {
            if (scratch == null) scratch = new byte[SCRATCH];
            n = 0;
            while (parser.remaining() > 0 && p + n < end) {
                int m = parser.payload(b, p + n, Math.min(end, p + n + SCRATCH), scratch, 0);
                deflate.inflate(scratch, 0, m, false, sink);
                n += m;
            }
        } else {
            int want = (int) Math.min(parser.remaining(), end - p);
            if (message.length - messageLength < want) grow(messageLength + want);
            n = parser.payload(b, p, end, message, messageLength);
            messageLength += n;
        }
        checkText(before);
        return n;
    }

    private Event frameDone() {
        switch (parser.opcode()) {
            case FrameParser.PING:
                return Event.PING;
            case FrameParser.PONG:
                return Event.PONG;
            case FrameParser.CLOSE:
                closeCode = CloseCodes.parse(control, 0, controlLength);
                return Event.CLOSE;
            default:
                if (!parser.fin()) return Event.NONE;
                if (compressed) {
                    int before = messageLength;
                    deflate.inflate(EMPTY, 0, 0, true, sink);
                    checkText(before);
                }
                int type = messageType;
                messageType = 0;
                if (type == FrameParser.TEXT) {
                    if (!utf8.complete()) throw new CloseException(CloseCodes.INVALID_DATA, "text ends inside a UTF-8 sequence");
                    return Event.TEXT;
                }
                return Event.BINARY;
        }
    }

    private void checkText(int from) {
        if (messageType == FrameParser.TEXT) checkText(message, from, messageLength - from);
    }

    /** Feeds a text message's bytes to the UTF-8 check (§8.1): 1007 for bytes that are not UTF-8. */
    private void checkText(byte[] b, int off, int len) {
        if (!utf8.feed(b, off, len)) throw new CloseException(CloseCodes.INVALID_DATA, "text message is not valid UTF-8");
    }

    private void grow(int needed) {
        int size = (int) Math.min(maxMessageSize, Math.max(needed, Math.max(256, message.length * 2L)));
        message = Arrays.copyOf(message, Math.max(size, needed));
    }

    /** Where inflated bytes go: the message buffer, growing up to the message limit. */
    private final class Inflated implements PerMessageDeflate.Sink {
        @Override
        public int room(int wanted) {
            int limit = maxMessageSize - messageLength;
            if (limit <= 0) return 0;
            int want = Math.min(wanted, limit);
            if (message.length - messageLength < want) grow(messageLength + want);
            return Math.min(message.length - messageLength, limit);
        }

        @Override public byte[] array() { return message; }
        @Override public int length() { return messageLength; }
        @Override public void advance(int n) { messageLength += n; }
    }

    /**
     * Drops a message buffer above 4 KiB between messages, and the control payload's between frames, before a wait
     * that may last long: an idle conversation then holds neither. The last event's content must have been taken
     * already.
     */
    public void trim() {
        if (!inFrame) control = null;
        if (messageType == 0 && message.length > TRIM_ABOVE) {
            message = EMPTY;
            messageLength = 0;
        }
    }

    /** Frees the inflater's native memory, at the end of the conversation. */
    public void release() {
        if (deflate != null) deflate.close();
    }

    /** @return what the last {@link #decode} stopped at */
    public Event event() {
        return event;
    }

    /** @return the text of a {@link Event#TEXT} event */
    public String text() {
        return view != null ? new String(view, viewStart, messageLength, StandardCharsets.UTF_8)
                : new String(message, 0, messageLength, StandardCharsets.UTF_8);
    }

    /**
     * @return the array holding a message's bytes from {@link #dataStart()}, valid until the next {@link #decode}
     *         (the caller's own input when the message was decoded where it lay)
     */
    public byte[] data() {
        return view != null ? view : message;
    }

    /** @return where the message's bytes begin in {@link #data()} */
    public int dataStart() {
        return view != null ? viewStart : 0;
    }

    /**
     * @return the bytes of a {@link Event#BINARY} event in an array of their own: the buffer itself when it holds
     *         exactly the message and is larger than a quiet conversation keeps ({@link #trim}), else a copy
     */
    public byte[] takeData() {
        if (view != null) return Arrays.copyOfRange(view, viewStart, viewStart + messageLength);
        if (message.length != messageLength || messageLength <= TRIM_ABOVE) return Arrays.copyOf(message, messageLength);
        byte[] m = message;
        message = EMPTY;
        return m;
    }

    /** @return the message's length in {@link #data()} */
    public int length() {
        return messageLength;
    }

    /** @return the payload of a control frame event, valid until the next {@link #decode} */
    public byte[] control() {
        return control;
    }

    /** @return the payload length of a control frame event */
    public int controlLength() {
        return controlLength;
    }

    /** @return the code of a {@link Event#CLOSE} event, {@link CloseCodes#NO_STATUS} if it had none */
    public int closeCode() {
        return closeCode;
    }

    /** @return the reason of a {@link Event#CLOSE} event, "" if none */
    public String closeReason() {
        return CloseCodes.reason(control, 0, controlLength);
    }

    /** @return true while a frame's payload is partly received (the peer is in the middle of sending it) */
    public boolean inFrame() {
        return inFrame;
    }

    /** @return true while a fragmented message is unfinished */
    public boolean inMessage() {
        return messageType != 0;
    }
}
