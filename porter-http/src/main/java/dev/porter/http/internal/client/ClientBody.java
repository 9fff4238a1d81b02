package dev.porter.http.internal.client;

import dev.porter.http.Headers;

import java.io.InputStream;

/**
 * A response body as the client hands it out, whatever carries it: an HTTP/1.1 connection ({@link ResponseBody})
 * or an HTTP/2 stream ({@link dev.porter.http.internal.h2client.Http2ResponseBody}). Closing it ends the response:
 * it never throws, and gives back or releases what carried the body.
 */
public abstract class ClientBody extends InputStream {

    /** @return the trailer fields received after the body: empty until the body was read to its end */
    public abstract Headers trailers();

    /** Ends the body early (or after its end); never throws. */
    @Override
    public abstract void close();
}
