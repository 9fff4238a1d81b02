package dev.porter.http.internal.client;

import dev.porter.http.ClientResponse;
import dev.porter.http.Headers;
import dev.porter.http.Status;
import dev.porter.http.internal.http1.FieldBytes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * The {@link ClientResponse} the client hands out: the parsed head and the body stream. For a head kept as bytes
 * (the proxy's exchanges) the full field list is made only when {@link #headers()} is asked for.
 */
public final class ClientResponseImpl implements ClientResponse {

    /** Largest body {@link #bodyBytes()} collects: the most a Java array holds. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Status status;
    private final String version;
    /** Every field; or, when {@link #fields} is set, only the framing ones until {@link #headers()} fills them. */
    private Headers headers;
    private FieldBytes fields;
    private final URI uri;
    private final ClientBody raw;
    private final InputStream body;
    private final long contentLength;

    ClientResponseImpl(Status status, String version, Headers headers, URI uri, ClientBody raw, InputStream body,
                       long contentLength) {
        this(status, version, headers, null, uri, raw, body, contentLength);
    }

    /** @param fields the head's field lines as bytes, with {@code headers} holding only the framing ones; or null */
    ClientResponseImpl(Status status, String version, Headers headers, FieldBytes fields, URI uri, ClientBody raw,
                       InputStream body, long contentLength) {
        this.fields = fields;
        this.status = status;
        this.version = version;
        this.headers = headers;
        this.uri = uri;
        this.raw = raw;
        this.body = body;
        this.contentLength = contentLength;
    }

    @Override public Status status() { return status; }
    @Override public String version() { return version; }
    @Override public Headers headers() {
        if (fields != null) {
            Headers all = new Headers();
            fields.addTo(all);
            headers = all;
            fields = null;
        }
        return headers;
    }

    /**
     * @return the field lines as bytes, for relaying them without strings, or null (the head was not kept as bytes,
     *         or {@link #headers()} was asked for already)
     */
    public FieldBytes fieldBytes() {
        return fields;
    }

    /**
     * @return with {@link #fieldBytes()}: the fields also held as strings (Connection, Content-Length,
     *         Transfer-Encoding, Via); without: every field
     */
    public Headers framingHeaders() {
        return headers;
    }
    @Override public URI uri() { return uri; }
    @Override public long contentLength() { return contentLength; }
    @Override public InputStream body() { return body; }
    @Override public Headers trailers() { return raw.trailers(); }

    @Override
    public byte[] bodyBytes() throws IOException {
        try {
            if (contentLength > MAX_ARRAY) throw new IOException("body of " + contentLength + " bytes is too large for an array; read it as a stream");
            ByteArrayOutputStream out = new ByteArrayOutputStream(contentLength > 0 ? (int) Math.min(contentLength, 1 << 20) : 512);
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) {
                if (out.size() > MAX_ARRAY - n) throw new IOException("body is too large for an array; read it as a stream");
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            close();
        }
    }

    @Override
    public String bodyString() throws IOException {
        return new String(bodyBytes(), charset());
    }

    /** @return the charset parameter of Content-Type (RFC 9110 §8.3.2), else UTF-8 */
    private Charset charset() {
        String type = headers().first("Content-Type");
        if (type == null) return StandardCharsets.UTF_8;
        int i = type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (i < 0) return StandardCharsets.UTF_8;
        int s = i + 8;
        int e = s;
        while (e < type.length() && type.charAt(e) != ';' && type.charAt(e) != ' ') e++;
        String name = type.substring(s, e);
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) name = name.substring(1, name.length() - 1);
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e1) {
            return StandardCharsets.UTF_8; // an unknown label: UTF-8 is the best guess for text on the web
        }
    }

    @Override
    public void close() {
        if (body != raw) {
            try {
                body.close();
            } catch (IOException e) {
                // GzipBody.close only closes the raw body, which never throws; nothing else to release.
            }
        }
        raw.close();
    }

    @Override
    public String toString() {
        return version + " " + status + " (" + uri + ")";
    }
}
