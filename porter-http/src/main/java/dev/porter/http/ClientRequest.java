package dev.porter.http;


import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.client.ClientFields;
import dev.porter.http.internal.client.UriHosts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One HTTP request for an {@link HttpClient}: method, absolute URI, header fields, body and an optional timeout.
 * Immutable and thread-safe (a {@link Body.Stream} body can be sent only once, though). Build with
 * {@link #builder(String, String)} or the shortcuts {@link #get(String)}, {@link #post(String, Body)}, ...
 *
 * <pre>{@code
 * ClientRequest req = ClientRequest.builder("PUT", "http://127.0.0.1:8080/notes/1")
 *         .header("Content-Type", "text/plain")
 *         .body(ClientRequest.Body.of("hello"))
 *         .build();
 * }</pre>
 *
 * <p>The client adds {@code Host}, {@code User-Agent} (unless set), {@code Accept-Encoding} (with
 * {@link ClientConfig#decompress()}, unless set), and the body's framing: {@code Content-Length} for a known length,
 * {@code Transfer-Encoding: chunked} otherwise. Framing fields therefore cannot be set by hand.
 */
public final class ClientRequest {

    private final String method;
    private final URI uri;
    private final List<String> fields; // name, value, name, value, ...
    private final Body body;
    private final Duration timeout;

    private ClientRequest(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        this.fields = List.copyOf(b.fields);
        this.body = b.body;
        this.timeout = b.timeout;
    }

    /** @return a GET request for {@code uri} */
    public static ClientRequest get(String uri) {
        return builder("GET", uri).build();
    }

    /** @return a HEAD request for {@code uri} */
    public static ClientRequest head(String uri) {
        return builder("HEAD", uri).build();
    }

    /** @return a POST request for {@code uri} with {@code body} */
    public static ClientRequest post(String uri, Body body) {
        return builder("POST", uri).body(body).build();
    }

    /** @return a PUT request for {@code uri} with {@code body} */
    public static ClientRequest put(String uri, Body body) {
        return builder("PUT", uri).body(body).build();
    }

    /** @return a DELETE request for {@code uri} */
    public static ClientRequest delete(String uri) {
        return builder("DELETE", uri).build();
    }

    /**
     * @param method the method token, case-sensitive (RFC 9110 §9.1), for example {@code GET}
     * @param uri    an absolute URI with a host, for example {@code http://example.com/a?b=c}
     * @throws IllegalArgumentException if the method is not a token (or is CONNECT), or the URI is not absolute
     *                                  with a host, or carries user information (set {@code Authorization} instead)
     */
    public static Builder builder(String method, String uri) {
        return builder(method, URI.create(uri));
    }

    /** Like {@link #builder(String, String)}. */
    public static Builder builder(String method, URI uri) {
        return new Builder().method(method).uri(uri);
    }

    /** @return a builder holding this request, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder().method(method).uri(uri).body(body).timeout(timeout);
        b.fields.addAll(fields);
        return b;
    }

    /** @return the method token */
    public String method() {
        return method;
    }

    /** @return the absolute URI */
    public URI uri() {
        return uri;
    }

    /** @return a copy of the header fields set on this request (not those the client adds) */
    public Headers headers() {
        Headers h = new Headers();
        for (int i = 0; i < fields.size(); i += 2) h.add(fields.get(i), fields.get(i + 1));
        return h;
    }

    /** @return the first value of header {@code name} (case-insensitive), or null */
    public String header(String name) {
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).equalsIgnoreCase(name)) return fields.get(i + 1);
        }
        return null;
    }

    /** @return the body; {@link Body.Empty} when there is none */
    public Body body() {
        return body;
    }

    /** @return this request's whole-exchange timeout, or null to use {@link ClientConfig#requestTimeout()} */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }

    /** Builds a {@link ClientRequest}; validates as values are set. Not thread-safe. */
    public static final class Builder {
        private String method = "GET";
        private URI uri;
        private final List<String> fields = new ArrayList<>();
        private Body body = Body.empty();
        private Duration timeout;

        private Builder() {
        }

        /**
         * Sets the method token.
         *
         * @throws IllegalArgumentException if it is not a token, or is CONNECT (tunnels are not supported)
         */
        public Builder method(String m) {
            if (!Ascii.isToken(m)) throw new IllegalArgumentException("method is not a token: " + m);
            if (m.equals("CONNECT")) throw new IllegalArgumentException("CONNECT (tunnels) is not supported by this client");
            method = m;
            return this;
        }

        /** Sets the URI. @throws IllegalArgumentException if not absolute with a host, or with user information */
        public Builder uri(URI u) {
            Objects.requireNonNull(u, "uri");
            if (!u.isAbsolute() || UriHosts.host(u) == null) {
                throw new IllegalArgumentException("not an absolute URI with a host: " + u);
            }
            if (u.getRawUserInfo() != null) {
                throw new IllegalArgumentException("user information in URIs is not supported; set Authorization: " + u);
            }
            uri = u;
            return this;
        }

        /**
         * Adds a header field.
         *
         * @throws IllegalArgumentException if the name is not a token, the value holds CR, LF, NUL or another
         *                                  control character, or the field is Content-Length or
         *                                  Transfer-Encoding (the client frames the body itself)
         */
        public Builder header(String name, String value) {
            validate(name, value);
            fields.add(name);
            fields.add(value);
            return this;
        }

        /** Replaces every field named {@code name} (case-insensitive) by one; validated like {@link #header}. */
        public Builder setHeader(String name, String value) {
            validate(name, value);
            removeHeader(name);
            return header(name, value);
        }

        /** Removes every field named {@code name} (case-insensitive). */
        public Builder removeHeader(String name) {
            for (int i = fields.size() - 2; i >= 0; i -= 2) {
                if (fields.get(i).equalsIgnoreCase(name)) {
                    fields.remove(i + 1);
                    fields.remove(i);
                }
            }
            return this;
        }

        /** Sets the body (default none). */
        public Builder body(Body b) {
            body = Objects.requireNonNull(b, "body");
            return this;
        }

        /** Sets this request's whole-exchange timeout, or null for the client's. */
        public Builder timeout(Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) throw new IllegalArgumentException("timeout must be positive: " + d);
            timeout = d;
            return this;
        }

        /** @return the request */
        public ClientRequest build() {
            return new ClientRequest(this);
        }

        private static void validate(String name, String value) {
            ClientFields.check(name, value);
        }
    }

    /**
     * A request body. Bytes, strings and files can be sent again (for a retry on a fresh connection or a 307/308
     * redirect); a stream only once.
     */
    public sealed interface Body permits Body.Empty, Body.Bytes, Body.FileContent, Body.Stream {

        /** @return the length in bytes, or -1 if unknown (then it is sent chunked) */
        long length();

        /** @return true if the body can be sent more than once */
        boolean replayable();

        /** @return no body */
        static Body empty() {
            return Empty.INSTANCE;
        }

        /** @return {@code bytes} as the body; the array is not copied, do not change it afterwards */
        static Body of(byte[] bytes) {
            return new Bytes(bytes);
        }

        /** @return {@code text} encoded as UTF-8 */
        static Body of(String text) {
            return new Bytes(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @return the file's content, sent zero-copy where the platform allows; its length is taken now
         * @throws IOException if the file cannot be read
         */
        static Body ofFile(Path file) throws IOException {
            if (!Files.isReadable(file) || Files.isDirectory(file)) throw new java.nio.file.NoSuchFileException(file + " (not a readable file)");
            return new FileContent(file, Files.size(file));
        }

        /** @return a stream of unknown length, sent with chunked encoding; it is read once and not closed */
        static Body ofStream(InputStream in) {
            return new Stream(in, -1);
        }

        /** @return a stream of exactly {@code length} bytes, sent with Content-Length; read once, not closed */
        static Body ofStream(InputStream in, long length) {
            if (length < 0) throw new IllegalArgumentException("negative length: " + length);
            return new Stream(in, length);
        }

        /** No body. */
        record Empty() implements Body {
            static final Empty INSTANCE = new Empty();

            @Override public long length() { return 0; }
            @Override public boolean replayable() { return true; }
        }

        /** A body held in memory. @param bytes the content (not copied) */
        record Bytes(byte[] bytes) implements Body {
            /** @throws NullPointerException if bytes is null */
            public Bytes {
                Objects.requireNonNull(bytes, "bytes");
            }

            @Override public long length() { return bytes.length; }
            @Override public boolean replayable() { return true; }
        }

        /** A file's first {@code length} bytes. @param path the file; @param length bytes to send */
        record FileContent(Path path, long length) implements Body {
            /** @throws IllegalArgumentException if length is negative */
            public FileContent {
                Objects.requireNonNull(path, "path");
                if (length < 0) throw new IllegalArgumentException("negative length: " + length);
            }

            @Override public boolean replayable() { return true; }
        }

        /** A stream read once. @param in the content; @param length its length, or -1 for chunked */
        record Stream(InputStream in, long length) implements Body {
            /** @throws NullPointerException if in is null */
            public Stream {
                Objects.requireNonNull(in, "in");
            }

            @Override public boolean replayable() { return false; }
        }
    }
}
