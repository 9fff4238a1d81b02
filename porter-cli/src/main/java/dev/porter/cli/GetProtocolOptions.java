package dev.porter.cli;

import dev.porter.core.ClientTls;
import dev.porter.core.TrustSource;
import dev.porter.http.ClientConfig;
import dev.porter.http.HttpVersion;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options of {@code porter get} that choose how to talk to the server (a picocli mixin): the HTTP version,
 * and how the server's certificate is checked over https.
 */
final class GetProtocolOptions {

    @Option(names = {"-k", "--insecure"}, description = "https: accept any certificate for any name (encrypted, but not authenticated).")
    boolean insecure;

    @Option(names = "--cacert", paramLabel = "FILE", description = "https: trust the authorities of this PEM file instead of the JDK's.")
    Path caCert;

    @Option(names = {"--http2", "--http2-prior-knowledge"}, description = "Speak HTTP/2: over https as by default (ALPN offers h2), "
            + "and over http with prior knowledge (h2c: no HTTP/1.1 first), like curl's --http2-prior-knowledge; "
            + "a ws:// or wss:// conversation then goes over HTTP/2 (RFC 8441) if the server offers it.")
    boolean http2;

    @Option(names = "--http1.1", description = "Speak HTTP/1.1 only (https: ALPN offers only http/1.1).")
    boolean http11;

    /**
     * Sets the HTTP version and, when asked, the trust of {@code config}.
     *
     * @throws GetFailure (a usage error) for {@code --http2} with {@code --http1.1}
     */
    void configure(ClientConfig.Builder config) throws GetFailure {
        if (http2 && http11) throw new GetFailure(ExitCode.USAGE, "--http2 and --http1.1 exclude each other");
        config.httpVersion(http2 ? HttpVersion.HTTP_2_PRIOR_KNOWLEDGE : http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_2);
        if (insecure || caCert != null) {
            TrustSource trust = insecure ? new TrustSource.TrustAll() : new TrustSource.CaFile(caCert);
            ClientTls tls = ClientConfig.builder().build().tls(); // the defaults: ALPN follows the HTTP version
            config.tls(tls.withTrust(trust));
        }
    }

    /** @return true unless {@code -k} turned the certificate check off (verbose output says so) */
    boolean verified() {
        return !insecure;
    }
}
