package dev.porter.http.internal;

import dev.porter.http.Request;

import java.io.IOException;
import java.time.Duration;

/**
 * Whether the client of a request is still there, for a handler whose thread waits on something else: the reverse
 * proxy waiting for a slow backend gives the work up when its client has left, as nginx does
 * ({@code proxy_ignore_client_abort off}), instead of holding a backend connection until the answer nobody will
 * read. Implemented by each protocol's request.
 */
public interface ClientPresence {

    /** What the access log shows for a request given up because its client left: nginx's "client closed request". */
    int CLIENT_CLOSED_REQUEST = 499;

    /** What a {@link #look} saw. */
    enum Sign {
        /** The client left: its connection ended (closed or reset), or its HTTP/2 stream was reset. */
        LEFT,
        /** The client sent something (a pipelined request): it is there, and looking again would see the same. */
        THERE,
        /** Nothing either way in the time given. */
        NONE
    }

    /**
     * Looks for a sign of the client for up to {@code wait}. On HTTP/1 this waits for the connection's input, so
     * it is called by one thread at a time that has the input to itself: the thread handling the request, or a
     * thread it waits for before it reads or writes the connection again. Bytes that arrive stay buffered for the
     * next request.
     */
    Sign look(Duration wait);

    /** @return the protocol's request under any {@link Request.Wrapper}s (a router's, a filter's), or null if none says */
    static ClientPresence of(Request req) {
        Request r = req;
        while (r instanceof Request.Wrapper w) r = w.wrapped();
        return r instanceof ClientPresence p ? p : null;
    }

    /**
     * A request given up because its client left: the protocol logs {@link #CLIENT_CLOSED_REQUEST} and sends
     * nothing.
     */
    final class Gone extends IOException {
        public Gone(String message) {
            super(message);
        }
    }
}
