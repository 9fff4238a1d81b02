package dev.porter.http.internal.websocket;

import dev.porter.http.Headers;
import dev.porter.http.PathParams;
import dev.porter.http.Request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of the upgrade request taken before the handler returned, for the whole WebSocket conversation (the
 * HTTP request object is valid only during its handler). Immutable, so it may be read from any thread. Its body is
 * empty: a handshake has none.
 */
final class UpgradeRequest extends HandshakeRequest {

    private final String method;
    private final String target;
    private final String path;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final String version;
    private final Headers headers = new Headers();
    private final PathParams pathParams;

    UpgradeRequest(Request r) {
        super(r.remoteAddress(), r.localAddress(), r.tls());
        method = r.method();
        target = r.target();
        path = r.path();
        rawPath = r.rawPath();
        rawQuery = r.rawQuery();
        Map<String, List<String>> q = new LinkedHashMap<>();
        r.queryParams().forEach((k, v) -> q.put(k, List.copyOf(v)));
        query = java.util.Collections.unmodifiableMap(q);
        version = r.version();
        r.headers().forEach(headers::add);
        pathParams = r.pathParams();
    }

    @Override public String method() { return method; }
    @Override public String target() { return target; }
    @Override public String path() { return path; }
    @Override public String rawPath() { return rawPath; }
    @Override public String rawQuery() { return rawQuery; }

    @Override
    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override public Map<String, List<String>> queryParams() { return query; }
    @Override public String version() { return version; }
    /** @return a copy of the request's fields; changing it changes nothing else */
    @Override public Headers headers() { return headers; }
    @Override public PathParams pathParams() { return pathParams; }
}
