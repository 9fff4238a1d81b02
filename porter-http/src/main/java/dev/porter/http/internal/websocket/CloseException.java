package dev.porter.http.internal.websocket;

/**
 * A peer broke a rule of RFC 6455 or RFC 7692, or went past a limit: the connection must be failed (§7.1.7) with
 * the close code this error carries. Thrown by the pure codec ({@link FrameParser}, {@link MessageDecoder},
 * {@link CloseCodes}); carries no stack trace, since it describes the peer's bytes, not our code.
 */
public final class CloseException extends RuntimeException {

    private final int code;

    /**
     * @param code    the close code to send: {@link CloseCodes#PROTOCOL_ERROR}, {@link CloseCodes#INVALID_DATA},
     *                {@link CloseCodes#TOO_BIG}, …
     * @param message what was wrong, for the log and the close reason
     */
    public CloseException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** @return the close code the connection is to be failed with */
    public int code() {
        return code;
    }

    static CloseException protocol(String message) {
        return new CloseException(CloseCodes.PROTOCOL_ERROR, message);
    }
}
