package dev.porter.http.internal.websocket;

import java.nio.charset.StandardCharsets;

/**
 * The close codes of RFC 6455 §7.4 and the rules for which may travel on the wire.
 * <ul>
 *   <li>1005, 1006 and 1015 are never sent (§7.4.1): they only report, locally, that a Close frame had no code,
 *       that the connection ended without one, or that TLS failed;</li>
 *   <li>0–999 are not used (§7.4.2); 1000–2999 are reserved for the protocol and its extensions, so only the codes
 *       defined there are accepted: RFC 6455's 1000–1003 and 1007–1011, and 1012–1014 registered since in the IANA
 *       "WebSocket Close Code Number Registry" (§11.7). 1004 is reserved without a meaning;</li>
 *   <li>3000–4999 belong to libraries, frameworks and applications and are always accepted;</li>
 *   <li>5000 and above are not defined: a Close frame carrying one is a protocol error.</li>
 * </ul>
 */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int NO_STATUS = 1005;
    public static final int ABNORMAL = 1006;
    public static final int INVALID_DATA = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;
    public static final int TLS_FAILURE = 1015;

    /** The longest close reason in bytes: a control frame carries at most 125, two of them the code (§5.5). */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /** @return true if {@code code} may appear in a Close frame, sent or received (§7.4.1, §7.4.2) */
    public static boolean onWire(int code) {
        if (code >= 3000 && code <= 4999) return true;
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014;
    }

    /**
     * Reads a Close frame's payload (§5.5.1): empty, or a two-byte code followed by a UTF-8 reason.
     *
     * @return the code, or {@link #NO_STATUS} for an empty payload
     * @throws CloseException 1002 for a one-byte payload or a code that may not be on the wire; 1007 for a reason
     *                        that is not valid UTF-8 (§8.1)
     */
    public static int parse(byte[] payload, int off, int len) {
        if (len == 0) return NO_STATUS;
        if (len == 1) throw CloseException.protocol("Close frame with a one-byte payload");
        int code = (payload[off] & 0xff) << 8 | payload[off + 1] & 0xff;
        if (!onWire(code)) throw CloseException.protocol("close code " + code + " is not allowed on the wire");
        Utf8Validator utf8 = new Utf8Validator();
        if (!utf8.feed(payload, off + 2, len - 2) || !utf8.complete()) {
            throw new CloseException(INVALID_DATA, "close reason is not valid UTF-8");
        }
        return code;
    }

    /** @return the reason of a Close payload already checked by {@link #parse} ("" when there is none) */
    public static String reason(byte[] payload, int off, int len) {
        return len <= 2 ? "" : new String(payload, off + 2, len - 2, StandardCharsets.UTF_8);
    }

    /**
     * Builds the payload of a Close frame to send.
     *
     * @param code {@link #NO_STATUS} for an empty payload, else a code {@link #onWire} accepts
     * @throws IllegalArgumentException for a code that may not be sent or a reason over 123 bytes in UTF-8
     */
    public static byte[] payload(int code, String reason) {
        if (code == NO_STATUS) return new byte[0];
        if (!onWire(code)) throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason is " + r.length + " bytes in UTF-8; at most "
                    + MAX_REASON_BYTES + " fit a control frame");
        }
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** @return {@code reason} cut to at most 123 bytes of UTF-8 without splitting a character */
    public static String fit(String reason) {
        if (reason == null) return "";
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_REASON_BYTES) return reason;
        int end = MAX_REASON_BYTES;
        while (end > 0 && (b[end] & 0xc0) == 0x80) end--; // back to the start of the character that does not fit
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
