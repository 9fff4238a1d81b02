package dev.porter.http.internal.http1;

import dev.porter.core.ReadBuffer;
import dev.porter.http.internal.client.ResponseBody;

import java.io.IOException;

/**
 * The I/O half of a chunked body: feeds a connection's unread bytes to a {@link ChunkedDecoder} (the pure half)
 * and moves chunk data to the reader. Shared by the server's {@link ChunkedBody} and the client's
 * {@link ResponseBody}. Not thread-safe.
 */
public final class ChunkedInput<E extends Exception> {

    private final ReadBuffer in;
    public final ChunkedDecoder<E> decoder;

    public ChunkedInput(ReadBuffer in, ChunkedDecoder<E> decoder) {
        this.in = in;
        this.decoder = decoder;
    }

    /**
     * Reads framing until chunk data is next or the body ended.
     *
     * @return false at the end of the body (the trailer section was read)
     */
    public boolean toData() throws IOException, E {
        while (!decoder.inData()) {
            if (decoder.done()) return false;
            step();
        }
        return true;
    }

    /**
     * Moves up to {@code len} bytes of the current chunk's data (call {@link #toData()} first), then reads the CRLF
     * ending the chunk if its data is complete, so a chunk is handed on whole before the next one is waited for.
     */
    public int readData(byte[] b, int off, int len) throws IOException, E {
        int n = in.read(b, off, (int) Math.min(len, decoder.dataLeft()), ReadBuffer.Wait.IN_MESSAGE);
        if (n < 0) throw decoder.truncated();
        decoder.dataConsumed(n);
        while (decoder.atChunkEnd()) step();
        return n;
    }

    /** @return data bytes of the current chunk already buffered */
    public int available() {
        return (int) Math.min(in.available(), decoder.dataLeft());
    }

    /** Feeds the unread bytes once; with no progress, waits for more. */
    private void step() throws IOException, E {
        int start = in.start();
        int p = decoder.parse(in.array(), start, in.end());
        if (p > start) {
            in.consume(p - start);
        } else if (!decoder.inData() && !decoder.done() && !in.fill(ReadBuffer.Wait.IN_MESSAGE, decoder.maxPending())) {
            throw decoder.truncated();
        }
    }
}
