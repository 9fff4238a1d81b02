package dev.porter.cli;

import dev.porter.core.IpText;
import dev.porter.core.TlsInfo;
import dev.porter.http.ExchangeListener;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Prints heads as {@code porter get} shows them: with {@code -v}, the connection, its TLS handshake (version,
 * cipher, ALPN, the server's certificate), the request head ({@code > }) and every response head ({@code < }) on
 * stderr, like curl; with {@code -I}, every final response head on stdout.
 */
final class HeadPrinter implements ExchangeListener {

    /** As OpenSSL prints certificate dates (and curl after it): {@code May  1 10:00:00 2026 GMT}. */
    private static final DateTimeFormatter CERT_DATE =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final PrintStream verbose;
    private final PrintStream heads;
    private final boolean verified;

    /** @param verbose where -v output goes, or null; @param heads where -I output goes, or null */
    HeadPrinter(PrintStream verbose, PrintStream heads) {
        this(verbose, heads, true);
    }

    /** @param verified false when the server's certificate is not checked ({@code -k}) */
    HeadPrinter(PrintStream verbose, PrintStream heads, boolean verified) {
        this.verbose = verbose;
        this.heads = heads;
        this.verified = verified;
    }

    @Override
    public void connected(URI uri, InetSocketAddress remote) {
        if (verbose != null) {
            verbose.println("* Connected to " + UrlArgument.host(uri) + " (" + IpText.of(remote.getAddress()) + ") port "
                    + remote.getPort());
        }
    }

    @Override
    public void secured(URI uri, TlsInfo tls) {
        if (verbose == null) return;
        verbose.println("* SSL connection using " + tls.protocol() + " / " + tls.cipherSuite());
        verbose.println(tls.applicationProtocol().isEmpty() ? "* ALPN: server did not agree on a protocol. Uses default."
                : "* ALPN: server accepted " + tls.applicationProtocol());
        if (!tls.peerCertificates().isEmpty()) {
            X509Certificate leaf = tls.peerCertificates().getFirst();
            verbose.println("* Server certificate:");
            verbose.println("*  subject: " + leaf.getSubjectX500Principal().getName());
            verbose.println("*  start date: " + date(leaf.getNotBefore()));
            verbose.println("*  expire date: " + date(leaf.getNotAfter()));
            verbose.println("*  issuer: " + leaf.getIssuerX500Principal().getName());
            verbose.println("*  SHA-256 fingerprint: " + DevCertificate.fingerprint(leaf));
        }
        verbose.println(verified ? "*  SSL certificate verify ok."
                : "*  SSL certificate verify result: not checked (-k/--insecure), the connection is not authenticated");
        verbose.flush();
    }

    private static String date(Date d) {
        return CERT_DATE.format(d.toInstant());
    }

    @Override
    public void requestHead(List<String> lines) {
        if (verbose == null) return;
        for (String line : lines) verbose.println("> " + line);
        verbose.println(">");
        verbose.flush();
    }

    @Override
    public void responseHead(List<String> lines) {
        if (verbose != null) {
            for (String line : lines) verbose.println("< " + line);
            verbose.println("<");
            verbose.flush();
        }
        if (heads != null && !isInterim(lines.get(0))) {
            StringBuilder sb = new StringBuilder();
            for (String line : lines) sb.append(line).append("\r\n");
            heads.print(sb.append("\r\n"));
            heads.flush();
        }
    }

    /** @return true for a 1xx status line ({@code HTTP/1.1 1xx ...} or {@code HTTP/2 1xx}) */
    private static boolean isInterim(String statusLine) {
        int space = statusLine.indexOf(' ');
        return space > 0 && statusLine.length() > space + 1 && statusLine.charAt(space + 1) == '1';
    }
}
