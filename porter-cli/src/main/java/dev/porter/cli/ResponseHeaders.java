package dev.porter.cli;

import dev.porter.http.Filter;
import dev.porter.http.Handler;
import dev.porter.http.HttpException;
import dev.porter.http.Request;
import dev.porter.http.Response;
import dev.porter.http.Status;

import java.util.List;

/**
 * Adds {@code -H 'Name: value'} headers and CORS (Fetch standard, "CORS protocol") to every response of
 * {@code porter serve}, error answers included: an {@link dev.porter.http.HttpException} from the handler is
 * answered here, where the headers survive (the server's own error answer starts from no headers), so a
 * cross-origin script can read a 404 too.
 *
 * <p>CORS: {@code origin} is {@code *} (any site may read, without credentials) or one origin, echoed back with
 * {@code Vary: Origin} (the answer then depends on the request's Origin, and a cache must know it) and
 * {@code Access-Control-Allow-Credentials: true} (so a page there can send Basic credentials). A preflight
 * ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is answered 204 here, before
 * authentication (a preflight never carries credentials), with the methods served and the request headers asked
 * for; a preflight from another origin, or for another method, gets 204 without CORS headers, which the browser
 * reads as a refusal. Thread-safe.
 */
final class ResponseHeaders implements Filter {

    /** Response headers a script may read beyond the CORS-safelisted ones. */
    static final String EXPOSED = "ETag, Content-Range, Accept-Ranges, Content-Disposition, Location";

    private final List<String[]> headers;
    private final String origin;
    private final String methods;
    private final java.util.Set<String> methodSet;

    /**
     * @param headers name and value pairs, already checked
     * @param origin  {@code *}, an origin, or null for no CORS
     * @param writes  PUT and POST are served (uploads)
     */
    ResponseHeaders(List<String[]> headers, String origin, boolean writes) {
        this.headers = List.copyOf(headers);
        this.origin = origin;
        this.methods = writes ? "GET, HEAD, PUT, POST" : "GET, HEAD";
        this.methodSet = writes ? java.util.Set.of("GET", "HEAD", "PUT", "POST") : java.util.Set.of("GET", "HEAD");
    }

    @Override
    public void filter(Request request, Response response, Handler next) throws Exception {
        for (String[] h : headers) response.header(h[0], h[1]);
        String requestOrigin = request.header("Origin");
        boolean allowed = origin != null && requestOrigin != null && (origin.equals("*") || origin.equals(requestOrigin));
        if (origin != null && !origin.equals("*")) response.header("Vary", "Origin");
        if (request.method().equals("OPTIONS") && requestOrigin != null
                && request.header("Access-Control-Request-Method") != null && origin != null) {
            String method = request.header("Access-Control-Request-Method");
            if (allowed && methodSet.contains(method)) {
                allow(response);
                response.setHeader("Access-Control-Allow-Methods", methods);
                String asked = request.header("Access-Control-Request-Headers");
                if (asked != null) response.setHeader("Access-Control-Allow-Headers", asked);
                response.setHeader("Access-Control-Max-Age", "600");
            }
            response.status(Status.NO_CONTENT);
            response.send(new byte[0]);
            return;
        }
        if (allowed) {
            allow(response);
            response.setHeader("Access-Control-Expose-Headers", EXPOSED);
        }
        try {
            next.handle(request, response);
        } catch (HttpException e) {
            if (response.committed()) throw e;
            response.status(e.status());
            response.setHeader("Content-Type", "text/plain; charset=utf-8");
            response.send(e.getMessage() == null ? e.status().reason() + "\n" : e.getMessage() + "\n");
        }
    }

    private void allow(Response response) {
        if (origin.equals("*")) {
            response.setHeader("Access-Control-Allow-Origin", "*");
        } else {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
    }

    /**
     * @return {@code Name: value} split into name and value
     * @throws IllegalArgumentException if it is not a valid header field (RFC 9110 §5.1, §5.5)
     */
    static String[] parse(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("expected 'Name: value': " + line);
        String name = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) throw new IllegalArgumentException("not a header name: '" + name + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("a control character in the value of " + name);
            }
        }
        return new String[] {name, value};
    }
}
