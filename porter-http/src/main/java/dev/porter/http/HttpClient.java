package dev.porter.http;


import dev.porter.http.internal.client.ClientEngine;
import dev.porter.http.internal.websocket.ClientHandshake;

import java.io.IOException;
import java.net.URI;

/**
 * Porter's HTTP/1.1 and HTTP/2 client: the client-socket side of the conversation, on porter-core's
 * {@link dev.porter.core.Client}. Blocking, like the rest of Porter: {@link #send} returns when the response head
 * has arrived, and the body is read as the caller reads it.
 *
 * <pre>{@code
 * try (HttpClient client = HttpClient.create();
 *      ClientResponse res = client.send(ClientRequest.get("http://127.0.0.1:8080/hello"))) {
 *     System.out.println(res.statusCode() + " " + res.bodyString());
 * }
 * }</pre>
 *
 * <p>Connections are kept alive and reused per scheme, host and port ({@link ClientConfig#maxIdlePerHost()},
 * {@link ClientConfig#idleTimeout()}). A pooled connection the server closed in the meantime is detected, and an
 * idempotent request whose body can be sent again is retried once on a fresh connection. Responses are parsed
 * strictly (the same field-line rules as Porter's server); anything malformed raises
 * {@link HttpClientException.MalformedResponse} naming the rule. Redirects, {@code Expect: 100-continue}, gzip and
 * timeouts follow {@link ClientConfig}.
 *
 * <p>WebSocket conversations ({@code ws} and {@code wss} URIs) are opened with {@link #websocket(WebSocketRequest)}.
 *
 * <p>{@code http} and {@code https} URIs are supported. Over TLS, ALPN offers {@code h2} and {@code http/1.1} and the
 * server's choice is spoken; a cleartext {@code http} URI speaks HTTP/1.1 unless {@link ClientConfig#httpVersion()}
 * is {@link HttpVersion#HTTP_2_PRIOR_KNOWLEDGE}. An HTTP/2 connection is shared by all requests to its scheme,
 * host and port, each on its own stream; the {@link ClientResponse} is the same whichever version carried it.
 *
 * <p>Thread-safe: one client is meant to be shared by many (virtual) threads, each sending its own requests.
 */
public final class HttpClient implements AutoCloseable {

    private final ClientConfig config;
    private final ClientEngine engine;

    private HttpClient(ClientConfig config) {
        this.config = config;
        this.engine = new ClientEngine(config);
    }

    /** @return a client with {@link ClientConfig#defaults()} */
    public static HttpClient create() {
        return create(ClientConfig.defaults());
    }

    /** @return a client with {@code config} */
    public static HttpClient create(ClientConfig config) {
        return new HttpClient(config);
    }

    /** @return the configuration */
    public ClientConfig config() {
        return config;
    }

    /**
     * Sends a request and returns its final response once the head has arrived (redirects followed as configured).
     * Close the response when done with it.
     *
     * @throws HttpClientException.MalformedResponse  if the response breaks HTTP/1.1 or HTTP/2
     * @throws HttpClientException.IncompleteResponse if the server closed the connection before the head was complete
     * @throws HttpClientException.Timeout           if a connect, read or whole-request timeout passed
     * @throws HttpClientException.TooManyRedirects  if more than {@link ClientConfig#maxRedirects()} redirects came
     * @throws HttpClientException.UnsupportedScheme if the URI (or a redirect) is neither {@code http} nor {@code https}
     * @throws java.net.ConnectException             if the connection was refused
     * @throws java.net.UnknownHostException         if the host does not resolve
     * @throws IOException                           for other network failures, or if the request body's source fails
     */
    public ClientResponse send(ClientRequest request) throws IOException {
        return engine.send(request, null);
    }

    /** Shortcut for {@code send(ClientRequest.get(uri))}. */
    public ClientResponse get(String uri) throws IOException {
        return send(ClientRequest.get(uri));
    }

    /**
     * Opens a WebSocket conversation (RFC 6455) with {@link WebSocketRequest#of(URI)}: the defaults, permessage-deflate
     * offered. See {@link #websocket(WebSocketRequest)}.
     */
    public ClientWebSocket websocket(URI uri) throws IOException {
        return websocket(WebSocketRequest.of(uri));
    }

    /**
     * Opens a WebSocket conversation (RFC 6455). When requests to the server go over HTTP/2 ({@code https} by ALPN,
     * or {@code http} with {@link HttpVersion#HTTP_2_PRIOR_KNOWLEDGE}) and the server sent
     * SETTINGS_ENABLE_CONNECT_PROTOCOL, the conversation is a stream of that shared connection, opened by an
     * extended CONNECT answered 200 (RFC 8441); {@code request().version()} is then {@code HTTP/2}. Otherwise it
     * connects (a connection of its own, never pooled, HTTP/1.1; over TLS for {@code wss} with this client's
     * {@link ClientConfig#tls()}: its trust and host-name check), sends the opening handshake and checks the
     * server's {@code 101} (RFC 6455 §4.1). Redirects are not followed, whatever
     * {@link ClientConfig#followRedirects()} says. Close the result when done (try-with-resources).
     *
     * <pre>{@code
     * try (ClientWebSocket ws = client.websocket(URI.create("ws://127.0.0.1:8080/ws"))) {
     *     ws.sendText("hello");
     *     System.out.println(ws.receive());
     * }
     * }</pre>
     *
     * @throws HttpClientException.WebSocketHandshake if the server answered another status than 101 (200 over HTTP/2; the exception
     *                                               carries it) or its 101 broke a rule of §4.1
     * @throws HttpClientException.Timeout           if the handshake took longer than {@link WebSocketRequest#timeout()}
     *                                               (or the connect timeout passed)
     * @throws java.net.ConnectException             if the connection was refused
     * @throws java.net.UnknownHostException         if the host does not resolve
     * @throws IOException                           for TLS and other network failures
     */
    public ClientWebSocket websocket(WebSocketRequest request) throws IOException {
        return ClientHandshake.open(engine, config, request);
    }

    /** @return counters of this client: connections opened, exchanges, idle connections */
    public ClientStats stats() {
        return new ClientStats(engine.connectionsOpened(), engine.exchanges(), engine.idleConnections());
    }

    /**
     * Closes idle connections and stops pooling. Responses still open keep working; their connections are closed
     * when they end. Sending after close still works, without reuse.
     */
    @Override
    public void close() {
        engine.close();
    }
}
