package dev.porter.http.internal.proxy;

import dev.porter.core.IpText;
import dev.porter.http.Headers;
import dev.porter.http.Request;
import dev.porter.http.internal.Ascii;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The fields that tell a backend who asked through whom: {@code Via} (RFC 9110 §7.6.3), {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code Forwarded} (RFC 7239). What a client sent in the
 * forwarded fields is kept, and appended to, only when the immediate peer is a trusted proxy; from anyone else it
 * is replaced, so a client cannot claim another address. {@code Via} is always appended to: it lists the
 * intermediaries, not a claim about the client. Pure.
 */
final class Forwarding {

    private Forwarding() {
    }

    /** @return true for the fields this class writes (the caller copies every other end-to-end field) */
    static boolean ours(String name) {
        return switch (name.length()) {
            case 3 -> name.equalsIgnoreCase("Via");
            case 9 -> name.equalsIgnoreCase("Forwarded");
            case 15 -> name.equalsIgnoreCase("X-Forwarded-For");
            case 16 -> name.equalsIgnoreCase("X-Forwarded-Host");
            case 17 -> name.equalsIgnoreCase("X-Forwarded-Proto");
            default -> false;
        };
    }

    /**
     * Adds Via and the forwarded fields for {@code req} to the request to the backend.
     *
     * @param authority the host an absolute-form target named (it replaces the received Host), or null
     */
    static void add(Request req, boolean trusted, String pseudonym, String authority, BiConsumer<String, String> out) {
        Headers in = req.headers();
        out.accept("Via", via(in, req.version(), pseudonym));
        InetAddress peer = req.remoteAddress().getAddress();
        String host = authority != null ? authority : req.header("Host");
        String proto = req.scheme();
        Client c = Client.of(peer, host, proto);
        String xff = trusted ? joined(in, "X-Forwarded-For") : null;
        out.accept("X-Forwarded-For", xff == null ? c.peerText : xff + ", " + c.peerText);
        String xfProto = trusted ? in.first("X-Forwarded-Proto") : null;
        out.accept("X-Forwarded-Proto", xfProto != null ? xfProto : proto);
        String xfHost = trusted ? in.first("X-Forwarded-Host") : null;
        if (xfHost != null) out.accept("X-Forwarded-Host", xfHost);
        else if (host != null) out.accept("X-Forwarded-Host", host);
        String forwarded = trusted ? joined(in, "Forwarded") : null;
        out.accept("Forwarded", forwarded == null ? c.element : forwarded + ", " + c.element);
    }

    /**
     * A client's address as text and its {@code Forwarded} element, kept for the next request: requests come in
     * runs from one client connection (keep-alive) or one balancer, so formatting the address and the element
     * again for each was most of this class's cost.
     */
    private record Client(InetAddress peer, String host, String proto, String peerText, String element) {

        private static volatile Client last;

        static Client of(InetAddress peer, String host, String proto) {
            Client c = last;
            if (c != null && c.peer.equals(peer) && Objects.equals(c.host, host) && c.proto.equals(proto)) return c;
            String peerText = IpText.of(peer);
            StringBuilder element = new StringBuilder(64).append("for=");
            // RFC 7239 §6: an IPv6 node is bracketed, and so must be a quoted-string.
            if (peer instanceof Inet6Address) element.append("\"[").append(peerText).append("]\"");
            else element.append(peerText);
            if (host != null) element.append(";host=").append(value(host));
            element.append(";proto=").append(proto);
            c = new Client(peer, host, proto, peerText, element.toString());
            last = c;
            return c;
        }
    }

    /**
     * @return the client's address as the proxy believes it: the first of {@code X-Forwarded-For} when the peer
     *         is trusted and sent one, else the peer's (for stickiness by address)
     */
    static String client(Request req, boolean trusted) {
        if (trusted) {
            String xff = req.header("X-Forwarded-For");
            if (xff != null) {
                int comma = xff.indexOf(',');
                String first = (comma < 0 ? xff : xff.substring(0, comma)).strip();
                if (!first.isEmpty()) return first;
            }
        }
        return IpText.of(req.remoteAddress().getAddress());
    }

    /** @return {@code Via} with this hop appended: the received protocol's version and the pseudonym */
    static String via(Headers in, String version, String pseudonym) {
        String hop = hop(version, pseudonym);
        String previous = joined(in, "Via");
        return previous == null ? hop : previous + ", " + hop;
    }

    /** The last hop's {@code Via} element for HTTP/1.1 and its pseudonym: the same string for every message. */
    private static volatile String[] lastHop = {"", ""};

    private static String hop(String version, String pseudonym) {
        if (!version.equals("HTTP/1.1")) return protocol(version) + " " + pseudonym;
        String[] last = lastHop;
        if (last[0].equals(pseudonym)) return last[1];
        String hop = "1.1 " + pseudonym;
        lastHop = new String[]{pseudonym, hop};
        return hop;
    }

    /** RFC 9110 §7.6.3: the protocol name is omitted for HTTP, leaving the version ({@code 1.1}, {@code 2}). */
    static String protocol(String version) {
        if (version.startsWith("HTTP/")) {
            String v = version.substring(5);
            return v.equals("2.0") ? "2" : v;
        }
        return version;
    }

    /** @return every field named {@code name} joined by {@code ", "} (RFC 9110 §5.3), or null if none */
    private static String joined(Headers h, String name) {
        String out = null;
        for (int i = 0; i < h.size(); i++) {
            if (!h.name(i).equalsIgnoreCase(name)) continue;
            String v = h.value(i);
            if (v.isEmpty()) continue;
            out = out == null ? v : out + ", " + v;
        }
        return out;
    }

    /** RFC 7239 §4: a value is a token or a quoted-string. */
    private static String value(String v) {
        if (Ascii.isToken(v)) return v;
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
