package dev.porter.http.internal.client;

import dev.porter.http.ClientRequest;
import dev.porter.http.ClientResponse;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.Ascii;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The request that follows a redirect (RFC 9110 §15.4): 301, 302 and 303 continue with GET and no body (HEAD
 * stays HEAD); 307 and 308 repeat the method and body, which needs a body that can be sent twice. Credentials
 * ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}) and a hand-set {@code Host} go only to the
 * same origin (scheme, host and port), never to another.
 */
public final class Redirects {

    private Redirects() {
    }

    /**
     * @return the next request, or null when the response is not a redirect to follow (not 301/302/303/307/308, no
     *         Location, or a 307/308 whose body cannot be sent again)
     * @throws HttpClientException.MalformedResponse if the Location is not a valid URI reference
     * @throws HttpClientException.UnsupportedScheme if it leads to a scheme without a transport (https)
     */
    static ClientRequest next(ClientRequest req, ClientResponse res) throws HttpClientException {
        int code = res.statusCode();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return null;
        String location = res.header("Location");
        if (location == null || location.isEmpty()) return null;
        URI target = resolve(req.uri(), location);
        ClientRequest.Builder next = req.toBuilder().uri(target);
        if (code == 307 || code == 308) {
            // RFC 9110 §15.4.8-9: the method and content must not change.
            if (!req.body().replayable()) return null;
        } else if (!"HEAD".equals(req.method())) {
            // RFC 9110 §15.4.2-4: user agents change POST (and, as browsers do, every method) to GET for these.
            next.method("GET").body(ClientRequest.Body.empty());
            for (String h : new String[] {"Content-Type", "Content-Encoding", "Content-Language", "Expect"}) next.removeHeader(h);
        }
        if (!Route.of(req.uri()).sameOrigin(Route.of(target))) {
            // Credentials are for the origin they were given to (RFC 9110 §11.6.2 and §15.4: a redirect may lead to
            // an untrusted host); a Host set by hand names the old origin.
            for (String h : new String[] {"Authorization", "Proxy-Authorization", "Cookie", "Host"}) next.removeHeader(h);
        }
        return next.build();
    }

    /** Resolves a Location reference against the request URI (RFC 9110 §10.2.2, RFC 3986 §5). */
    static URI resolve(URI base, String location) throws HttpClientException.MalformedResponse {
        URI ref;
        try {
            ref = new URI(browserForm(location));
        } catch (URISyntaxException e) {
            throw new HttpClientException.MalformedResponse("invalid Location header '" + location + "': " + e.getReason());
        }
        if (base.getRawPath() == null || base.getRawPath().isEmpty()) base = base.resolve("/");
        URI target = withoutDotSegments(base.resolve(ref));
        if (UriHosts.host(target) == null) {
            throw new HttpClientException.MalformedResponse("Location header '" + location + "' has no host");
        }
        if (target.getRawUserInfo() != null) {
            throw new HttpClientException.MalformedResponse("Location header '" + location + "' carries user information");
        }
        // A Location without a fragment inherits the request's (RFC 9110 §10.2.2).
        if (ref.getRawFragment() == null && base.getRawFragment() != null) {
            target = URI.create(target + "#" + base.getRawFragment());
        }
        return target;
    }

