package dev.porter.http.internal.client;

import dev.porter.core.Client;
import dev.porter.core.ClientTls;
import dev.porter.core.Connection;
import dev.porter.core.ConnectionConfig;
import dev.porter.http.HttpClientException;
import dev.porter.http.internal.Transport;

import java.io.IOException;
import java.time.Duration;

/** The transports the client knows, by scheme: {@code http} (plain TCP) and {@code https} (TLS). */
final class Transports {

    /** Plain TCP. */
    static final Transport PLAIN = new Transport() {
        @Override
        public int defaultPort() {
            return 80;
        }

        @Override
        public Connection connect(String host, int port, Duration timeout, ConnectionConfig config, ClientTls tls,
                                  byte[] preface) throws IOException {
            Connection c = Client.connect(host, port, timeout, config);
            if (preface != null) {
                try {
                    c.write(preface); // buffered: it leaves with the request head, one packet for both
                } catch (IOException | RuntimeException e) {
                    c.close();
                    throw e;
                }
            }
            return c;
        }

        @Override
        public String toString() {
            return "plain TCP";
        }
    };

    /** TLS 1.3/1.2 with the server's certificate and name checked (unless the configuration trusts all). */
    static final Transport TLS = new Transport() {
        @Override
        public int defaultPort() {
            return 443;
        }

        @Override
        public Connection connect(String host, int port, Duration timeout, ConnectionConfig config, ClientTls tls,
                                  byte[] preface) throws IOException {
            return Client.connect(host, port, timeout, config, tls, preface);
        }

        @Override
        public String toString() {
            return "TLS";
        }
    };

    private Transports() {
    }

    /** @throws HttpClientException.UnsupportedScheme for anything but http and https */
    static Transport forScheme(String scheme) throws HttpClientException.UnsupportedScheme {
        return switch (scheme) {
            case "http" -> PLAIN;
            case "https" -> TLS;
            default -> throw new HttpClientException.UnsupportedScheme(
                    "unsupported URI scheme '" + scheme + "' (only http and https are supported)");
        };
    }
}
