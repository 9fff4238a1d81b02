package dev.porter.http.internal.h2;

/**
 * Frame types and flags of HTTP/2 (RFC 9113 §6, §11.2), as int constants: a frame's type is one unsigned byte
 * and types not listed here are extensions that a receiver ignores (§4.1, §5.5). Flags are bits of the header's
 * flags byte; a flag has a meaning only for the types named beside it and is ignored elsewhere (§4.1).
 */
public final class FrameType {

    /** §6.1: request or response content. Flags: {@link #FLAG_END_STREAM}, {@link #FLAG_PADDED}. */
    public static final int DATA = 0x0;
    /** §6.2: opens a stream, carries a field block fragment. Flags: END_STREAM, END_HEADERS, PADDED, PRIORITY. */
    public static final int HEADERS = 0x1;
    /** §6.3: deprecated priority signal; accepted and ignored (§5.3.2). */
    public static final int PRIORITY = 0x2;
    /** §6.4: ends a stream with an error code. */
    public static final int RST_STREAM = 0x3;
    /** §6.5: connection parameters. Flags: {@link #FLAG_ACK}. */
    public static final int SETTINGS = 0x4;
    /** §6.6: server push; Porter disables push, so receiving one is a connection error (§8.4). */
    public static final int PUSH_PROMISE = 0x5;
    /** §6.7: round trip measurement and liveness. Flags: {@link #FLAG_ACK}. */
    public static final int PING = 0x6;
    /** §6.8: starts the shutdown of a connection. */
    public static final int GOAWAY = 0x7;
    /** §6.9: flow-control credit for a stream or (stream 0) the connection. */
    public static final int WINDOW_UPDATE = 0x8;
    /** §6.10: continues a field block. Flags: {@link #FLAG_END_HEADERS}. */
    public static final int CONTINUATION = 0x9;

    /** DATA, HEADERS: the last frame the sender sends on this stream. */
    public static final int FLAG_END_STREAM = 0x1;
    /** SETTINGS, PING: an acknowledgement. Same bit as END_STREAM. */
    public static final int FLAG_ACK = 0x1;
    /** HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends with this frame. */
    public static final int FLAG_END_HEADERS = 0x4;
    /** DATA, HEADERS, PUSH_PROMISE: a Pad Length byte leads the payload and padding ends it. */
    public static final int FLAG_PADDED = 0x8;
    /** HEADERS: five bytes of (deprecated) priority fields follow the Pad Length. */
    public static final int FLAG_PRIORITY = 0x20;

    private static final String[] NAMES = {"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE",
            "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"};

    private FrameType() {
    }

    /** @return true for the types defined by RFC 9113; others are extensions, ignored on receipt */
    public static boolean isKnown(int type) {
        return type >= DATA && type <= CONTINUATION;
    }

    /** @return the RFC name of a type, or "UNKNOWN(0x..)" for an extension type; for logs */
    public static String name(int type) {
        return isKnown(type) ? NAMES[type] : "UNKNOWN(0x" + Integer.toHexString(type) + ")";
    }
}
