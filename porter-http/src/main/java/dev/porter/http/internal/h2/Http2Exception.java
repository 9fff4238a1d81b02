package dev.porter.http.internal.h2;

import java.util.Objects;

/**
 * An HTTP/2 error found in the peer's bytes (RFC 9113 §5.4): either a <em>connection error</em> (§5.4.1: send
 * GOAWAY with {@link #error()}, then close) or a <em>stream error</em> on {@link #streamId()} (§5.4.2: send
 * RST_STREAM with {@link #error()}; the connection stays up). The message says which rule was broken; it may be
 * sent as GOAWAY debug data, so it holds no secrets and no peer bytes beyond numbers.
 * <p>
 * One stream error is singled out: {@link #headerListTooLarge()}, thrown by {@link HpackDecoder} when a field
 * block decodes to more than the configured SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2, §10.5.1). The block
 * was still processed to its end, so the HPACK context is intact: a server may answer 431 on that stream
 * instead of resetting it.
 * <p>
 * Unchecked and without a stack trace: peers can cause these at will, so they must be cheap.
 */
public final class Http2Exception extends RuntimeException {

    private final Http2Error error;
    private final int streamId;
    private final boolean headerListTooLarge;

    private Http2Exception(Http2Error error, int streamId, boolean headerListTooLarge, String message) {
        super(message, null, false, false);
        this.error = Objects.requireNonNull(error, "error");
        this.streamId = streamId;
        this.headerListTooLarge = headerListTooLarge;
    }

    /** A connection error (RFC 9113 §5.4.1). */
    public static Http2Exception connection(Http2Error error, String message) {
        return new Http2Exception(error, 0, false, message);
    }

    /**
     * A stream error (RFC 9113 §5.4.2).
     *
     * @param streamId the stream to reset, greater than 0
     */
    public static Http2Exception stream(int streamId, Http2Error error, String message) {
        if (streamId <= 0) throw new IllegalArgumentException("stream error on stream " + streamId);
        return new Http2Exception(error, streamId, false, message);
    }

    /**
     * The stream error of a field block larger than the header list limit: PROTOCOL_ERROR (as Netty and others
     * reset such a stream), with {@link #headerListTooLarge()} set so a server can answer 431 instead.
     */
    public static Http2Exception headerListTooLarge(int streamId, long limit) {
        if (streamId <= 0) throw new IllegalArgumentException("stream error on stream " + streamId);
        return new Http2Exception(Http2Error.PROTOCOL_ERROR, streamId, true,
                "header list larger than " + limit + " bytes");
    }

    /** @return the error code to send */
    public Http2Error error() {
        return error;
    }

    /** @return true for a connection error (GOAWAY and close), false for a stream error (RST_STREAM) */
    public boolean isConnectionError() {
        return streamId == 0;
    }

    /** @return the stream of a stream error; 0 for a connection error */
    public int streamId() {
        return streamId;
    }

    /**
     * @return true if a field block exceeded the header list size limit; a stream error after which the HPACK
     *         context is intact (answer 431 or reset the stream)
     */
    public boolean headerListTooLarge() {
        return headerListTooLarge;
    }

    @Override
    public String toString() {
        return (streamId == 0 ? "connection error " : "stream " + streamId + " error ") + error + ": " + getMessage();
    }
}
