package dev.porter.http;

import dev.porter.http.internal.Ascii;
import dev.porter.http.internal.client.UriHosts;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The opening handshake an {@link HttpClient} sends to start a WebSocket conversation (RFC 6455 §4.1): the URI,
 * the sub-protocols offered, extra header fields, whether permessage-deflate is offered, the limits of the
 * conversation and how long the handshake may take. Immutable and thread-safe; build with {@link #builder(URI)}.
 *
 * <pre>{@code
 * WebSocketRequest req = WebSocketRequest.builder(URI.create("wss://example.com/chat"))
 *         .subprotocols("chat.v2", "chat.v1")
 *         .header("Authorization", "Bearer " + token)
 *         .build();
 * try (HttpClient client = HttpClient.create(); ClientWebSocket ws = client.websocket(req)) { ... }
 * }</pre>
 *
 * <p>The client writes the handshake's own fields ({@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Key},
 * {@code -Version}, {@code -Protocol}, {@code -Extensions}), so they cannot be set as headers; {@code Host} and
 * {@code User-Agent} come from the URI and the {@link ClientConfig} unless set here. No {@code Origin} is sent
 * unless set: RFC 6455 §4.1 asks it of browsers, and §10.2 lets servers tell other clients by its absence.
 *
 * @param uri          {@code ws://} or {@code wss://} (also accepted: {@code http://} and {@code https://}, as a
 *                     browser does), without a fragment (§3)
 * @param subprotocols the sub-protocols offered ({@code Sec-WebSocket-Protocol}), in order of preference; empty for
 *                     none
 * @param fields       extra header fields: name, value, name, value, …
 * @param config       the limits of the conversation (the same as a server's: message and frame sizes, idle
 *                     timeout and ping interval, send and close timeouts); its {@link WebSocketConfig#deflate()}
 *                     says whether permessage-deflate (RFC 7692) is offered
 * @param timeout      the whole opening handshake (connect, TLS, the {@code 101} response) must end within this
 */
public record WebSocketRequest(URI uri, List<String> subprotocols, List<String> fields, WebSocketConfig config,
                               Duration timeout) {

    /** The handshake's own fields, written by the client (RFC 6455 §4.1). */
    private static final Set<String> RESERVED = Set.of("upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions",
            "content-length", "transfer-encoding");

    /** Validates every value. @throws IllegalArgumentException if one is not allowed */
    public WebSocketRequest {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!Set.of("ws", "wss", "http", "https").contains(scheme) || UriHosts.host(uri) == null) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI with a host: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URI has no fragment (RFC 6455 §3): " + uri);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("user information in URIs is not supported; set Authorization: " + uri);
        }
        subprotocols = List.copyOf(subprotocols);
        for (String p : subprotocols) {
            if (!Ascii.isToken(p)) throw new IllegalArgumentException("sub-protocol is not a token: " + p);
        }
        if (Set.copyOf(subprotocols).size() != subprotocols.size()) {
            throw new IllegalArgumentException("a sub-protocol is offered twice (RFC 6455 §4.1): " + subprotocols);
        }
        fields = List.copyOf(fields);
        if (fields.size() % 2 != 0) throw new IllegalArgumentException("fields come in name, value pairs");
        for (int i = 0; i < fields.size(); i += 2) validate(fields.get(i), fields.get(i + 1));
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }

    /** @return a request for {@code uri} with the defaults */
    public static WebSocketRequest of(URI uri) {
        return builder(uri).build();
    }

    /** @return a builder for {@code uri}: no sub-protocol, no extra field, {@link WebSocketConfig#defaults()}, 30 s */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** @return true for {@code wss} (and {@code https}): the conversation goes over TLS */
    public boolean secure() {
        String s = uri.getScheme().toLowerCase(Locale.ROOT);
        return s.equals("wss") || s.equals("https");
    }

    /** @return the header fields as {@link Headers} (a copy) */
    public Headers headers() {
        Headers h = new Headers();
        for (int i = 0; i < fields.size(); i += 2) h.add(fields.get(i), fields.get(i + 1));
        return h;
    }

    private static void validate(String name, String value) {
        Objects.requireNonNull(value, "value");
        if (!Ascii.isToken(name)) throw new IllegalArgumentException("header name is not a token: " + name);
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is written by the client for the WebSocket handshake"
                    + (name.equalsIgnoreCase("Sec-WebSocket-Protocol") ? "; offer sub-protocols with subprotocols()" : ""));
        }
        String problem = Ascii.fieldValueProblem(value);
        if (problem != null) throw new IllegalArgumentException("header " + name + ": " + problem);
    }

    /** Builds a {@link WebSocketRequest}; validated at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private List<String> subprotocols = List.of();
        private final List<String> fields = new ArrayList<>();
        private WebSocketConfig config = WebSocketConfig.defaults();
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(URI uri) {
            this.uri = uri;
        }

        /** Offers these sub-protocols, in order of preference (replacing any offered before). */
        public Builder subprotocols(String... protocols) {
            subprotocols = List.of(protocols);
            return this;
        }

        /** Adds a header field. @throws IllegalArgumentException for a handshake field or an invalid one */
        public Builder header(String name, String value) {
            validate(name, value);
            fields.add(name);
            fields.add(value);
            return this;
        }

        /** Offers permessage-deflate (the default) or not: shorthand for the config's {@code withDeflate}. */
        public Builder deflate(boolean on) {
            config = config.withDeflate(on);
            return this;
        }

        /** Sets the limits of the conversation (and, through its {@code deflate}, the compression offer). */
        public Builder config(WebSocketConfig c) {
            config = Objects.requireNonNull(c, "config");
            return this;
        }

        /** Sets how long the whole opening handshake may take. Default 30 s. */
        public Builder timeout(Duration d) {
            timeout = d;
            return this;
        }

        /** @return the request. @throws IllegalArgumentException if a value is not allowed */
        public WebSocketRequest build() {
            return new WebSocketRequest(uri, subprotocols, fields, config, timeout);
        }
    }
}
