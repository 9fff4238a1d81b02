package dev.porter.http.internal.h2;

import dev.porter.core.TlsInfo;
import dev.porter.http.Request;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * For tests of other packages (the proxy's fuzz test): the {@link Request} a handler is given for an HTTP/2 field
 * block, as the server makes it — the block checked by {@link RequestFields} as {@link StreamTable#fieldBlock}
 * checks a new stream's, then passed to the handler as {@link StreamExchange#run} passes it — without a connection.
 */
public final class AcceptedRequests {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 50000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 443);

    private AcceptedRequests() {
    }

    /**
     * @param fields          the decoded field block: name, value, name, value… in order
     * @param extendedConnect the server announced SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3)
     * @param body            what the request's DATA holds (empty for a block with END_STREAM)
     * @return the request a handler sees, from 192.0.2.7 over TLS; null if the server refuses the block (a stream
     *         error) or answers it itself (CONNECT, 501) or it opens a tunnel (an extended CONNECT: the WebSocket
     *         path, not a request forwarded as it came)
     */
    public static Request of(List<String> fields, boolean extendedConnect, InputStream body) {
        RequestFields f = new RequestFields();
        for (int i = 0; i + 1 < fields.size(); i += 2) f.header(fields.get(i), fields.get(i + 1));
        try {
            f.validate(1, extendedConnect);
        } catch (Http2Exception e) {
            return null;
        }
        if (f.protocol != null || "CONNECT".equals(f.method)) return null;
        Request h2 = new Http2Request(null, null, f.method, f.path, f.headers, f.contentLength(), f.expectContinue());
        return new Request.Wrapper(h2) {
            @Override public InetSocketAddress remoteAddress() { return CLIENT; }
            @Override public InetSocketAddress localAddress() { return LOCAL; }
            @Override public String scheme() { return "https"; }
            @Override public Optional<TlsInfo> tls() { return Optional.empty(); }
            @Override public InputStream body() { return body; }
        };
    }
}
