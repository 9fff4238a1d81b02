package dev.porter.core.internal.tls;

import dev.porter.core.TlsSetupException;

import javax.net.ssl.SSLContext;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Which TLS versions and cipher suites a Porter server enables: TLS 1.3 (RFC 8446) and 1.2 (RFC 5246) only, and
 * the cipher suites of Mozilla's "intermediate" server-side TLS profile (ssl-config.mozilla.org) that this JDK
 * supports, in that profile's order. Intermediate rather than "modern" (TLS 1.3 only) because a public server
 * still meets clients that speak only TLS 1.2; every suite kept gives forward secrecy (ECDHE) and authenticated
 * encryption (AES-GCM, ChaCha20-Poly1305 of RFC 7905).
 *
 * <p>Two departures from the profile. Its DHE suites are left out: a DHE handshake costs several times the CPU of
 * an ECDHE one and current clients all offer ECDHE. And the server's order is honoured where the profile leaves
 * the choice to the client: every suite here is strong, and the server's order puts AES-128-GCM (accelerated in
 * hardware, the cheapest) first, where a JDK client, for one, asks for AES-256 first.
 */
final class TlsPolicy {

    /** The versions enabled, newest first. TLS 1.1 and older are refused (RFC 8996). */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Mozilla intermediate, JDK names, in the profile's order. */
    static final List<String> INTERMEDIATE_SUITES = List.of(
            // TLS 1.3 (RFC 8446 §B.4)
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2: ECDHE key exchange, AEAD only
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    /** @return {@link #PROTOCOLS}, after checking that {@code context} supports both */
    static String[] protocols(SSLContext context) throws TlsSetupException {
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getProtocols());
        for (String p : PROTOCOLS) {
            if (!supported.contains(p)) throw new TlsSetupException("this JDK does not support " + p);
        }
        return PROTOCOLS.toArray(String[]::new);
    }

    /** @return the intermediate suites {@code context} supports, in the profile's order; none fails */
    static String[] cipherSuites(SSLContext context) throws TlsSetupException {
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        String[] suites = INTERMEDIATE_SUITES.stream().filter(supported::contains).toArray(String[]::new);
        if (Arrays.stream(suites).noneMatch(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_"))) {
            throw new TlsSetupException("this JDK supports none of the TLS 1.3 cipher suites "
                    + INTERMEDIATE_SUITES.subList(0, 3));
        }
        return suites;
    }
}
