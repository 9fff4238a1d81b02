package dev.porter.http.internal.websocket;

import dev.porter.core.Connection;
import dev.porter.http.Headers;
import dev.porter.http.PathParams;
import dev.porter.http.internal.Targets;

import java.util.List;
import java.util.Map;

/**
 * A client conversation's {@link dev.porter.http.WebSocket#request()}: the opening handshake as the client sent
 * it, read from the very lines written. Seen from this end, the remote address is the server's. Immutable, so
 * valid for the whole conversation and from any thread.
 */
final class ClientHandshakeRequest extends HandshakeRequest {

    private final String target;
    private final Headers headers = new Headers();
    private final String version;

    /** @param lines the request line and field lines, as written */
    ClientHandshakeRequest(List<String> lines, Connection c) {
        this(lines, c, "HTTP/1.1");
    }

    /** @param version {@code HTTP/1.1}, or {@code HTTP/2} for an extended CONNECT (RFC 8441) */
    ClientHandshakeRequest(List<String> lines, Connection c, String version) {
        super(c.remoteAddress(), c.localAddress(), c.tls());
        this.version = version;
        String first = lines.get(0);
        this.target = first.substring(first.indexOf(' ') + 1, first.lastIndexOf(' '));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            headers.add(line.substring(0, colon), line.substring(colon + 1).trim());
        }
    }

    @Override public String method() { return "GET"; }
    @Override public String target() { return target; }
    @Override public String path() { return Targets.decodePath(rawPath()); }

    @Override
    public String rawPath() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    @Override
    public String rawQuery() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    @Override public String query(String name) { return Targets.first(queryParams(), name); }
    @Override public Map<String, List<String>> queryParams() { return Targets.parseQuery(rawQuery()); }
    @Override public String version() { return version; }

    /** @return a copy: the handshake was sent, and nothing changes it */
    @Override
    public Headers headers() {
        Headers copy = new Headers();
        headers.forEach(copy::add);
        return copy;
    }

    @Override public PathParams pathParams() { return PathParams.NONE; }

    @Override
    public String toString() {
        return "GET " + target + " (WebSocket handshake sent to " + remoteAddress() + ")";
    }
}
