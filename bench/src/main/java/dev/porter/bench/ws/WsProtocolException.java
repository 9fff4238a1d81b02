package dev.porter.bench.ws;

/** The server broke a rule of RFC 6455, or answered something the load client did not ask for. */
final class WsProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    WsProtocolException(String message) {
        super(message);
    }
}