    /**
     * The Location as a browser's URL parser takes it (WHATWG URL): a field value arrives as Latin-1 characters, so
     * bytes that are valid UTF-8 (a raw {@code /ä}) are read as UTF-8 first, and characters a URI may not hold
     * (spaces, controls, {@code "<>\^`{|}}, a {@code %} not followed by two hex digits) are percent-encoded, where
     * {@link URI} would refuse them. Other non-ASCII characters are left to {@link URI}, which sends them as UTF-8.
     */
    static String browserForm(String location) {
        String s = location;
        boolean high = false;
        for (int i = 0; i < s.length(); i++) high |= s.charAt(i) >= 0x80;
        if (high) {
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(location.getBytes(StandardCharsets.ISO_8859_1))).toString();
            } catch (CharacterCodingException e) {
                s = location; // Latin-1 text after all
            }
        }
        // '[' and ']' are legal in a host (IPv6) and a query, not in a path (RFC 3986 §3.3), where URI refuses them.
        int pathStart = pathStart(s);
        int pathEnd = pathStart;
        while (pathEnd < s.length() && s.charAt(pathEnd) != '?' && s.charAt(pathEnd) != '#') pathEnd++;
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean badPercent = c == '%' && !(i + 2 < s.length() && hex(s.charAt(i + 1)) && hex(s.charAt(i + 2)));
            boolean encode = badPercent || c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)
                    || (c < 0x80 && "\"<>\\^`{|}".indexOf(c) >= 0)
                    || ((c == '[' || c == ']') && i >= pathStart && i < pathEnd);
            if (encode && out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (encode) {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** @return where the path of the reference {@code s} starts: after its scheme and authority, if any */
    private static int pathStart(String s) {
        int i = 0;
        int colon = s.indexOf(':');
        if (colon > 0 && Character.isLetter(s.charAt(0))) {
            boolean scheme = true;
            for (int k = 1; k < colon && scheme; k++) {
                char c = s.charAt(k);
                scheme = Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.';
            }
            if (scheme) i = colon + 1;
        }
        if (!s.startsWith("//", i)) return i;
        i += 2;
        while (i < s.length() && "/?#".indexOf(s.charAt(i)) < 0) i++;
        return i;
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static boolean hex(char c) {
        return c < 0x80 && Ascii.hexValue((byte) c) >= 0; // below 0x80 first: the cast would fold İ (0x130) to '0'
    }

    /**
     * RFC 3986 §5.2.2 removes dot segments from every resolved path, an absolute one included; {@link URI#resolve}
     * keeps a ".." that climbs above the root ("../x" from "/a" gives "/../x", which servers refuse) and leaves an
     * absolute path as it came.
     */
    private static URI withoutDotSegments(URI target) {
        String path = target.getRawPath();
        if (path == null || path.indexOf('.') < 0 || target.getRawAuthority() == null) return target;
        String clean = removeDotSegments(path);
        if (clean.equals(path)) return target;
        return URI.create(target.getScheme() + "://" + target.getRawAuthority() + clean
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
                + (target.getRawFragment() == null ? "" : "#" + target.getRawFragment()));
    }

    /** RFC 3986 §5.2.4, steps A to E; {@code i} is where the rest of the input buffer starts. */
    static String removeDotSegments(String path) {
        StringBuilder out = new StringBuilder(path.length());
        int n = path.length();
        int i = 0;
        while (i < n) {
            if (path.startsWith("../", i)) {
                i += 3;                                                   // A
            } else if (path.startsWith("./", i)) {
                i += 2;                                                   // A
            } else if (path.startsWith("/./", i)) {
                i += 2;                                                   // B: "/./" becomes "/"
            } else if (i + 2 == n && path.startsWith("/.", i)) {
                out.append('/');                                          // B: a final "/." becomes "/"
                i = n;
            } else if (path.startsWith("/../", i)) {
                i += 3;                                                   // C: "/../" becomes "/", one segment up
                out.setLength(Math.max(0, out.lastIndexOf("/")));
            } else if (i + 3 == n && path.startsWith("/..", i)) {
                out.setLength(Math.max(0, out.lastIndexOf("/")));         // C: a final "/.."
                out.append('/');
                i = n;
            } else if ((i + 1 == n && path.charAt(i) == '.') || (i + 2 == n && path.startsWith("..", i))) {
                i = n;                                                    // D
            } else {
                int next = path.indexOf('/', i + 1);                      // E: move one segment to the output
                if (next < 0) next = n;
                out.append(path, i, next);
                i = next;
            }
        }
        return out.toString();
    }
}
