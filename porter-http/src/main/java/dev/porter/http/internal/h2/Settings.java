package dev.porter.http.internal.h2;

import static dev.porter.http.internal.h2.Http2Error.FLOW_CONTROL_ERROR;
import static dev.porter.http.internal.h2.Http2Error.PROTOCOL_ERROR;

/**
 * The six SETTINGS parameters of RFC 9113 §6.5.2, and SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3), for one side of a connection, starting at their defaults. One
 * instance holds what we announce, another what the peer announced ({@link #apply} reads a SETTINGS payload into
 * it). Values are unsigned 32-bit on the wire; those without an upper bound ("unlimited") are kept as ints clamped
 * to {@link Integer#MAX_VALUE}, which no limit in Porter exceeds. Mutable, not thread-safe.
 */
public final class Settings {

    /** SETTINGS_HEADER_TABLE_SIZE: the HPACK dynamic table size the receiver's decoder allows. Default 4096. */
    public static final int HEADER_TABLE_SIZE = 0x1;
    /** SETTINGS_ENABLE_PUSH: 0 or 1. Default 1 (Porter always sends 0 as a client and never pushes). */
    public static final int ENABLE_PUSH = 0x2;
    /** SETTINGS_MAX_CONCURRENT_STREAMS: streams the sender lets the receiver open. Default unlimited. */
    public static final int MAX_CONCURRENT_STREAMS = 0x3;
    /** SETTINGS_INITIAL_WINDOW_SIZE: each new stream's flow-control window. Default 65535, at most 2^31-1. */
    public static final int INITIAL_WINDOW_SIZE = 0x4;
    /** SETTINGS_MAX_FRAME_SIZE: the largest payload the sender accepts. 16384 (default) to 16777215. */
    public static final int MAX_FRAME_SIZE = 0x5;
    /** SETTINGS_MAX_HEADER_LIST_SIZE: advisory limit on a decoded field section. Default unlimited. */
    public static final int MAX_HEADER_LIST_SIZE = 0x6;

    /**
     * SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3): 1 from a server lets the client open extended CONNECT streams
     * ({@code :protocol}, e.g. WebSocket). Default 0.
     */
    public static final int ENABLE_CONNECT_PROTOCOL = 0x8;
    /** The parameters a SETTINGS frame of ours may carry, in the order they are written. */
    static final int[] IDS = {HEADER_TABLE_SIZE, ENABLE_PUSH, MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE,
            MAX_FRAME_SIZE, MAX_HEADER_LIST_SIZE, ENABLE_CONNECT_PROTOCOL};

    /** Default and smallest SETTINGS_MAX_FRAME_SIZE. */
    public static final int MIN_MAX_FRAME_SIZE = 16384;
    /** Largest SETTINGS_MAX_FRAME_SIZE: 2^24-1. */
    public static final int MAX_MAX_FRAME_SIZE = 16777215;
    /** Default SETTINGS_INITIAL_WINDOW_SIZE, also the connection's initial window (§6.9.2). */
    public static final int DEFAULT_WINDOW_SIZE = 65535;
    /** Default SETTINGS_HEADER_TABLE_SIZE. */
    public static final int DEFAULT_HEADER_TABLE_SIZE = 4096;
    /** The value of the parameters without a limit by default. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** Every parameter at its default; never changed. */
    static final Settings DEFAULTS = new Settings();

    private int headerTableSize = DEFAULT_HEADER_TABLE_SIZE;
    private boolean enablePush = true;
    private int maxConcurrentStreams = UNLIMITED;
    private int initialWindowSize = DEFAULT_WINDOW_SIZE;
    private int maxFrameSize = MIN_MAX_FRAME_SIZE;
    private int maxHeaderListSize = UNLIMITED;
    private boolean enableConnectProtocol;

    /** Settings with every parameter at its default (§6.5.2). */
    public Settings() {
    }

    /** @return a copy, e.g. to compare before and after {@link #apply} */
    public Settings copy() {
        Settings s = new Settings();
        s.headerTableSize = headerTableSize;
        s.enablePush = enablePush;
        s.maxConcurrentStreams = maxConcurrentStreams;
        s.initialWindowSize = initialWindowSize;
        s.maxFrameSize = maxFrameSize;
        s.maxHeaderListSize = maxHeaderListSize;
        s.enableConnectProtocol = enableConnectProtocol;
        return s;
    }

