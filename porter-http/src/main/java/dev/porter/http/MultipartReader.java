package dev.porter.http;

import dev.porter.http.internal.multipart.MultipartParser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a {@code multipart/form-data} body part by part, from {@link Multipart#parts}: a pull reader over the
 * request body, which it reads 16 KiB at a time as its parts' streams are read, so memory stays bounded whatever
 * the body's size. Valid only during the handler's call, like the {@link Request}; not thread-safe.
 *
 * <pre>{@code
 * MultipartReader form = Multipart.parts(req);
 * for (FormPart part; (part = form.next()) != null; ) {
 *     if (part.isFile()) Files.copy(part.body(), dir.resolve(UUID.randomUUID().toString()));
 *     else fields.put(part.name(), part.text());
 * }
 * }</pre>
 *
 * <p>A {@code _charset_} field (RFC 7578 §4.6) is read as it arrives, and names the charset of the later text
 * fields that name none; it is still returned as a part.
 */
public final class MultipartReader {

    private static final int CHUNK = 16 * 1024;

    private final InputStream in;
    private final Multipart.Limits limits;
    private final MultipartParser parser;
    private final byte[] input = new byte[CHUNK];
    private int inputStart;
    private int inputEnd;
    /** The current part's data the parser gave and no one read yet: at most one chunk and a delimiter. */
    private final byte[] pending;
    private int pendingStart;
    private int pendingEnd;
    private boolean partEnded = true;
    /** A part the parser started (it paused right after) that {@link #next()} has not returned yet. */
    private MultipartParser.Part started;
    private FormPart current;
    private Charset formCharset = StandardCharsets.UTF_8;

    MultipartReader(InputStream in, String boundary, Multipart.Limits limits) {
        this.in = in;
        this.limits = limits;
        this.pending = new byte[CHUNK + boundary.length() + 4];
        this.parser = new MultipartParser(boundary, limits.maxParts(), limits.maxPartHeaderBytes(), new MultipartParser.Sink() {
            @Override
            public void partStart(MultipartParser.Part part) {
                started = part;
            }

            @Override
            public void partData(byte[] b, int off, int len) {
                System.arraycopy(b, off, pending, pendingEnd, len);
                pendingEnd += len;
            }

            @Override
            public void partEnd() {
                partEnded = true;
            }
        });
    }

    /**
     * Skips what is left of the current part and reads the next part's header section.
     *
     * @return the next part, or null after the close delimiter (the epilogue, if any, is not read)
     * @throws HttpException 400 if the body is not a well-framed form (RFC 7578 §4.1, §4.2; RFC 2046 §5.1.1) or
     *                       holds more parts or larger part headers than the {@link Multipart.Limits}; 413 past the
     *                       server's body limit; 415 if a {@code _charset_} field names a charset the JVM lacks
     * @throws IOException   if the body cannot be read (a client that left, a read timeout)
     */
    public FormPart next() throws IOException {
        if (current != null) {
            current = null;
            byte[] skip = new byte[512];
            while (readData(skip, 0, skip.length) >= 0) {
                // what the handler did not read of the part
            }
        }
        while (started == null) {
            if (parser.complete()) return null;
            if (!step()) {
                parser.finish(); // throws: the body ended before the close delimiter
                return null;
            }
        }
        MultipartParser.Part p = started;
        started = null;
        partEnded = false;
        InputStream body = new PartBody();
        FormPart part = new FormPart(this, p.name(), p.fileName(), p.contentType(), p.headers(), body);
        current = part;
        if (p.name().equals("_charset_") && p.fileName() == null) {
            // RFC 7578 §4.6: its value (US-ASCII) is the default charset of the text fields after it.
            byte[] value = readField(body);
            formCharset = charsetNamed(new String(value, StandardCharsets.US_ASCII).strip());
            part = new FormPart(this, p.name(), null, p.contentType(), p.headers(), new ByteArrayInputStream(value));
            current = part;
        }
        return part;
    }

    /** The charset of text fields that name none: UTF-8, or what a {@code _charset_} field named. */
    Charset formCharset() {
        return formCharset;
    }

    /** @return the rest of {@code body}, at most {@link Multipart.Limits#maxFieldBytes()} @throws HttpException 413 */
    byte[] readField(InputStream body) throws IOException {
        int max = limits.maxFieldBytes();
        byte[] buf = new byte[Math.min(max, 256) + 1];
        int n = 0;
        for (int r; (r = body.read(buf, n, buf.length - n)) >= 0; ) {
            n += r;
            if (n > max) {
                throw new HttpException(Status.CONTENT_TOO_LARGE, "a form field is larger than " + max + " bytes");
            }
            if (n == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(max + 1L, 2L * buf.length));
        }
        return Arrays.copyOf(buf, n);
    }

    /** @throws HttpException 415 for a charset the JVM does not have */
    static Charset charsetNamed(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new HttpException(Status.UNSUPPORTED_MEDIA_TYPE, "unsupported charset in a form");
        }
    }

    /** Reads the current part's data; -1 at its end. */
    private int readData(byte[] b, int off, int len) throws IOException {
        while (pendingStart == pendingEnd) {
            if (partEnded) return -1;
            pendingStart = 0;
            pendingEnd = 0;
            if (!step()) parser.finish(); // throws: the body ended inside a part
        }
        int n = Math.min(len, pendingEnd - pendingStart);
        System.arraycopy(pending, pendingStart, b, off, n);
        pendingStart += n;
        return n;
    }

    /** Gives the parser the next piece of the body, until a part starts. @return false at the body's end */
    private boolean step() throws IOException {
        if (inputStart == inputEnd) {
            int n = in.read(input, 0, input.length);
            if (n < 0) return false;
            inputStart = 0;
            inputEnd = n;
        }
        inputStart += parser.feedUntilPart(input, inputStart, inputEnd - inputStart);
        return true;
    }

    /** The current part's content, read through the reader while the part is current. */
    private final class PartBody extends InputStream {

        private final byte[] one = new byte[1];

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (current == null || current.body() != this) {
                throw new IllegalStateException("a part's body is read after the next part was asked for");
            }
            if (len == 0) return 0;
            return readData(b, off, len);
        }
    }
}
