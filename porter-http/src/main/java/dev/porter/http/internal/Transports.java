package dev.porter.http.internal;

import dev.porter.core.Client;
import dev.porter.core.ConnectionConfig;
import dev.porter.core.Connection;
import dev.porter.http.HttpClientException;

import java.io.IOException;
import java.time.Duration;

/** The transports the client knows, by scheme: {@code http} today; {@code https} once TLS lands in porter-core. */
final class Transports {

    /** Plain TCP: {@link Client#connect}, whose connections are {@link Connection}s. */
    static final Transport PLAIN = new Transport() {
        @Override
        public int defaultPort() {
            return 80;
        }

        @Override
        public Connection connect(String host, int port, Duration timeout, ConnectionConfig config)
                throws IOException {
            return Client.connect(host, port, timeout, config);
        }

        @Override
        public String toString() {
            return "plain TCP";
        }
    };

    private Transports() {
    }

    /** @throws HttpClientException.UnsupportedScheme for anything but http */
    static Transport forScheme(String scheme) throws HttpClientException.UnsupportedScheme {
        return switch (scheme) {
            case "http" -> PLAIN;
            case "https" -> throw new HttpClientException.UnsupportedScheme(
                    "https is not supported yet: Porter's HTTP client has no TLS transport (use http://)");
            default -> throw new HttpClientException.UnsupportedScheme(
                    "unsupported URI scheme '" + scheme + "' (only http is supported)");
        };
    }
}
