package dev.porter.http;

import java.util.Objects;

/**
 * Ends a request with an HTTP error status. Thrown by handlers (the server answers with {@link #status()} and
 * {@link #getMessage()} as a short plain-text body) and by Porter's parser for malformed requests (the message
 * says exactly which rule was broken). The message must not hold secrets: it is sent to the client.
 */
public class HttpException extends RuntimeException {

    private final Status status;

    /** @param status the status to answer with; @param message a short client-safe explanation */
    public HttpException(Status status, String message) {
        super(message, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** @param status the status to answer with; the reason phrase is the message */
    public HttpException(Status status) {
        this(status, status.reason());
    }

    /** @return the status to answer with */
    public Status status() {
        return status;
    }
}
