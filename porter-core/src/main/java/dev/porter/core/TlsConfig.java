package dev.porter.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS for every connection of a {@link Server}: the conversation ({@link Protocol}) runs unchanged over the
 * decrypted bytes. TLS 1.3 and 1.2 only, with the Mozilla "intermediate" cipher profile (see docs/tls.md).
 * Immutable; start from {@link #of(KeySource...)} and change values with the {@code withX} methods.
 *
 * @param certificates         key material, at least one. With several, the one whose certificate names the host
 *                             a client asks for (SNI) is chosen; the first is the default for other names and for
 *                             clients that send none
 * @param applicationProtocols ALPN protocol names the server accepts, in its order of preference ({@code h2},
 *                             {@code http/1.1}); the chosen one is on {@link TlsInfo#applicationProtocol()}. Empty:
 *                             no ALPN. A client offering only names not listed is refused (RFC 7301 §3.2)
 * @param clientAuth           whether clients present certificates (mTLS); default {@link ClientAuth#NONE}
 * @param clientTrust          the authorities client certificates must chain to; default the JDK's
 * @param handshakeTimeout     longest a handshake may take from the first byte; a client that stalls is closed.
 *                             Default 10 s
 * @param maxHandshakes        handshakes computing at once (a handshake waiting for its client's bytes holds no
 *                             slot, so stalled clients cannot keep others out); more wait (within their timeout)
 *                             for a slot, so a flood of new connections cannot take every CPU. Default 256
 * @param reloadCheck          how often the key files are checked for changes (new connections then get the new
 *                             certificate; existing ones keep theirs); {@link Duration#ZERO} never. Default 10 s
 * @param plaintextReply       bytes sent before closing to a client that speaks plaintext to this port instead of
 *                             TLS (an HTTP server sets a 400 response, as nginx does), ISO-8859-1; null sends nothing
 * @param handshakeThreads     platform threads of the server's own that compute the handshakes' expensive steps
 *                             (key agreement, the certificate's signature: the engine's delegated tasks) while each
 *                             connection's virtual thread waits, so they do not occupy the virtual threads' carriers
 *                             (one per core) that established connections need. Started with the first handshakes,
 *                             ended after a minute idle and when the server stops. 0 computes on the connection's own
 *                             thread. Default 0: on a quiet 2-core machine the hand-off cost more CPU per handshake
 *                             than it saved (docs/tls.md, "Performance", sixth round); a server whose long-lived
 *                             connections share the machine with bursts of handshakes may want the processors'
 *                             count, so that those bursts do not queue its requests behind them
 */
public record TlsConfig(List<KeySource> certificates, List<String> applicationProtocols, ClientAuth clientAuth,
                        TrustSource clientTrust, Duration handshakeTimeout, int maxHandshakes, Duration reloadCheck,
                        String plaintextReply, int handshakeThreads) {

    /** Whether a client must show a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** Asked for; a client without one is still served ({@link TlsInfo#peerCertificates()} is then empty). */
        OPTIONAL,
        /** Required; a client without a trusted certificate fails the handshake. */
        REQUIRED
    }

    /** Validates every value and copies the lists. */
    public TlsConfig {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) throw new IllegalArgumentException("TLS needs at least one certificate");
        applicationProtocols = List.copyOf(applicationProtocols);
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(clientTrust, "clientTrust");
        if (clientTrust instanceof TrustSource.TrustAll) throw new IllegalArgumentException("a server cannot trust every client certificate");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
        if (maxHandshakes < 1) throw new IllegalArgumentException("maxHandshakes must be >= 1: " + maxHandshakes);
        if (reloadCheck.isNegative()) throw new IllegalArgumentException("reloadCheck must not be negative: " + reloadCheck);
        if (handshakeThreads < 0) throw new IllegalArgumentException("handshakeThreads must be >= 0: " + handshakeThreads);
    }

    /** As the canonical constructor, with the default {@code handshakeThreads}: 0, on each connection's thread. */
    public TlsConfig(List<KeySource> certificates, List<String> applicationProtocols, ClientAuth clientAuth,
                     TrustSource clientTrust, Duration handshakeTimeout, int maxHandshakes, Duration reloadCheck,
                     String plaintextReply) {
        this(certificates, applicationProtocols, clientAuth, clientTrust, handshakeTimeout, maxHandshakes, reloadCheck,
                plaintextReply, 0);
    }

    /** TLS with these certificates and every default. */
    public static TlsConfig of(KeySource... certificates) {
        return new TlsConfig(List.of(certificates), List.of(), ClientAuth.NONE, TrustSource.jdkDefault(),
                Duration.ofSeconds(10), 256, Duration.ofSeconds(10), null);
    }

    /** @return a copy accepting these ALPN protocols, in order of preference */
    public TlsConfig withApplicationProtocols(List<String> names) {
        return new TlsConfig(certificates, names, clientAuth, clientTrust, handshakeTimeout, maxHandshakes, reloadCheck, plaintextReply, handshakeThreads);
    }

    /** @return a copy asking for client certificates chained to {@code trust} */
    public TlsConfig withClientAuth(ClientAuth auth, TrustSource trust) {
        return new TlsConfig(certificates, applicationProtocols, auth, trust, handshakeTimeout, maxHandshakes, reloadCheck, plaintextReply, handshakeThreads);
    }

    /** @return a copy with this handshake timeout */
    public TlsConfig withHandshakeTimeout(Duration d) {
        return new TlsConfig(certificates, applicationProtocols, clientAuth, clientTrust, d, maxHandshakes, reloadCheck, plaintextReply, handshakeThreads);
    }

    /** @return a copy allowing this many handshakes in progress at once */
    public TlsConfig withMaxHandshakes(int max) {
        return new TlsConfig(certificates, applicationProtocols, clientAuth, clientTrust, handshakeTimeout, max, reloadCheck, plaintextReply, handshakeThreads);
    }

    /** @return a copy checking the key files for changes this often ({@link Duration#ZERO}: never) */
    public TlsConfig withReloadCheck(Duration d) {
        return new TlsConfig(certificates, applicationProtocols, clientAuth, clientTrust, handshakeTimeout, maxHandshakes, d, plaintextReply, handshakeThreads);
    }

    /** @return a copy computing handshakes on this many threads of the server's own (0: on each connection's thread) */
    public TlsConfig withHandshakeThreads(int threads) {
        return new TlsConfig(certificates, applicationProtocols, clientAuth, clientTrust, handshakeTimeout, maxHandshakes, reloadCheck, plaintextReply, threads);
    }

    /** @return a copy answering plaintext clients with these bytes (ISO-8859-1) before closing */
    public TlsConfig withPlaintextReply(String reply) {
        return new TlsConfig(certificates, applicationProtocols, clientAuth, clientTrust, handshakeTimeout, maxHandshakes, reloadCheck, reply, handshakeThreads);
    }
}
