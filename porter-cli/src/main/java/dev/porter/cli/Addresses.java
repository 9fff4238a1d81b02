package dev.porter.cli;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Formats socket addresses the way users type them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
final class Addresses {

    private Addresses() {
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        if (a.getAddress() instanceof Inet6Address) {
            int pct = host.indexOf('%');
            if (pct >= 0) host = host.substring(0, pct);
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }
}
