package dev.porter.http.internal;

import dev.porter.core.AddressRange;
import dev.porter.http.Headers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client and scheme that trusted proxies name in a request's forwarded fields: {@code Forwarded} (RFC 7239),
 * or, when it is absent, {@code X-Forwarded-For} and {@code X-Forwarded-Proto}. Only a peer in the trusted set
 * is believed; its list is walked from the right (the nearest hop) past every trusted proxy to the first address
 * that is not one: the client (RFC 7239 §5.2, §8.1: addresses further left are whatever the client claimed). A
 * hop that is {@code unknown}, obfuscated or unreadable ends the walk; a {@code Forwarded} field that does not
 * parse is ignored whole, as if absent. Pure; runs only for requests from a trusted peer.
 */
public final class ForwardedFields {

    /** Who sent the request, and over which scheme, as far as trusted proxies say. */
    public record Origin(InetSocketAddress client, String scheme) {
    }

    /** One hop: the address it names (null when unknown or obfuscated) and the scheme it was asked with, or null. */
    private record Hop(InetSocketAddress node, String proto) {
    }

    private ForwardedFields() {
    }

    /**
     * @param peer    the connection's client (after any PROXY protocol header)
     * @param scheme  the connection's own scheme ({@code http} or {@code https})
     * @param trusted the proxies whose fields are believed; empty: none
     */
    public static Origin resolve(InetSocketAddress peer, String scheme, Headers headers, List<AddressRange> trusted) {
        if (trusted.isEmpty() || !AddressRange.anyContains(trusted, peer.getAddress())) return new Origin(peer, scheme);
        List<Hop> hops = headers.contains("Forwarded") ? forwarded(headers.all("Forwarded")) : xForwarded(headers);
        InetSocketAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Hop hop = hops.get(i);
            if (hop.proto != null) scheme = hop.proto;
            if (hop.node == null) break;
            client = hop.node;
            if (!AddressRange.anyContains(trusted, client.getAddress())) break;
        }
        return new Origin(client, scheme);
    }

    /** @return the client only: {@link #resolve} without a scheme, for the access log */
    public static InetSocketAddress client(InetSocketAddress peer, Headers headers, List<AddressRange> trusted) {
        return trusted.isEmpty() ? peer : resolve(peer, "http", headers, trusted).client();
    }

    // ---- X-Forwarded-For / X-Forwarded-Proto (de facto) ------------------------------------------------------

    private static List<Hop> xForwarded(Headers headers) {
        List<String> fors = items(headers.all("X-Forwarded-For"));
        List<String> protos = items(headers.all("X-Forwarded-Proto"));
        if (fors.isEmpty() && !protos.isEmpty()) return List.of(new Hop(null, scheme(protos.get(protos.size() - 1))));
        List<Hop> hops = new ArrayList<>(fors.size());
        for (int i = 0; i < fors.size(); i++) {
            // A proto per hop when the lists line up; else the one the nearest proxy set (usually the only one).
            String proto = protos.size() == fors.size() ? protos.get(i) : protos.isEmpty() ? null : protos.get(protos.size() - 1);
            hops.add(new Hop(node(fors.get(i)), scheme(proto)));
        }
        return hops;
    }

    /** @return the comma-separated items of every field value, trimmed, empty ones dropped */
    private static List<String> items(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            int start = 0;
            for (int i = 0; i <= v.length(); i++) {
                if (i == v.length() || v.charAt(i) == ',') {
                    String item = v.substring(start, i).strip();
                    if (!item.isEmpty()) out.add(item);
                    start = i + 1;
                }
            }
        }
        return out;
    }

    // ---- Forwarded (RFC 7239 §4) -------------------------------------------------------------------------------

    /** @return one hop per forwarded-element, or none if any element does not parse */
    private static List<Hop> forwarded(List<String> values) {
        List<Hop> hops = new ArrayList<>();
        for (String v : values) {
            String forNode = null;
            String proto = null;
            boolean sawFor = false;
            int i = 0;
            while (true) {
                // forwarded-pair = token "=" value, pairs split by ";", elements by ","
                i = skipSpaces(v, i);
                int nameStart = i;
                while (i < v.length() && tchar(v.charAt(i))) i++;
                if (i == nameStart || i >= v.length() || v.charAt(i) != '=') return List.of();
                String name = v.substring(nameStart, i);
                i++;
                String value;
                if (i < v.length() && v.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (i < v.length() && v.charAt(i) != '"') {
                        if (v.charAt(i) == '\\' && i + 1 < v.length()) i++;
                        sb.append(v.charAt(i++));
                    }
                    if (i >= v.length()) return List.of(); // an unterminated quoted-string
                    i++;
                    value = sb.toString();
                } else {
                    int valueStart = i;
                    while (i < v.length() && tchar(v.charAt(i))) i++;
                    value = v.substring(valueStart, i);
                }
                if (name.equalsIgnoreCase("for")) {
                    if (sawFor) return List.of(); // §4: each parameter at most once per element
                    sawFor = true;
                    forNode = value;
                } else if (name.equalsIgnoreCase("proto")) {
                    proto = value;
                }
                i = skipSpaces(v, i);
                if (i < v.length() && v.charAt(i) == ';') {
                    i++;
                    continue;
                }
                if (i < v.length() && v.charAt(i) != ',') return List.of();
                hops.add(new Hop(forNode == null ? null : node(forNode), scheme(proto)));
                if (i >= v.length()) break;
                i++;
                forNode = null;
                proto = null;
                sawFor = false;
            }
        }
        return hops;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    // ---- nodes and schemes --------------------------------------------------------------------------------------

    /**
     * Reads a node (RFC 7239 §6): {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]},
     * {@code [2001:db8::1]:4711}, or (X-Forwarded-For's habit) a bare IPv6 literal. The port is 0 when absent or
     * obfuscated.
     *
     * @return the address, or null for {@code unknown}, an obfuscated identifier or anything unreadable
     */
    static InetSocketAddress node(String s) {
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) return null;
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') return null;
                port = s.substring(close + 2);
            }
        } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (host.isEmpty() || host.indexOf('/') >= 0) return null;
        InetAddress address;
        try {
            // A literal only: a single-address block is that address, and parsing it never looks a name up.
            address = AddressRange.parse(host).network();
        } catch (IllegalArgumentException e) {
            return null;
        }
        int p = 0;
        if (port != null && !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            p = Integer.parseInt(port);
            if (p > 65535) p = 0;
        }
        return new InetSocketAddress(address, p);
    }

    private static boolean tchar(char c) {
        return c < 128 && Ascii.isTchar((byte) c);
    }

    /** @return {@code http} or {@code https} (any case), lower-cased; null for anything else */
    private static String scheme(String proto) {
        if (proto == null) return null;
        if (proto.equalsIgnoreCase("https")) return "https";
        if (proto.equalsIgnoreCase("http")) return "http";
        return null;
    }
}
