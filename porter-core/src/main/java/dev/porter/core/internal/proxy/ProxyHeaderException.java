package dev.porter.core.internal.proxy;

import java.io.IOException;

/**
 * A PROXY protocol header that is not one (proxy-protocol.txt §2.1, §2.2): the connection must be aborted
 * ("any sequence which does not exactly match the protocol must be discarded and cause the receiver to abort the
 * connection"). {@link #problem()} says which rule the bytes broke.
 */
public final class ProxyHeaderException extends IOException {

    /** Which rule the bytes broke. */
    public enum Problem {
        /** Neither the v1 {@code "PROXY "} prefix nor the v2 signature: the peer does not speak PROXY protocol. */
        NOT_PROXY_PROTOCOL,
        /** A v1 line that does not match the §2.1 grammar (fields, spaces, addresses, ports, a lone CR or LF). */
        V1_MALFORMED,
        /** No CRLF within the first 107 bytes of a v1 line (§2.1). */
        V1_TOO_LONG,
        /** A v2 version nibble other than 2 (§2.2: "the receiver must only accept this value"). */
        V2_BAD_VERSION,
        /** A v2 command other than LOCAL or PROXY (§2.2: "receivers must drop connections"). */
        V2_BAD_COMMAND,
        /** A v2 family and transport byte outside the §2.2 list. */
        V2_BAD_FAMILY,
        /** A v2 length shorter than its family's address block. */
        V2_SHORT_ADDRESS,
        /** A v2 TLV that runs past the header's end, or a CRC32C TLV of the wrong size (§2.2). */
        V2_BAD_TLV,
        /** A v2 CRC32C TLV that does not match the header (§2.2.3: "MUST treat the connection as invalid"). */
        V2_BAD_CHECKSUM,
        /** A v2 header longer than the configured limit. */
        TOO_LARGE,
        /** The connection ended before the header did. */
        TRUNCATED
    }

    private final Problem problem;

    public ProxyHeaderException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** @return the rule the header broke */
    public Problem problem() {
        return problem;
    }
}