    /**
     * Applies the parameters of a SETTINGS payload in order (§6.5.3: processed in the order they appear, the last
     * value of a parameter wins); unknown identifiers are ignored (§6.5.2). The length must be a multiple of 6,
     * as {@link FrameParser} ensures. On an error the settings may be partly applied: the connection is over.
     *
     * @param fromServer the payload came from a server: ENABLE_PUSH 1 is then PROTOCOL_ERROR too (§6.5.2)
     * @throws Http2Exception connection errors: ENABLE_PUSH not 0 or 1 (PROTOCOL_ERROR), INITIAL_WINDOW_SIZE
     *                        above 2^31-1 (FLOW_CONTROL_ERROR), MAX_FRAME_SIZE outside 16384..16777215
     *                        (PROTOCOL_ERROR); ENABLE_CONNECT_PROTOCOL not 0 or 1, or 0 after 1 (PROTOCOL_ERROR, RFC 8441
     *                        §3)
     */
    public void apply(byte[] b, int start, int end, boolean fromServer) {
        for (int i = start; i + 6 <= end; i += 6) {
            int id = (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
            long value = FrameParser.readInt(b, i + 2) & 0xffffffffL;
            switch (id) {
                case HEADER_TABLE_SIZE -> headerTableSize = clamp(value);
                case ENABLE_PUSH -> {
                    if (value > 1 || value == 1 && fromServer) {
                        throw Http2Exception.connection(PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value);
                    }
                    enablePush = value == 1;
                }
                case MAX_CONCURRENT_STREAMS -> maxConcurrentStreams = clamp(value);
                case INITIAL_WINDOW_SIZE -> {
                    if (value > Integer.MAX_VALUE) {
                        throw Http2Exception.connection(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + value);
                    }
                    initialWindowSize = (int) value;
                }
                case MAX_FRAME_SIZE -> {
                    if (value < MIN_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE) {
                        throw Http2Exception.connection(PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
                    }
                    maxFrameSize = (int) value;
                }
                case MAX_HEADER_LIST_SIZE -> maxHeaderListSize = clamp(value);
                case ENABLE_CONNECT_PROTOCOL -> {
                    // RFC 8441 §3: the value MUST be 0 or 1, and a sender MUST NOT go back to 0 after sending 1.
                    if (value > 1 || value == 0 && enableConnectProtocol) {
                        throw Http2Exception.connection(PROTOCOL_ERROR, "SETTINGS_ENABLE_CONNECT_PROTOCOL " + value);
                    }
                    enableConnectProtocol = value == 1;
                }
                default -> {
                    // Unknown or unsupported identifiers MUST be ignored (§6.5.2).
                }
            }
        }
    }

    private static int clamp(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    /**
     * @return a parameter's value by identifier ({@link #HEADER_TABLE_SIZE} … {@link #MAX_HEADER_LIST_SIZE});
     *         ENABLE_PUSH as 0 or 1
     */
    public int get(int id) {
        return switch (id) {
            case HEADER_TABLE_SIZE -> headerTableSize;
            case ENABLE_PUSH -> enablePush ? 1 : 0;
            case MAX_CONCURRENT_STREAMS -> maxConcurrentStreams;
            case INITIAL_WINDOW_SIZE -> initialWindowSize;
            case MAX_FRAME_SIZE -> maxFrameSize;
            case MAX_HEADER_LIST_SIZE -> maxHeaderListSize;
            case ENABLE_CONNECT_PROTOCOL -> enableConnectProtocol ? 1 : 0;
            default -> throw new IllegalArgumentException("unknown setting " + id);
        };
    }

    /** @return the default of a parameter (§6.5.2) */
    public static int defaultValue(int id) {
        return DEFAULTS.get(id);
    }

    public int headerTableSize() {
        return headerTableSize;
    }

    /** @param size 0 or more */
    public Settings headerTableSize(int size) {
        headerTableSize = atLeast(size, 0, "header table size");
        return this;
    }

    public boolean enablePush() {
        return enablePush;
    }

    public Settings enablePush(boolean enable) {
        enablePush = enable;
        return this;
    }

    public int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    /** @param streams 0 or more; {@link #UNLIMITED} for no limit */
    public Settings maxConcurrentStreams(int streams) {
        maxConcurrentStreams = atLeast(streams, 0, "max concurrent streams");
        return this;
    }

    public int initialWindowSize() {
        return initialWindowSize;
    }

    /** @param size 0 to 2^31-1 */
    public Settings initialWindowSize(int size) {
        initialWindowSize = atLeast(size, 0, "initial window size");
        return this;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** @param size 16384 to 16777215 */
    public Settings maxFrameSize(int size) {
        if (size < MIN_MAX_FRAME_SIZE || size > MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("max frame size " + size);
        }
        maxFrameSize = size;
        return this;
    }

    public int maxHeaderListSize() {
        return maxHeaderListSize;
    }

    /** @param size 0 or more; {@link #UNLIMITED} for no limit */
    public Settings maxHeaderListSize(int size) {
        maxHeaderListSize = atLeast(size, 0, "max header list size");
        return this;
    }

    public boolean enableConnectProtocol() {
        return enableConnectProtocol;
    }

    public Settings enableConnectProtocol(boolean enable) {
        enableConnectProtocol = enable;
        return this;
    }

    private static int atLeast(int value, int min, String what) {
        if (value < min) throw new IllegalArgumentException(what + " " + value);
        return value;
    }

    @Override
    public String toString() {
        return "Settings[headerTableSize=" + headerTableSize + ", enablePush=" + enablePush
                + ", maxConcurrentStreams=" + maxConcurrentStreams + ", initialWindowSize=" + initialWindowSize
                + ", maxFrameSize=" + maxFrameSize + ", maxHeaderListSize=" + maxHeaderListSize + ", enableConnectProtocol=" + enableConnectProtocol + "]";
    }
}
