package dev.porter.cli;

import dev.porter.http.ClientRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The URL argument of {@code porter get}: what the user typed, as a URI, or one line saying what is wrong with it
 * ({@link ExitCode#BAD_URL}, curl's 3, which curl also gives for a port out of range).
 */
final class UrlArgument {

    private static final int MAX_PORT = 65535;

    private UrlArgument() {
    }

    /**
     * @return the URL as a URI; {@code http://} is assumed when no scheme is given, like curl
     * @throws GetFailure ({@link ExitCode#BAD_URL}) naming the problem: no host, an invalid port or host name, a
     *                    syntax error
     */
    static URI parse(String s) throws GetFailure {
        if (!s.contains("://")) {
            // "http:/x" or "https:host" would otherwise become host "http" or "https", and fail to resolve.
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http:") || lower.startsWith("https:")) {
                throw malformed(s, "expected http:// or https:// before the host");
            }
        }
        String u = s.contains("://") ? s : "http://" + s;
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw malformed(s, e.getReason());
        }
        if (uri.getHost() == null && !clientTakesHost(uri)) throw malformed(s, whyNoHost(uri.getRawAuthority()));
        if (uri.getPort() > MAX_PORT) throw malformed(s, invalidPort(Integer.toString(uri.getPort())));
        return uri;
    }

    /**
     * java.net.URI gives no host when the authority is not {@code host[:port]} with a valid host name and a port
     * that fits an int; it does not say which part is wrong, so this finds out.
     */
    private static String whyNoHost(String authority) {
        if (authority == null) return "no host";
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1); // after any user information
        String host = hostPort;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close > 0 && close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
                host = hostPort.substring(0, close + 1);
                port = hostPort.substring(close + 2);
            }
        } else if (hostPort.lastIndexOf(':') >= 0) {
            host = hostPort.substring(0, hostPort.lastIndexOf(':'));
            port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        }
        if (host.isEmpty()) return "no host";
        if (port != null && !port.isEmpty() && !isPort(port)) return invalidPort(port);
        return "invalid host name '" + host + "'";
    }

    /**
     * @return the URI's host as the user wrote it, a name java.net.URI leaves unparsed ({@code my_service}) included:
     *         for the {@code -v} line, as curl prints it (the client's own reading lower-cases it to connect)
     */
    static String host(URI uri) {
        if (uri.getHost() != null || uri.getRawAuthority() == null) return uri.getHost();
        String a = uri.getRawAuthority();
        return a.lastIndexOf(':') < 0 ? a : a.substring(0, a.lastIndexOf(':'));
    }

    /**
     * @return true if Porter's client finds a host in {@code uri}, whose host java.net.URI left unparsed: a name RFC
     *         3986 §3.2.2 allows ({@code my_service}, a Docker Compose service) with an optional port, which the
     *         client connects to as curl does. Asked of the client's own check ({@link ClientRequest.Builder#uri},
     *         whose documented contract it is) rather than written again here: porter get then accepts exactly the
     *         hosts the client reaches, by one rule kept in porter-http (its {@code UriHosts}).
     */
    private static boolean clientTakesHost(URI uri) {
        try {
            ClientRequest.builder("GET", uri);
            return true;
        } catch (IllegalArgumentException e) {
            return false; // no host by the client's rule (user information is refused too: not a bare name either)
        }
    }

    private static boolean isPort(String s) {
        if (s.length() > 5) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return Integer.parseInt(s) <= MAX_PORT;
    }

    private static String invalidPort(String port) {
        return "invalid port '" + port + "' (a port is a number from 0 to " + MAX_PORT + ")";
    }

    private static GetFailure malformed(String url, String why) {
        return new GetFailure(ExitCode.BAD_URL, "malformed URL '" + url + "': " + why);
    }
}
