package dev.porter.http;

/**
 * Answers one HTTP request: reads what it needs from the {@link Request} and writes the answer to the
 * {@link Response}, in plain blocking style (it runs on the connection's virtual thread).
 *
 * <p>If the handler returns without sending anything, an empty {@code 200} (or the status it set) is sent.
 * Throwing {@link HttpException} answers with its status and message; any other exception answers {@code 500}
 * with no internal detail and is logged once. One handler instance serves all requests concurrently, so it must
 * be thread-safe.
 */
@FunctionalInterface
public interface Handler {

    /** Handles one request. The request and response are valid only until this method returns. */
    void handle(Request request, Response response) throws Exception;
}
