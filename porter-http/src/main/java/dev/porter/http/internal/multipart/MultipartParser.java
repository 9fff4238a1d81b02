package dev.porter.http.internal.multipart;

import dev.porter.http.Headers;
import dev.porter.http.HttpException;
import dev.porter.http.Status;
import dev.porter.http.internal.Ascii;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@code multipart/form-data} body (RFC 7578, framed as RFC 2046 §5.1.1 says) as a pure state machine over
 * bytes: {@link #feed} takes the body in pieces of any size, down to one byte, and reports each part to a
 * {@link Sink} as it goes, so a file of any size passes through a buffer of the caller's choosing and is never held
 * whole. The result does not depend on how the body was split.
 *
 * <p>How the delimiter is found: the body is read as if it began with CRLF, so the first boundary and every later
 * one are the same byte string, {@code CRLF "--" boundary} (§5.1.1: a delimiter starts a line). Part data is matched
 * against it with Knuth-Morris-Pratt; bytes that might begin a delimiter are held back only as a count of matched
 * bytes, and when the match fails they are given to the sink from the delimiter itself (they are equal to its
 * prefix), so nothing is buffered across calls but the part's header lines, bounded by a limit
 * ({@link #MAX_HEADER_BYTES} unless given).
 *
 * <p>Strict where laxness would be ambiguous: a part needs {@code Content-Disposition: form-data} with a
 * {@code name} (RFC 7578 §4.2), header lines are {@code token ":" value} and end with CRLF (no obs-fold), a
 * delimiter is followed by {@code --} (the close delimiter) or optional whitespace and CRLF. Anything else, a body
 * that ends before the close delimiter, or more parts than the limit ({@link #MAX_PARTS} unless given) is refused
 * with 400. The preamble and epilogue are ignored. Not thread-safe: one parser per body.
 */
public final class MultipartParser {

    /** Largest header section of one part by default; a browser's is about 150 bytes. */
    public static final int MAX_HEADER_BYTES = 8192;
    /** Most parts in one body by default: bounds the work a request can cause beyond its size. */
    public static final int MAX_PARTS = 1000;

    /** Receives what the parser finds, in order: for each part, start, data (zero or more times), end. */
    public interface Sink {
        /** A part begins; its data follows. */
        void partStart(Part part) throws IOException;

        /** Some of the current part's data: valid only during the call (the bytes belong to the parser or caller). */
        void partData(byte[] b, int off, int len) throws IOException;

        /** The current part ended. */
        void partEnd() throws IOException;
    }

    /**
     * One part's header fields.
     *
     * @param name        the form field's name ({@code name} parameter of Content-Disposition)
     * @param fileName    the {@code filename} parameter as sent (else {@code filename*} decoded), or null when the
     *                    part is not a file
     * @param contentType the part's Content-Type, or null
     * @param headers     every header field of the part, in order
     */
    public record Part(String name, String fileName, String contentType, Headers headers) {
    }

    private enum State { PREAMBLE, AFTER_DELIMITER, CLOSE_DASH, DELIMITER_CR, HEADERS, BODY, EPILOGUE }

    private final byte[] delimiter;
    private final int[] fallback;
    private final Sink sink;
    private final int maxParts;
    private final int maxHeaderBytes;
    private State state = State.PREAMBLE;
    /** How many bytes of {@link #delimiter} are matched; they are held back from the sink until the match fails. */
    private int matched = 2; // the CRLF the body is read as beginning with
    /** The current part's header section so far: grown on demand up to {@link #maxHeaderBytes}. */
    private byte[] header;
    private int headerLength;
    private int parts;

    /**
     * A parser with the default limits, {@link #MAX_PARTS} and {@link #MAX_HEADER_BYTES}.
     *
     * @param boundary the boundary parameter of the body's Content-Type ({@link #boundary(String)})
     * @param sink     where parts go
     */
    public MultipartParser(String boundary, Sink sink) {
        this(boundary, MAX_PARTS, MAX_HEADER_BYTES, sink);
    }

    /**
     * @param boundary       the boundary parameter of the body's Content-Type ({@link #boundary(String)})
     * @param maxParts       most parts accepted (more: 400)
     * @param maxHeaderBytes largest header section of one part, its closing empty line included (larger: 400)
     * @param sink           where parts go
     */
    public MultipartParser(String boundary, int maxParts, int maxHeaderBytes, Sink sink) {
        if (maxParts < 1 || maxHeaderBytes < 4) throw new IllegalArgumentException("maxParts >= 1, maxHeaderBytes >= 4");
        this.maxParts = maxParts;
        this.maxHeaderBytes = maxHeaderBytes;
        this.header = new byte[Math.min(256, maxHeaderBytes)];
        byte[] b = boundary.getBytes(StandardCharsets.ISO_8859_1);
        this.delimiter = new byte[b.length + 4];
        delimiter[0] = '\r';
        delimiter[1] = '\n';
        delimiter[2] = '-';
        delimiter[3] = '-';
        System.arraycopy(b, 0, delimiter, 4, b.length);
        this.fallback = fallback(delimiter);
        this.sink = sink;
    }

    /** KMP's failure function: for k matched bytes, the longest proper prefix of the delimiter that ends them. */
    private static int[] fallback(byte[] d) {
        int[] f = new int[d.length + 1];
        int k = 0;
        for (int i = 1; i < d.length; i++) {
            while (k > 0 && d[i] != d[k]) k = f[k];
            if (d[i] == d[k]) k++;
            f[i + 1] = k;
        }
        return f;
    }

    /**
     * @return the boundary parameter of a {@code multipart/form-data} Content-Type value, or null if the value is
     *         not that type, has no valid boundary (1 to 70 characters, RFC 2046 §5.1.1) or repeats a parameter
     */
    public static String boundary(String contentType) {
        if (!isFormData(contentType)) return null;
        HeaderParams p = HeaderParams.parse(contentType);
        // Two boundaries: a filter in front may split the body on the other one (RFC 6838 §4.3: an error).
        if (p == null || p.repeated()) return null;
        String b = p.get("boundary");
        if (b == null || b.isEmpty() || b.length() > 70 || b.endsWith(" ")) return null;
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            boolean bchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!bchar) return null;
        }
        return b;
    }

    /**
     * @param notAForm the 415's message when {@code contentType} is not {@code multipart/form-data}
     * @return the boundary parameter of a {@code multipart/form-data} Content-Type ({@link #boundary(String)})
     * @throws HttpException 415 if the type is another, 400 if it has no valid boundary
     */
    public static String requireBoundary(String contentType, String notAForm) {
        if (!isFormData(contentType)) throw new HttpException(Status.UNSUPPORTED_MEDIA_TYPE, notAForm);
        String boundary = boundary(contentType);
        if (boundary == null) throw new HttpException(Status.BAD_REQUEST, "multipart/form-data without a valid boundary parameter");
        return boundary;
    }

    /**
     * @return true if {@code contentType} names {@code multipart/form-data}, whatever its parameters (malformed ones
     *         are the form's fault, so a 400 from {@link #boundary}, not a 415)
     */
    public static boolean isFormData(String contentType) {
        if (contentType == null) return false;
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().equalsIgnoreCase("multipart/form-data");
    }

    /** Parses {@code len} more bytes of the body. @throws HttpException 400 if the body is malformed */
    public void feed(byte[] b, int off, int len) throws IOException {
        for (int i = off, end = off + len; i < end; ) i += feedUntilPart(b, i, end - i);
    }

    /**
     * Parses up to {@code len} more bytes, stopping right after a part starts (after {@link Sink#partStart}), so
     * that a reader can take up the part before the parser moves on; {@link #feed} is this in a loop.
     *
     * @return how many bytes were parsed: {@code len}, or fewer when a part started
     * @throws HttpException 400 if the body is malformed
     */
    public int feedUntilPart(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case PREAMBLE, BODY -> i = scan(b, i, end);
                case AFTER_DELIMITER -> {
                    byte c = b[i++];
                    if (c == '-') state = State.CLOSE_DASH;
                    else if (c == '\r') state = State.DELIMITER_CR;
                    else if (c != ' ' && c != '\t') throw malformed("a boundary is followed by something else than CRLF");
                }
                case CLOSE_DASH -> {
                    if (b[i++] != '-') throw malformed("a boundary is followed by a single dash");
                    state = State.EPILOGUE;
                }
                case DELIMITER_CR -> {
                    if (b[i++] != '\n') throw malformed("a boundary line ends with CR without LF");
                    if (++parts > maxParts) throw malformed("more than " + maxParts + " parts");
                    headerLength = 0;
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    i = headers(b, i, end);
                    if (state == State.BODY) return i - off;
                }
                case EPILOGUE -> i = end;
            }
        }
        return len;
    }

    /** @throws HttpException 400 if the body ended before its close delimiter */
    public void finish() {
        if (state != State.EPILOGUE) throw malformed("the body ended before its closing boundary");
    }

    /** @return true once the close delimiter was read */
    public boolean complete() {
        return state == State.EPILOGUE;
    }

    /** Looks for the delimiter; in a part's body, gives every byte that is not part of it to the sink. */
    private int scan(byte[] b, int i, int end) throws IOException {
        boolean data = state == State.BODY;
        byte first = delimiter[0];
        int run = -1; // start of data in b not yet given to the sink
        while (i < end) {
            if (matched == 0) {
                int start = i;
                while (i < end && b[i] != first) i++; // the common case: a run of data without CR
                if (i > start && run < 0) run = start;
                if (i == end) break;
            }
            byte c = b[i];
            while (matched > 0 && delimiter[matched] != c) {
                int keep = fallback[matched];
                if (data) sink.partData(delimiter, 0, matched - keep); // held back, but not a delimiter after all
                matched = keep;
            }
            if (delimiter[matched] == c) {
                if (matched == 0 && run >= 0) {
                    if (data) sink.partData(b, run, i - run);
                    run = -1;
                }
                i++;
                if (++matched == delimiter.length) {
                    matched = 0;
                    if (data) sink.partEnd();
                    state = State.AFTER_DELIMITER;
                    return i;
                }
            } else {
                if (run < 0) run = i;
                i++;
            }
        }
        if (run >= 0 && data) sink.partData(b, run, end - run);
        return end;
    }

    /** Collects the header section up to its empty line, then starts the part. */
    private int headers(byte[] b, int i, int end) throws IOException {
        while (i < end) {
            if (headerLength == header.length) {
                if (headerLength >= maxHeaderBytes) throw malformed("a part's header section is over " + maxHeaderBytes + " bytes");
                header = Arrays.copyOf(header, (int) Math.min(maxHeaderBytes, 2L * header.length));
            }
            header[headerLength++] = b[i++];
            if (headerLength >= 2 && header[headerLength - 2] == '\r' && header[headerLength - 1] == '\n'
                    && (headerLength == 2 || (headerLength >= 4 && header[headerLength - 4] == '\r'
                    && header[headerLength - 3] == '\n'))) {
                Part part = part(header, headerLength - 2);
                state = State.BODY;
                matched = 0;
                sink.partStart(part);
                return i;
            }
        }
        return i;
    }

    /** Reads the header lines in {@code h[0, len)} (each ending CRLF); names Content-Disposition and Content-Type. */
    static Part part(byte[] h, int len) {
        String disposition = null;
        String type = null;
        Headers all = new Headers();
        int i = 0;
        while (i < len) {
            int eol = i;
            while (h[eol] != '\r' || h[eol + 1] != '\n') {
                if (h[eol] == '\r' || h[eol] == '\n' || h[eol] == 0) throw malformed("a bare CR, LF or NUL in a part's header");
                eol++;
            }
            if (h[i] == ' ' || h[i] == '\t') throw malformed("a folded header line in a part");
            int colon = i;
            while (colon < eol && h[colon] != ':') colon++;
            if (colon == eol || colon == i) throw malformed("a part's header line has no name");
            for (int k = i; k < colon; k++) {
                if (!Ascii.isTchar(h[k])) throw malformed("a part's header name is not a token");
            }
            String name = new String(h, i, colon - i, StandardCharsets.US_ASCII);
            // Browsers send file names as raw UTF-8 (the HTML standard's form encoding), not RFC 2231 (RFC 7578 §4.2).
            String value = new String(h, colon + 1, eol - colon - 1, StandardCharsets.UTF_8).strip();
            all.add(name, value);
            if (name.equalsIgnoreCase("Content-Disposition")) {
                if (disposition != null) throw malformed("two Content-Disposition fields in a part");
                disposition = value;
            } else if (name.equalsIgnoreCase("Content-Type")) {
                if (type != null) throw malformed("two Content-Type fields in a part");
                type = value;
            } else if (name.equalsIgnoreCase("Content-Transfer-Encoding") && !value.equalsIgnoreCase("binary")
                    && !value.equalsIgnoreCase("8bit") && !value.equalsIgnoreCase("7bit")) {
                // RFC 7578 §4.7: deprecated, and no sender is known to use it; base64 or quoted-printable data
                // given back undecoded would be silently wrong, so it is refused rather than ignored.
                throw malformed("a part in a Content-Transfer-Encoding other than binary, 8bit or 7bit");
            }
            i = eol + 2;
        }
        if (disposition == null) throw malformed("a part without Content-Disposition");
        HeaderParams p = HeaderParams.parse(disposition);
        if (p == null || !p.value().equalsIgnoreCase("form-data")) throw malformed("a part that is not form-data");
        // Two names or file names would be read one way here and the other way by another parser.
        if (p.repeated()) throw malformed("a Content-Disposition parameter given twice");
        String field = p.get("name");
        if (field == null) throw malformed("a part without a field name");
        String fileName = p.get("filename");
        // RFC 7578 §4.2: senders must not use filename* (RFC 8187), and browsers do not; some libraries did (urllib3
        // 1.x for non-ASCII names), so it is read when it is the only name given.
        if (fileName == null && p.get("filename*") != null) fileName = extValue(p.get("filename*"));
        return new Part(field, fileName, type, all);
    }

    /** @return an RFC 8187 §3.2 ext-value ({@code charset'lang'pct-encoded}) decoded; UTF-8 or ISO-8859-1 only */
    static String extValue(String v) {
        int q1 = v.indexOf('\'');
        int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
        if (q2 < 0) throw malformed("filename* is not charset'language'value");
        String charset = v.substring(0, q1);
        Charset cs;
        if (charset.equalsIgnoreCase("UTF-8")) cs = StandardCharsets.UTF_8;
        else if (charset.equalsIgnoreCase("ISO-8859-1")) cs = StandardCharsets.ISO_8859_1;
        else throw malformed("filename* in a charset other than UTF-8 or ISO-8859-1");
        byte[] out = new byte[v.length()];
        int n = 0;
        for (int i = q2 + 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%') {
                int hi = i + 2 < v.length() ? Character.digit(v.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(v.charAt(i + 2), 16);
                if (lo < 0) throw malformed("filename* holds a malformed %-escape");
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c < 0x7F && Ascii.isTchar((byte) c) && c != '*' && c != '\'') {
                out[n++] = (byte) c; // attr-char: a token character but '*', '\'' and '%'
            } else {
                throw malformed("filename* holds a character that must be %-encoded");
            }
        }
        return new String(out, 0, n, cs);
    }

    private static HttpException malformed(String why) {
        return new HttpException(Status.BAD_REQUEST, "malformed multipart body: " + why);
    }
}
