package dev.porter.core.internal.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host names and IP literals as TLS compares them with a certificate's names (RFC 6125 §6.4, RFC 6066 §3). */
final class HostNames {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private HostNames() {
    }

    /**
     * @return {@code host} as compared: lower case, without IPv6 brackets or a trailing dot (an absolute DNS
     *         name is the same host, and RFC 6066 §3 forbids the dot in SNI)
     */
    static String normalize(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    /**
     * Whether {@code host} is an IPv4 or IPv6 literal, decided from its characters alone (no DNS look-up): a DNS
     * name has no colon, and no top-level domain is all digits.
     */
    static boolean isIpLiteral(String host) {
        String h = normalize(host);
        return h.indexOf(':') >= 0 || IPV4.matcher(h).matches();
    }

    /**
     * Whether a certificate naming {@code names} (its dNSName and iPAddress SANs) is for {@code host}. A wildcard
     * {@code *.example.com} stands for exactly one left-most label (RFC 6125 §6.4.3): {@code a.example.com}, not
     * {@code example.com} nor {@code a.b.example.com}; a wildcard elsewhere or inside a label matches only itself.
     * IP addresses compare as addresses, so {@code ::1} is {@code 0:0:0:0:0:0:0:1}.
     */
    static boolean matches(List<String> names, String host) {
        String h = normalize(host);
        if (h.isEmpty()) return false;
        boolean ip = isIpLiteral(h);
        for (String name : names) {
            String n = normalize(name);
            if (ip) {
                if (isIpLiteral(n) && sameAddress(n, h)) return true;
            } else if (n.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot).equals(n.substring(1))) return true;
            } else if (n.equals(h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // Both are literals (checked by the caller), so getByName parses them without asking DNS.
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
