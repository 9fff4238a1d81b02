package dev.porter.http.internal.h2;

import java.util.Arrays;

/**
 * Assembles a request's field block from a HEADERS frame and the CONTINUATION frames that follow it (RFC 9113
 * §4.3, §6.10) and HPACK-decodes it (RFC 7541) into {@link RequestFields}. The block's size and its number of
 * CONTINUATION frames are bounded (CVE-2024-27316), and so is the decoded header list (an HPACK bomb): a list over
 * the limit is still decoded to keep the connection's HPACK context, its fields dropped, and reported so that the
 * stream can be answered 431. The parser has already checked that nothing but this stream's CONTINUATION frames
 * comes between HEADERS and END_HEADERS. Used by the connection's reader thread only.
 */
final class FieldBlockReader {

    /** Beyond this, the collecting buffer is dropped after its block: a connection does not keep a large one. */
    private static final int KEPT_BUFFER_BYTES = 64 * 1024;

    /**
     * A complete field block, decoded.
     *
     * @param endStream the HEADERS frame carried END_STREAM
     * @param tooLarge  the stream error if the header list was over our limit (its fields were dropped), or null
     */
    record Block(int streamId, boolean endStream, RequestFields fields, Http2Exception tooLarge) {
    }

    private final FrameParser parser;
    private final HpackDecoder decoder;
    private final Budget controlFrames;
    private final int maxContinuationFrames;
    /** The most a block may grow to: the header limit and one frame. */
    private final int maxBlockBytes;
    private static final byte[] NO_BLOCK = new byte[0];
    private byte[] block = NO_BLOCK;
    private int blockLength;
    private int blockStream;
    private int blockFrames;
    private boolean blockEndStream;

    /**
     * @param parser         the connection's parser, positioned on the frame each call reads
     * @param maxHeaderBytes the decoded header list's limit (and our SETTINGS_MAX_HEADER_LIST_SIZE)
     * @param controlFrames  the budget empty HEADERS and CONTINUATION frames spend
     */
    FieldBlockReader(FrameParser parser, int maxHeaderBytes, int maxFrameSize, int maxContinuationFrames,
                     Budget controlFrames) {
        this.parser = parser;
        this.decoder = new HpackDecoder(Settings.DEFAULT_HEADER_TABLE_SIZE, maxHeaderBytes);
        this.controlFrames = controlFrames;
        this.maxContinuationFrames = maxContinuationFrames;
        this.maxBlockBytes = maxHeaderBytes + maxFrameSize;
    }

    /**
     * Drops the block buffer when no block is being collected: the connection parks (docs/http2.md: without
     * buffers), and one large block (up to {@link #KEPT_BUFFER_BYTES}) would otherwise stay with it while idle. A
     * block whose CONTINUATION frames are still to come is kept (a connection may park between them).
     */
    void release() {
        if (parser.awaitingContinuation()) return;
        block = NO_BLOCK;
        blockLength = 0;
    }

    /** @return the size of the block buffer kept now */
    int heldBytes() {
        return block.length;
    }

    /** Reads a HEADERS frame. @return its block, decoded; or null if CONTINUATION frames are to follow */
    Block headers() {
        if (parser.length() == 0 && !parser.endHeaders()) controlFrames.spend("empty HEADERS frames");
        blockStream = parser.streamId();
        blockEndStream = parser.endStream();
        blockFrames = 0;
        blockLength = 0;
        if (parser.endHeaders()) return decode(parser.buffer(), parser.contentStart(), parser.contentEnd());
        append();
        return null;
    }

    /** Reads a CONTINUATION frame. @return the complete block, decoded; or null if more are to follow */
    Block continuation() {
        if (++blockFrames > maxContinuationFrames) {
            throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "too many CONTINUATION frames");
        }
        if (parser.length() == 0 && !parser.endHeaders()) controlFrames.spend("empty CONTINUATION frames");
        append();
        return parser.endHeaders() ? decode(block, 0, blockLength) : null;
    }

    /** Collects a fragment; the block may not grow past the header limit and one frame (CVE-2024-27316). */
    private void append() {
        int n = parser.contentEnd() - parser.contentStart();
        if (blockLength + n > maxBlockBytes) {
            throw Http2Exception.connection(Http2Error.ENHANCE_YOUR_CALM, "field block too large");
        }
        if (block.length < blockLength + n) block = Arrays.copyOf(block, Math.max(blockLength + n, block.length * 2));
        System.arraycopy(parser.buffer(), parser.contentStart(), block, blockLength, n);
        blockLength += n;
    }

    private Block decode(byte[] b, int from, int to) {
        RequestFields fields = new RequestFields();
        Http2Exception tooLarge = null;
        try {
            // Always decoded, even for a stream that will be refused: the HPACK context is the connection's.
            decoder.decode(b, from, to, blockStream, fields);
        } catch (Http2Exception e) {
            if (e.isConnectionError()) throw e;
            tooLarge = e;
        }
        if (block.length > KEPT_BUFFER_BYTES) block = NO_BLOCK;
        return new Block(blockStream, blockEndStream, fields, tooLarge);
    }
}
