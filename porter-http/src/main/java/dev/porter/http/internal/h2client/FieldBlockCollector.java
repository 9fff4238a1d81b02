package dev.porter.http.internal.h2client;

import dev.porter.http.internal.h2.FrameParser;
import dev.porter.http.internal.h2.Http2Error;
import dev.porter.http.internal.h2.Http2Exception;

import java.util.Arrays;

/**
 * Puts together each field block the server sends, from a HEADERS frame and the CONTINUATION frames after it
 * (RFC 9113 §4.3, §6.10), and hands the whole block to a {@link Sink}. A block that fits one frame is handed over
 * in place, without a copy. Collecting is bounded, as a connection error (ENHANCE_YOUR_CALM), because a peer that
 * never ends a block would otherwise make us buffer without limit (CVE-2024-27316 works against clients too): at
 * most {@link #MAX_CONTINUATIONS} frames, and the header limit plus one frame of bytes. The frame order itself (a
 * CONTINUATION only right after its block's HEADERS or CONTINUATION) is {@link FrameParser}'s to check.
 *
 * <p>The server's {@code Http2Connection} collects its requests' blocks the same way, with its own limits. Used by
 * the reader thread only.
 */
final class FieldBlockCollector {

    /** Where a complete block goes. */
    interface Sink {
        /**
         * A complete field block: {@code b[from, to)}, valid only during the call.
         *
         * @param endStream the HEADERS frame carried END_STREAM
         */
        void fieldBlock(int streamId, boolean endStream, byte[] b, int from, int to);
    }

    /** CONTINUATION frames one field block may span. */
    private static final int MAX_CONTINUATIONS = 64;
    /** A buffer grown larger for one big block is dropped after it, not kept for the connection's life. */
    private static final int KEPT_BUFFER = 64 * 1024;

    private final int maxHeaderBytes;
    private final Sink sink;
    private byte[] block = new byte[0];
    private int blockLength;
    private int blockStream;
    private int blockFrames;
    private boolean blockEndStream;

    /** @param maxHeaderBytes the decoded header list's limit; a block may be one frame larger while collected */
    FieldBlockCollector(int maxHeaderBytes, Sink sink) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.sink = sink;
    }

    /** The parser holds a HEADERS frame: a new block starts (and is complete with END_HEADERS). */
    void headers(FrameParser parser) {
        blockStream = parser.streamId();
        blockEndStream = parser.endStream();
        blockFrames = 0;
        blockLength = 0;
        if (parser.endHeaders()) {
            complete(parser.buffer(), parser.contentStart(), parser.contentEnd());
        } else {
            append(parser);
        }
    }

    /** The parser holds a CONTINUATION frame of the block being collected. */
    void continuation(FrameParser parser) {
        if (++blockFrames > MAX_CONTINUATIONS) {
            throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "more than " + MAX_CONTINUATIONS
                    + " CONTINUATION frames in one field block");
        }
        append(parser);
        if (parser.endHeaders()) complete(block, 0, blockLength);
    }

    /** Collects a fragment of a field block; the block may not grow past the header limit and one frame. */
    private void append(FrameParser parser) {
        int n = parser.contentEnd() - parser.contentStart();
        if (blockLength + n > maxHeaderBytes + parser.maxFrameSize()) {
            throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "field block larger than "
                    + (maxHeaderBytes + parser.maxFrameSize()) + " bytes");
        }
        if (block.length < blockLength + n) block = Arrays.copyOf(block, Math.max(blockLength + n, block.length * 2));
        System.arraycopy(parser.buffer(), parser.contentStart(), block, blockLength, n);
        blockLength += n;
    }

    private void complete(byte[] b, int from, int to) {
        try {
            sink.fieldBlock(blockStream, blockEndStream, b, from, to);
        } finally {
            if (block.length > KEPT_BUFFER) block = new byte[0];
        }
    }
}
