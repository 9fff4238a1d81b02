package dev.porter.core;

import dev.porter.core.internal.proxy.IpLiterals;

import java.net.InetAddress;

/**
 * An IP address as people and logs write it: a dotted quad, or an IPv6 address in the canonical short form of
 * RFC 5952 ({@code ::1}, not the JDK's {@code 0:0:0:0:0:0:0:1}), without a zone. nginx, curl and the PROXY
 * protocol's v1 header write it so; a log line or a {@code Forwarded} field compared with theirs must match.
 * Stateless and thread-safe.
 */
public final class IpText {

    private IpText() {
    }

    /** @return {@code address} as text: {@code 127.0.0.1}, {@code ::1}, {@code ::ffff:10.0.0.1}, {@code 2001:db8::7} */
    public static String of(InetAddress address) {
        return IpLiterals.format(address.getAddress());
    }
}
