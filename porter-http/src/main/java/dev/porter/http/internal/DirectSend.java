package dev.porter.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A response that can send a static file's content held in direct memory, for the transports where
 * {@link dev.porter.http.Response#sendFile sendFile} has no zero-copy path and would read the file into a buffer
 * on every request (HTTP/2's DATA frames, TLS's records). Implemented by the HTTP/1.1 and HTTP/2 responses.
 */
public interface DirectSend {

    /** @return true if {@code sendFile} here copies the file's bytes (no {@code sendfile}): then prefer {@link #sendDirect} */
    boolean copiesFiles();

    /**
     * Sends the head, then the bytes of {@code content} from its position to its limit, exactly as
     * {@code sendFile} would send that part of the file (the same length, none for HEAD or a status without
     * body). {@code content} is shared with other requests: it is neither modified nor moved, only sliced.
     */
    void sendDirect(ByteBuffer content) throws IOException;
}
