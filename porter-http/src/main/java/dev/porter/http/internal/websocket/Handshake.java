package dev.porter.http.internal.websocket;

import dev.porter.http.Request;
import dev.porter.http.Status;
import dev.porter.http.WebSocketOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): checks a request and decides the answer. A request
 * without {@code Upgrade: websocket} is not a handshake at all (426 Upgrade Required, RFC 9110 §15.5.22). Then, in
 * this order:
 * <ol>
 *   <li>400 unless it is a GET (HEAD is answered as a plain request) of HTTP/1.1 with {@code Connection}
 *       naming {@code upgrade} and no body (§4.2.1 items 1, 4);</li>
 *   <li>400 unless there is exactly one {@code Sec-WebSocket-Key} that is base64 of 16 bytes (item 5);</li>
 *   <li>400 without {@code Sec-WebSocket-Version}; 426 with {@code Sec-WebSocket-Version: 13} for any version other
 *       than 13 (item 6, §4.4);</li>
 *   <li>403 for an origin the route does not allow (§4.2.2 item 4, §10.2; see {@link WebSocketOptions});</li>
 *   <li>then the sub-protocol (the server's first preference the client also offers, §4.2.2 item 5.4) and
 *       permessage-deflate ({@link DeflateNegotiation}) are chosen.</li>
 * </ol>
 * Over HTTP/2 (an extended CONNECT, RFC 8441 §5) the request line, {@code Upgrade}, {@code Connection} and the key
 * are replaced by {@code :method CONNECT} and {@code :protocol websocket}, which the HTTP/2 layer checked; the
 * version, origin, sub-protocol and extensions are handled as above, and there is no {@code Sec-WebSocket-Accept}.
 * Runs once per handshake.
 */
public final class Handshake {

    /** §1.3: the GUID appended to the key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final Status UPGRADE_REQUIRED = new Status(426, "Upgrade Required");

    /** The outcome: accepted or rejected. */
    public sealed interface Result permits Accepted, Rejected {
    }

    /**
     * A valid handshake.
     *
     * @param accept      the {@code Sec-WebSocket-Accept} value (null over HTTP/2)
     * @param subprotocol the chosen sub-protocol, or null
     * @param deflate     the permessage-deflate agreement, or null without compression
     */
    public record Accepted(String accept, String subprotocol, DeflateNegotiation.Agreement deflate) implements Result {
    }

    /** A refused one: answer {@code status} with these extra header fields (name, value, name, value, …). */
    public record Rejected(Status status, String message, List<String> headers) implements Result {
    }

    private Handshake() {
    }

    /** Checks an HTTP/1.1 upgrade request; {@code deflate} says whether permessage-deflate may be accepted. */
    public static Result check(Request req, WebSocketOptions options, boolean deflate) {
        return check(req, options, deflate, false);
    }

    /**
     * Checks {@code req}; {@code deflate} says whether permessage-deflate may be accepted.
     *
     * @param extendedConnect the request is an HTTP/2 extended CONNECT with {@code :protocol websocket}
     */
    public static Result check(Request req, WebSocketOptions options, boolean deflate, boolean extendedConnect) {
        if (extendedConnect) return negotiate(req, options, deflate, null);
        if (!hasToken(req.headers().all("Upgrade"), "websocket") || !"GET".equals(req.method())) {
            return new Rejected(UPGRADE_REQUIRED, "This resource speaks WebSocket: send a WebSocket handshake.",
                    List.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Version", "13"));
        }
        if (!"HTTP/1.1".equals(req.version())) return bad("a WebSocket handshake needs HTTP/1.1");
        if (!hasToken(req.headers().all("Connection"), "upgrade")) return bad("Connection does not name upgrade");
        if (req.contentLength() != 0 || req.header("Transfer-Encoding") != null) return bad("a handshake has no body");
        List<String> keys = req.headers().all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !validKey(keys.get(0).trim())) return bad("Sec-WebSocket-Key must be base64 of 16 bytes");
        return negotiate(req, options, deflate, acceptKey(keys.get(0).trim()));
    }

    /** The checks and choices common to both versions of HTTP (RFC 6455 §4.2.1 items 6–10, RFC 8441 §5). */
    private static Result negotiate(Request req, WebSocketOptions options, boolean deflate, String accept) {
        List<String> versions = req.headers().all("Sec-WebSocket-Version");
        if (versions.isEmpty()) return bad("Sec-WebSocket-Version is missing");
        if (versions.size() != 1 || !versions.get(0).trim().equals("13")) {
            return new Rejected(UPGRADE_REQUIRED, "Only WebSocket version 13 is spoken here.",
                    List.of("Sec-WebSocket-Version", "13"));
        }
        String origin = req.header("Origin");
        if (origin != null && !originAllowed(origin.trim(), req, options)) {
            return new Rejected(Status.FORBIDDEN, "Origin not allowed", List.of());
        }
        String protocol = chooseSubprotocol(req.headers().all("Sec-WebSocket-Protocol"), options.subprotocols());
        DeflateNegotiation.Agreement agreement = deflate
                ? DeflateNegotiation.negotiate(req.headers().all("Sec-WebSocket-Extensions")) : null;
        return new Accepted(accept, protocol, agreement);
    }

    private static Rejected bad(String message) {
        return new Rejected(Status.BAD_REQUEST, "Bad WebSocket handshake: " + message, List.of());
    }

    /** §4.2.2 item 5.4: base64(SHA-1(key + GUID)). */
    public static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static boolean validKey(String key) {
        if (key.length() != 24) return false;
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return true if a comma-separated list in one of {@code fields} holds {@code token} (case-insensitive) */
    static boolean hasToken(List<String> fields, String token) {
        for (String f : fields) {
            int i = 0;
            while (i <= f.length()) {
                int comma = f.indexOf(',', i);
                if (comma < 0) comma = f.length();
                if (f.substring(i, comma).trim().equalsIgnoreCase(token)) return true;
                i = comma + 1;
            }
        }
        return false;
    }

    private static String chooseSubprotocol(List<String> fields, List<String> ours) {
        for (String p : ours) {
            if (hasTokenExact(fields, p)) return p;
        }
        return null;
    }

    /** Sub-protocol names are compared exactly (§4.1: the values are case-sensitive tokens). */
    private static boolean hasTokenExact(List<String> fields, String token) {
        for (String f : fields) {
            int i = 0;
            while (i <= f.length()) {
                int comma = f.indexOf(',', i);
                if (comma < 0) comma = f.length();
                if (f.substring(i, comma).trim().equals(token)) return true;
                i = comma + 1;
            }
        }
        return false;
    }

    private static boolean originAllowed(String origin, Request req, WebSocketOptions options) {
        if (options.allowAnyOrigin()) return true;
        String o = normalize(origin);
        if (!options.origins().isEmpty()) {
            for (String allowed : options.origins()) {
                if (normalize(allowed).equals(o)) return true;
            }
            return false;
        }
        String host = req.header("Host");
        return host != null && o.equals(normalize(req.scheme() + "://" + host.trim()));
    }

    /** Lower case, without a trailing slash or the scheme's default port (RFC 6454 §6.1 serialization). */
    private static String normalize(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) o = o.substring(0, o.length() - 1);
        if (o.startsWith("http://") && o.endsWith(":80")) o = o.substring(0, o.length() - 3);
        if (o.startsWith("https://") && o.endsWith(":443")) o = o.substring(0, o.length() - 4);
        return o;
    }
}
