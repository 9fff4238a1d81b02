package dev.porter.http;

import java.io.IOException;

/**
 * A {@link Handler} for a plaintext listener beside an HTTPS server: every request gets {@code 308 Permanent
 * Redirect} to the same path and query on {@code https}, so bookmarks and typed addresses land on TLS.
 *
 * <pre>{@code
 * HttpServer https = HttpServer.start(HttpConfig.builder().port(443).tls(tls).build(), router);
 * HttpServer http = HttpServer.start(HttpConfig.builder().port(80).build(), new HttpsRedirect(443));
 * }</pre>
 *
 * <p>308 rather than 301: a POST stays a POST (RFC 9110 §15.4.9). The host is taken from the request's
 * {@code Host} (its port replaced by the HTTPS port, omitted when 443); without one, the listener's own address.
 * Thread-safe and stateless.
 */
public final class HttpsRedirect implements Handler {

    private final int httpsPort;

    /** @param httpsPort the port HTTPS is served on (443 for the URL to carry none) */
    public HttpsRedirect(int httpsPort) {
        if (httpsPort < 1 || httpsPort > 65535) throw new IllegalArgumentException("port must be 1..65535: " + httpsPort);
        this.httpsPort = httpsPort;
    }

    @Override
    public void handle(Request req, Response res) throws IOException {
        String host = hostOnly(req.header("Host"));
        if (host == null || host.isEmpty()) {
            var local = req.localAddress();
            host = local.getAddress() instanceof java.net.Inet6Address ? "[" + local.getHostString() + "]" : local.getHostString();
        }
        String path = req.rawPath().isEmpty() ? "/" : req.rawPath();
        String query = req.rawQuery() == null ? "" : "?" + req.rawQuery();
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + path + query;
        res.status(Status.PERMANENT_REDIRECT).setHeader("Location", location);
        res.send("Moved to " + location + "\n");
    }

    /** @return {@code host} of {@code host[:port]}, an IPv6 literal with its brackets, or null */
    static String hostOnly(String hostHeader) {
        if (hostHeader == null) return null;
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? null : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }
}
