package dev.porter.cli;

import dev.porter.core.IpText;

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
        return IpText.of(a);
    }
}
