package dev.porter.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Formats socket addresses the way users type them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
final class Addresses {

    private Addresses() {
    }

    static String format(InetSocketAddress a) {
        String host = host(a.getAddress());
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** @return the address as text, an IPv6 one in its short form without a zone ({@code ::1}), as nginx logs it */
    static String host(InetAddress a) {
        String host = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int pct = host.indexOf('%');
            if (pct >= 0) host = host.substring(0, pct);
            host = compress(host);
        }
        return host;
    }

    /**
     * Shortens the JDK's full IPv6 text ({@code 0:0:0:0:0:0:0:1}) to the canonical form of RFC 5952 §4.2
     * ({@code ::1}): the longest run of two or more zero groups (the first on a tie) becomes {@code ::}.
     */
    static String compress(String full) {
        String[] groups = full.split(":", -1);
        if (groups.length != 8) return full; // already compressed, or an embedded IPv4 form: leave it
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j].equals("0")) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart < 0) return full;
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, 8));
        return head + "::" + tail;
    }
}
