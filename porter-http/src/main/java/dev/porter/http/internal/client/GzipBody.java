package dev.porter.http.internal.client;

import dev.porter.http.HttpClientException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A {@code Content-Encoding: gzip} body decoded on the fly (RFC 9110 §8.4.1.3). The decoder starts at the first
 * read, so sending a request never blocks on the body. When the decoded stream ends, the raw body is closed, which
 * drains what little may follow and gives the connection back. An empty body stays empty. Corrupt gzip data is a
 * {@link HttpClientException.MalformedResponse}. Not thread-safe.
 */
final class GzipBody extends InputStream {

    private final ClientBody raw;
    /** What is decoded: the raw body, or another layer of gzip undone ({@link ContentCodings}). */
    private final InputStream in;
    private GZIPInputStream gzip;
    private boolean ended;

    /** @param in {@code raw}, or a decoder of an inner layer reading it */
    GzipBody(ClientBody raw, InputStream in) {
        this.raw = raw;
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) return -1;
        try {
            if (gzip == null) {
                // An empty body is empty, encoded or not: applications label empty answers gzip too, and curl and
                // browsers read them so (GZIPInputStream would fail on the missing header).
                PushbackInputStream src = new PushbackInputStream(in, 1);
                int first = src.read();
                if (first < 0) {
                    ended = true;
                    raw.close();
                    return -1;
                }
                src.unread(first);
                gzip = new GZIPInputStream(src, 16 * 1024);
            }
            int n = gzip.read(b, off, len);
            if (n < 0) {
                ended = true;
                raw.close();
            }
            return n;
        } catch (HttpClientException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new HttpClientException.MalformedResponse("gzip-encoded body is corrupt or cut short: "
                    + (e.getMessage() != null ? e.getMessage() : "it ends inside the gzip data"), e);
        }
    }

    @Override
    public int available() throws IOException {
        return gzip == null || ended ? 0 : gzip.available();
    }

    @Override
    public void close() {
        ended = true;
        raw.close();
    }
}
