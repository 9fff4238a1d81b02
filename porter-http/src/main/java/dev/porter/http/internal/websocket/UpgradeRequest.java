package dev.porter.http.internal.websocket;

import dev.porter.core.TlsInfo;
import dev.porter.http.Headers;
import dev.porter.http.PathParams;
import dev.porter.http.Request;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A copy of the upgrade request taken before the handler returned, for the whole WebSocket conversation (the
 * HTTP request object is valid only during its handler). Immutable, so it may be read from any thread. Its body is
 * empty: a handshake has none.
 */
final class UpgradeRequest implements Request {

    private final String method;
    private final String target;
    private final String path;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final String version;
    private final Headers headers = new Headers();
    private final PathParams pathParams;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Optional<TlsInfo> tls;

    UpgradeRequest(Request r) {
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
        remote = r.remoteAddress();
        local = r.localAddress();
        tls = r.tls();
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
    @Override public InetSocketAddress remoteAddress() { return remote; }
    @Override public InetSocketAddress localAddress() { return local; }
    @Override public Optional<TlsInfo> tls() { return tls; }
    @Override public InputStream body() { return InputStream.nullInputStream(); }
    @Override public byte[] bodyBytes(int maxBytes) { return new byte[0]; }
    @Override public String bodyString() { return ""; }
    @Override public long contentLength() { return 0; }
}
