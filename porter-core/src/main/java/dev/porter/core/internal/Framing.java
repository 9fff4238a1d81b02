package dev.porter.core.internal;

import dev.porter.core.FramingException;
import dev.porter.core.ReadBuffer;
import dev.porter.core.ReadBuffer.Wait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The framings {@link dev.porter.core.Connection} offers every protocol — lines, length-prefixed frames, exact
 * counts — written once over the {@link ReadBuffer} contract, so they work the same over any transport.
 */
final class Framing {

    private Framing() {
    }

    /** See {@link dev.porter.core.Connection#readLine()}. */
    static String readLine(ReadBuffer in, int max) throws IOException {
        int scanned = 0;
        while (true) {
            byte[] b = in.array();
            int start = in.start();
            int end = in.end();
            for (int i = start + scanned; i < end; i++) {
                if (b[i] == '\n') {
                    int lineEnd = i > start && b[i - 1] == '\r' ? i - 1 : i;
                    if (lineEnd - start > max) throw new FramingException.LineTooLong(max);
                    String line = new String(b, start, lineEnd - start, StandardCharsets.UTF_8);
                    in.consume(i + 1 - start);
                    return line;
                }
            }
            scanned = end - start;
            if (scanned > max + 1) throw new FramingException.LineTooLong(max);
            if (!in.fill(scanned > 0 ? Wait.IN_MESSAGE : Wait.NEXT_MESSAGE, max + 2)) {
                if (scanned == 0) return null;
                throw new FramingException.Truncated("line after " + scanned + " bytes without a line end");
            }
        }
    }

    /** See {@link dev.porter.core.Connection#readFrame()}. */
    static byte[] readFrame(ReadBuffer in, int maxFrameSize) throws IOException {
        byte[] header = new byte[4];
        for (int got = 0; got < 4; ) {
            // Waiting for a frame's first byte is idle time; once it started, the read timeout applies.
            int n = in.read(header, got, 4 - got, got > 0 ? Wait.IN_MESSAGE : Wait.NEXT_MESSAGE);
            if (n < 0) {
                if (got == 0) return null;
                throw new FramingException.Truncated("frame header", got, 4);
            }
            got += n;
        }
        long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        if (length > maxFrameSize) throw new FramingException.FrameTooLarge(length, maxFrameSize);
        byte[] payload = new byte[(int) length];
        int got = 0;
        while (got < payload.length) {
            int n = in.read(payload, got, payload.length - got, Wait.IN_MESSAGE);
            if (n < 0) throw new FramingException.Truncated("frame", got, length);
            got += n;
        }
        return payload;
    }

    /** See {@link dev.porter.core.Connection#readFully(byte[])}. */
    static void readFully(ReadBuffer in, byte[] dst) throws IOException {
        int got = 0;
        while (got < dst.length) {
            int n = in.read(dst, got, dst.length - got, got > 0 ? Wait.IN_MESSAGE : Wait.NEXT_MESSAGE);
            if (n < 0) throw new FramingException.Truncated("message", got, dst.length);
            got += n;
        }
    }

    /** Four bytes of big-endian length: the header of a frame of {@code n} bytes. */
    static byte[] frameHeader(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
