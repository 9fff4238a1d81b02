package dev.porter.http.internal.client;

import dev.porter.core.Connection;
import dev.porter.core.WriteBuffer;
import dev.porter.http.ClientRequest;
import dev.porter.http.internal.ClientPresence;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;

/**
 * An HTTP/1.1 request whose fields the caller hands over one by one and which is encoded straight to bytes: the
 * reverse proxy's request to a backend, built from a received head. It skips what a {@link ClientRequest} costs per
 * request (a {@link URI} parsed from text, a list of field lines as strings, then the bytes), and writes the same
 * head {@link RequestWriter#head} would for the same request: request line, {@code Host} first unless a field sets
 * it (RFC 9110 §7.2), the fields in order, then the framing of the body (RFC 9112 §6). Fields are validated as
 * {@link ClientRequest.Builder#header} validates them. Not thread-safe: built and sent by one thread.
 */
public final class PreparedRequest {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] VERSION = " HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    final Route route;
    final String method;
    final String target;
    final ClientRequest.Body body;
    final URI uri;
    private String[] fields = new String[32];
    private int n;
    private boolean hasHost;
    /** Asked during a long wait for the answer whether anyone still wants it, or null (see {@link #forClient}). */
    ClientPresence client;
    /** The first {@code Connection} field's value, or null (a {@code close} in it keeps the connection out of the pool). */
    String connection;

    /**
     * @param route  where it goes (its authority is the default {@code Host})
     * @param uri    the backend as a URI, for the response's {@link dev.porter.http.ClientResponse#uri()} and messages
     * @param target the origin-form target as received; validated as {@link URI} would, see {@link #target}
     * @throws IllegalArgumentException if the target cannot be sent
     */
    public PreparedRequest(Route route, URI uri, String method, String target, ClientRequest.Body body) {
        this.route = route;
        this.uri = uri;
        this.method = method;
        this.target = target(uri, target);
        this.body = body;
    }

    /**
     * @return {@code target} as received if it is an origin-form target of visible ASCII, what Porter's server accepts
     *         (docs/http.md: {@code |}, {@code {}}, a malformed {@code %} escape included, as browsers send them):
     *         the backend gets the client's bytes, as from nginx, and judges its own resources; otherwise (a handler
     *         in front rewrote it) what {@link RequestWriter#target} makes of it
     * @throws IllegalArgumentException as {@link URI#create} and {@link RequestWriter#target} do
     */
    public static String target(URI base, String target) {
        if (visible(target)) return target;
        if (target.equals("*")) return target; // RFC 9112 §3.2.4: asterisk-form (OPTIONS for the server as a whole)
        return RequestWriter.target(URI.create(base.getScheme() + "://" + base.getRawAuthority() + target));
    }

    /** RFC 9112 §3.2.1: origin-form; every character visible ASCII (no space or control can break the line), no '#'. */
    private static boolean visible(String t) {
        int len = t.length();
        if (len == 0 || t.charAt(0) != '/') return false;
        for (int i = 0; i < len; i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '#') return false;
        }
        return true;
    }

    /**
     * Adds a field, in order.
     *
     * @throws IllegalArgumentException as {@link ClientRequest.Builder#header} does
     */
    public PreparedRequest field(String name, String value) {
        ClientFields.check(name, value);
        if (n == fields.length) fields = Arrays.copyOf(fields, n * 2);
        fields[n++] = name;
        fields[n++] = value;
        if (name.length() == 4 && name.equalsIgnoreCase("Host")) hasHost = true;
        if (name.length() == 10 && name.equalsIgnoreCase("Connection") && connection == null) connection = value;
        return this;
    }

    /**
     * Gives the answer up if {@code client} leaves while the backend is silent (nginx's
     * {@code proxy_ignore_client_abort off}): a wait for the response's head that lasts makes the core ask whether
     * the client is still there; once it is gone the connection is closed under the wait, never pooled, and the send
     * ends with {@link ClientPresence.Gone}.
     *
     * @param client the request this one forwards, or null to wait regardless
     */
    public PreparedRequest forClient(ClientPresence client) {
        this.client = client;
        return this;
    }

    /**
     * Writes the head, with the framing for {@link #body} (as {@link RequestWriter#head} frames it), into the
     * connection's output buffer when it fits there (the usual case: no array per request, no copy of it), else
     * through an array of its own.
     */
    void writeHead(Connection c) throws IOException {
        int size = size();
        WriteBuffer out = c.output();
        if (out.free() >= size) {
            int start = out.length();
            out.advance(encode(out.array(), start) - start);
        } else {
            byte[] b = new byte[size];
            c.write(b, 0, encode(b, 0));
        }
    }

    /** @return the head's bytes, exactly (the bytes {@link #writeHead} writes) */
    byte[] encode() {
        byte[] b = new byte[size()];
        return Arrays.copyOf(b, encode(b, 0));
    }

    /** @return an upper bound of the encoded head's length */
    private int size() {
        int size = method.length() + target.length() + VERSION.length + 2;
        if (!hasHost) size += route.authority().length() + 8;
        for (int i = 0; i < n; i += 2) size += fields[i].length() + fields[i + 1].length() + 4;
        return size + 40; // the framing line
    }

    /** @return the end of the head encoded into {@code b} from {@code p} */
    private int encode(byte[] b, int p) {
        p = put(b, p, method);
        b[p++] = ' ';
        p = put(b, p, target);
        System.arraycopy(VERSION, 0, b, p, VERSION.length);
        p += VERSION.length;
        if (!hasHost) p = line(b, p, "Host", route.authority());
        for (int i = 0; i < n; i += 2) p = line(b, p, fields[i], fields[i + 1]);
        long length = body.length();
        if (length < 0) {
            p = line(b, p, "Transfer-Encoding", "chunked");
        } else if (length > 0 || RequestWriter.sendsZeroLength(method)) {
            p = line(b, p, "Content-Length", Long.toString(length));
        }
        b[p++] = '\r';
        b[p++] = '\n';
        return p;
    }

    private static int line(byte[] b, int p, String name, String value) {
        p = put(b, p, name);
        b[p++] = ':';
        b[p++] = ' ';
        p = put(b, p, value);
        b[p++] = CRLF[0];
        b[p++] = CRLF[1];
        return p;
    }

    /** Latin-1 (the fields were checked to be octets). */
    @SuppressWarnings("deprecation")
    private static int put(byte[] b, int p, String s) {
        int len = s.length();
        s.getBytes(0, len, b, p);
        return p + len;
    }
}
