/**
 * TLS set-up beneath the transport: key material and trust loaded from {@link dev.porter.core.KeySource} and
 * {@link dev.porter.core.TrustSource}, validated into one-line {@link dev.porter.core.TlsSetupException}s, and
 * turned into configured {@link javax.net.ssl.SSLEngine}s by {@link dev.porter.core.internal.tls.ServerTlsContext}
 * (policy, SNI, ALPN, client certificates, reload) and {@link dev.porter.core.internal.tls.ClientTlsContext}
 * (trust, host-name verification, SNI, ALPN). JDK only ({@code javax.net.ssl}, {@code java.security}); the engines
 * are driven by the transport in {@code dev.porter.core.internal}, never here.
 *
 * <p>Not exported by {@code module-info}: the public classes are public for the transport and for tests only.
 */
package dev.porter.core.internal.tls;
