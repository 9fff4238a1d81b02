package dev.porter.http;

import java.util.Objects;

/**
 * Runs around a handler: for logging, authentication, headers added to every response. A filter calls
 * {@code next.handle(request, response)} to continue, or answers itself to stop the chain. Thread-safe like a
 * {@link Handler}.
 */
@FunctionalInterface
public interface Filter {

    /** Handles the request, usually by doing something before and after {@code next}. */
    void filter(Request request, Response response, Handler next) throws Exception;

    /** @return a handler that runs this filter around {@code handler} */
    default Handler then(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return (req, res) -> filter(req, res, handler);
    }
}
