package dev.porter.http.internal.h2;

/**
 * The error codes of HTTP/2 (RFC 9113 §7), sent in RST_STREAM and GOAWAY frames, with their 32-bit values.
 */
public enum Http2Error {
    /** The condition is not a result of an error, e.g. a graceful GOAWAY. */
    NO_ERROR(0x0),
    /** An unspecific protocol error was detected. */
    PROTOCOL_ERROR(0x1),
    /** An unexpected internal error. */
    INTERNAL_ERROR(0x2),
    /** The peer violated the flow-control protocol (RFC 9113 §5.2). */
    FLOW_CONTROL_ERROR(0x3),
    /** A SETTINGS frame was not acknowledged in time (RFC 9113 §6.5.3). */
    SETTINGS_TIMEOUT(0x4),
    /** A frame was received after a stream was half-closed (RFC 9113 §5.1). */
    STREAM_CLOSED(0x5),
    /** A frame had an invalid size (RFC 9113 §4.2). */
    FRAME_SIZE_ERROR(0x6),
    /** The stream was refused before any application processing; it may be retried (RFC 9113 §8.7). */
    REFUSED_STREAM(0x7),
    /** The stream is no longer needed. */
    CANCEL(0x8),
    /** The field-compression context (HPACK) cannot be maintained; always a connection error. */
    COMPRESSION_ERROR(0x9),
    /** The connection of a CONNECT request was reset or abnormally closed. */
    CONNECT_ERROR(0xa),
    /** The peer exhibits behavior that might be generating excessive load. */
    ENHANCE_YOUR_CALM(0xb),
    /** The transport does not meet minimum security requirements (RFC 9113 §9.2). */
    INADEQUATE_SECURITY(0xc),
    /** HTTP/1.1 is required instead of HTTP/2. */
    HTTP_1_1_REQUIRED(0xd);

    private static final Http2Error[] BY_CODE = values();

    private final int code;

    Http2Error(int code) {
        this.code = code;
    }

    /** @return the code on the wire */
    public int code() {
        return code;
    }

    /**
     * The error with the given code. Unknown codes must not trigger any special behavior (RFC 9113 §7): they map
     * to {@link #INTERNAL_ERROR}, as the RFC allows; callers that log the raw value keep it themselves.
     *
     * @param code the 32-bit code as read from a frame (any int; treated as unsigned)
     */
    public static Http2Error of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : INTERNAL_ERROR;
    }
}
