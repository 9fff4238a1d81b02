package dev.porter.http.internal.websocket;

import java.util.List;
import java.util.Locale;

/**
 * The client's side of permessage-deflate (RFC 7692 §5, §7.1): what it offers, and whether the server's answer
 * can be accepted. The offer is plain {@code permessage-deflate}, without {@code client_max_window_bits}: offering
 * that would let the server ask for a window below 15 bits, which the JDK's {@link java.util.zip.Deflater} cannot
 * keep to (it always uses 32 KiB), so the client could not honour the agreement.
 *
 * <p>The answer (§7.1: the client must fail the connection otherwise) holds at most one extension, which is
 * permessage-deflate and was offered, each parameter at most once and with a valid value:
 * <ul>
 *   <li>{@code server_no_context_takeover}: nothing to do (the inflater keeps its history either way);</li>
 *   <li>{@code client_no_context_takeover}: this end resets its compression context after each message;</li>
 *   <li>{@code server_max_window_bits=8..15}: accepted (the inflater takes any window up to 15 bits);</li>
 *   <li>{@code client_max_window_bits}: refused, since it was not offered (§7.1.2.2);</li>
 *   <li>anything else: refused.</li>
 * </ul>
 *
 * @param clientNoContextTakeover the client resets its compression context after each message
 * @param response                the server's {@code Sec-WebSocket-Extensions} value, as agreed
 */
record ClientDeflate(boolean clientNoContextTakeover, String response) {

    /** The {@code Sec-WebSocket-Extensions} value offered. */
    static final String OFFER = DeflateNegotiation.NAME;

    /**
     * @param fields  every {@code Sec-WebSocket-Extensions} value of the 101
     * @param offered whether permessage-deflate was offered
     * @return the agreement, or null if the server accepted no extension
     * @throws IllegalArgumentException naming the rule an unacceptable answer broke
     */
    static ClientDeflate accept(List<String> fields, boolean offered) {
        if (fields.isEmpty()) return null;
        List<DeflateNegotiation.Extension> extensions = DeflateNegotiation.parse(fields);
        if (extensions == null) throw new IllegalArgumentException("Sec-WebSocket-Extensions does not parse: " + fields);
        if (extensions.isEmpty()) return null;
        if (extensions.size() > 1) {
            throw new IllegalArgumentException("the server accepted " + extensions.size() + " extensions, but one was offered");
        }
        DeflateNegotiation.Extension e = extensions.get(0);
        if (!offered || !e.name().equalsIgnoreCase(DeflateNegotiation.NAME)) {
            throw new IllegalArgumentException("the server accepted extension '" + e.name() + "', which was not offered "
                    + "(RFC 6455 §4.1)");
        }
        boolean clientNoTakeover = false;
        boolean serverNoTakeover = false;
        boolean serverBits = false;
        for (String[] p : e.params()) {
            String name = p[0].toLowerCase(Locale.ROOT);
            String value = p[1];
            boolean ok;
            switch (name) {
                case "client_no_context_takeover" -> {
                    ok = !clientNoTakeover && value == null;
                    clientNoTakeover = true;
                }
                case "server_no_context_takeover" -> {
                    ok = !serverNoTakeover && value == null;
                    serverNoTakeover = true;
                }
                case "server_max_window_bits" -> {
                    ok = !serverBits && windowBits(value);
                    serverBits = true;
                }
                default -> ok = false;
            }
            if (!ok) {
                throw new IllegalArgumentException("permessage-deflate parameter '" + p[0] + (value == null ? "" : "=" + value)
                        + "' cannot be accepted: " + (name.equals("client_max_window_bits") ? "it was not offered"
                        : "unknown, repeated or out of range") + " (RFC 7692 §7.1)");
            }
        }
        return new ClientDeflate(clientNoTakeover, String.join(", ", fields));
    }

    /** @return true for a plain decimal 8..15 (RFC 7692 §7.1.2.1) */
    private static boolean windowBits(String v) {
        if (v == null || v.isEmpty() || v.length() > 2 || v.charAt(0) == '0') return false;
        for (int i = 0; i < v.length(); i++) if (v.charAt(i) < '0' || v.charAt(i) > '9') return false;
        int bits = Integer.parseInt(v);
        return bits >= 8 && bits <= 15;
    }
}
