package dev.porter.http.internal.websocket;

import dev.porter.http.internal.Ascii;

import java.util.ArrayList;
import java.util.List;

/**
 * Negotiates permessage-deflate (RFC 7692 §5, §7.1) from {@code Sec-WebSocket-Extensions} fields (RFC 6455 §9.1).
 * The server takes the first offer it can honour, in the client's order of preference, and declines the others:
 * <ul>
 *   <li>an offer with an unknown parameter, a parameter twice, or a value out of range is declined (§7.1);</li>
 *   <li>{@code server_max_window_bits} below 15 is declined: the JDK's {@code Deflater} always uses a 32 KiB window,
 *       and output made with it could refer further back than the client keeps (15 is accepted, and answered:
 *       §7.1.2.1 accepts the parameter only by naming it in the response, and clients check that it is there);</li>
 *   <li>{@code client_max_window_bits} (with or without a value) is a hint that the client can limit its window: the
 *       server's inflater takes any window up to 15, so it is accepted and not answered (§7.1.2.2);</li>
 *   <li>{@code server_no_context_takeover} is agreed and answered: the server then resets its deflater after every
 *       message; {@code client_no_context_takeover} is answered too (the client resets its own).</li>
 * </ul>
 * A field that does not parse as an extension list declines every offer (the handshake goes on without
 * compression). Runs once per handshake, not per message.
 */
public final class DeflateNegotiation {

    /** The extension's registered name. */
    public static final String NAME = "permessage-deflate";

    /**
     * What was agreed.
     *
     * @param serverNoContextTakeover the server resets its compression context after each message
     * @param clientNoContextTakeover the client resets its compression context after each message
     * @param response                the {@code Sec-WebSocket-Extensions} value to answer with
     */
    public record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover, String response) {
    }

    /** One offered extension: its name and parameters in order, each {@code name} or {@code name=value}. */
    record Extension(String name, List<String[]> params) {
    }

    private DeflateNegotiation() {
    }

    /**
     * @param fields every {@code Sec-WebSocket-Extensions} value of the request, in order
     * @return the agreement on the first acceptable permessage-deflate offer, or null if none is acceptable
     */
    public static Agreement negotiate(List<String> fields) {
        List<Extension> offers = parse(fields);
        if (offers == null) return null;
        for (Extension e : offers) {
            if (!e.name.equalsIgnoreCase(NAME)) continue;
            Agreement a = accept(e);
            if (a != null) return a;
        }
        return null;
    }

    private static Agreement accept(Extension offer) {
        boolean serverNoTakeover = false;
        boolean clientNoTakeover = false;
        boolean serverBits = false;
        boolean clientBits = false;
        for (String[] p : offer.params) {
            String name = p[0].toLowerCase(java.util.Locale.ROOT);
            String value = p[1];
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (serverNoTakeover || value != null) return null;
                    serverNoTakeover = true;
                }
                case "client_no_context_takeover" -> {
                    if (clientNoTakeover || value != null) return null;
                    clientNoTakeover = true;
                }
                case "server_max_window_bits" -> {
                    if (serverBits || value == null) return null;
                    int bits = windowBits(value);
                    if (bits != 15) return null; // out of range (§7.1.2.1), or a window our deflater cannot keep to
                    serverBits = true;
                }
                case "client_max_window_bits" -> {
                    if (clientBits || value != null && windowBits(value) < 0) return null;
                    clientBits = true;
                }
                default -> {
                    return null; // §7.1: an unknown parameter declines the offer
                }
            }
        }
        StringBuilder response = new StringBuilder(NAME);
        if (serverNoTakeover) response.append("; server_no_context_takeover");
        if (clientNoTakeover) response.append("; client_no_context_takeover");
        if (serverBits) response.append("; server_max_window_bits=15"); // §7.1.2.1: an accepted offer names it
        return new Agreement(serverNoTakeover, clientNoTakeover, response.toString());
    }

    /** @return 8..15, or -1 if {@code v} is not one of those written as a plain decimal (§7.1.2.1) */
    private static int windowBits(String v) {
        if (v.length() == 1 && v.charAt(0) >= '8' && v.charAt(0) <= '9') return v.charAt(0) - '0';
        if (v.length() == 2 && v.charAt(0) == '1' && v.charAt(1) >= '0' && v.charAt(1) <= '5') return 10 + v.charAt(1) - '0';
        return -1;
    }

    /**
     * Parses extension lists (RFC 6455 §9.1: {@code 1#extension}, {@code extension = token *( ";" param )},
     * {@code param = token [ "=" (token | quoted-string) ]}, a quoted value unquoted).
     *
     * @return the extensions in order, or null if a field does not parse
     */
    static List<Extension> parse(List<String> fields) {
        List<Extension> out = new ArrayList<>();
        for (String f : fields) {
            Cursor c = new Cursor(f);
            while (true) {
                c.skipSpaces();
                if (c.end()) break;
                if (c.peek() == ',') { // empty list elements are allowed (RFC 9110 §5.6.1)
                    c.pos++;
                    continue;
                }
                String name = c.token();
                if (name == null) return null;
                List<String[]> params = new ArrayList<>();
                c.skipSpaces();
                while (!c.end() && c.peek() == ';') {
                    c.pos++;
                    c.skipSpaces();
                    String pname = c.token();
                    if (pname == null) return null;
                    String value = null;
                    c.skipSpaces();
                    if (!c.end() && c.peek() == '=') {
                        c.pos++;
                        c.skipSpaces();
                        value = !c.end() && c.peek() == '"' ? c.quoted() : c.token();
                        if (value == null) return null;
                        c.skipSpaces();
                    }
                    params.add(new String[]{pname, value});
                }
                out.add(new Extension(name, params));
                if (c.end()) break;
                if (c.peek() != ',') return null;
                c.pos++;
            }
        }
        return out;
    }

    private static boolean tchar(char c) {
        return c < 0x100 && Ascii.isTchar((byte) c);
    }

    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean end() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        void skipSpaces() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
        }

        String token() {
            int start = pos;
            while (pos < s.length() && tchar(s.charAt(pos))) pos++;
            return pos == start ? null : s.substring(start, pos);
        }

        /** A quoted string whose content must itself be a token (RFC 6455 §9.1). */
        String quoted() {
            pos++;
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != '"') pos++;
            if (pos >= s.length()) return null;
            String v = s.substring(start, pos++);
            if (v.isEmpty()) return null;
            for (int i = 0; i < v.length(); i++) {
                if (!tchar(v.charAt(i))) return null;
            }
            return v;
        }
    }
}
