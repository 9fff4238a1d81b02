package dev.porter.http.internal.http1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent reference for the request grammar (RFC 9112 §2-§7, RFC 9110 §5), written plainly with regular
 * expressions over Latin-1 text, so the fuzz tests can cross-check Porter's byte-level parser against a second
 * reading of the RFC. It knows the grammar and the limits Porter documents, nothing of Porter's code.
 */
final class RequestGrammar {

    private static final String TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
    private static final Pattern REQUEST_LINE =
            Pattern.compile("(" + TCHAR + "+) ([\\x21-\\x7E]+) HTTP/1\\.([01])");
    private static final Pattern FIELD_LINE = Pattern.compile("(" + TCHAR + "+):[ \\t]*(.*?)[ \\t]*", Pattern.DOTALL);
    /** field-value = *field-content: visible characters, SP/HTAB inside, obs-text (RFC 9110 §5.5). */
    private static final Pattern FIELD_VALUE = Pattern.compile("[\\t\\x20-\\x7E\\x80-\\xFF]*");
    private static final Pattern SIMPLE_HOST = Pattern.compile("[A-Za-z0-9.\\-]*(:[0-9]{1,5})?");
    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9A-Fa-f]++");
    /** One chunk-ext element (RFC 9112 §7.1.1); quoted-string per RFC 9110 §5.6.4, written to match without recursion. */
    private static final String QDTEXT = "[\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]";
    private static final Pattern CHUNK_EXT = Pattern.compile("\\G[ \\t]*+;[ \\t]*+" + TCHAR + "++(?:[ \\t]*+=[ \\t]*+(?:"
            + TCHAR + "++|\"" + QDTEXT + "*+(?:\\\\[\\t\\x20-\\x7E\\x80-\\xFF]" + QDTEXT + "*+)*+\"))?");

    /** Leading empty lines Porter tolerates before a request line. */
    static final int MAX_LEADING_EMPTY_LINES = 8;

    private RequestGrammar() {
    }

    /**
     * A request head as the grammar reads it; {@code length} is the bytes it spans, leading empty lines included;
     * {@code fieldBytes} the bytes of its field lines with their line ends (the final empty line excluded).
     */
    record Head(String method, String target, int version, List<String[]> fields, int length, int requestLineLength,
                int fieldBytes) {

        int count(String name) {
            int n = 0;
            for (String[] f : fields) if (f[0].equalsIgnoreCase(name)) n++;
            return n;
        }

        String first(String name) {
            for (String[] f : fields) if (f[0].equalsIgnoreCase(name)) return f[1];
            return null;
        }
    }

    /**
     * Reads a head from the start of {@code in} by the grammar alone (no limits, no field semantics).
     *
     * @return the head, or null if the bytes are not a complete, well-formed head
     */
    static Head head(byte[] in, boolean lenient) {
        int pos = 0;
        int empties = 0;
        String requestLine = null;
        int requestLineLength = 0;
        while (requestLine == null) {
            int lf = indexOf(in, pos, (byte) '\n');
            if (lf < 0) return null;
            String line = lineContent(in, pos, lf, lenient);
            if (line == null) return null;
            pos = lf + 1;
            if (line.isEmpty()) {
                if (++empties > MAX_LEADING_EMPTY_LINES) return null;
                continue;
            }
            requestLine = line;
            requestLineLength = line.length();
        }
        Matcher m = REQUEST_LINE.matcher(requestLine);
        if (!m.matches()) return null;
        List<String[]> fields = new ArrayList<>();
        int sectionStart = pos;
        int fieldBytes;
        while (true) {
            int lf = indexOf(in, pos, (byte) '\n');
            if (lf < 0) return null;
            String line = lineContent(in, pos, lf, lenient);
            if (line == null) return null;
            if (line.isEmpty()) {
                fieldBytes = pos - sectionStart;
                pos = lf + 1;
                break;
            }
            pos = lf + 1;
            Matcher f = FIELD_LINE.matcher(line);
            if (!f.matches() || !FIELD_VALUE.matcher(f.group(2)).matches()) return null;
            fields.add(new String[] {f.group(1), f.group(2)});
        }
        return new Head(m.group(1), m.group(2), 10 + Integer.parseInt(m.group(3)), fields, pos, requestLineLength,
                fieldBytes);
    }

    /**
     * @return true if {@code h} is a plain request every HTTP/1.1 server must accept: version 1.1, origin-form
     *         target, one simple Host, no field that changes framing or expectations, within the given limits
     */
    static boolean plainlyAcceptable(Head h, int maxRequestLineLength, int maxHeaderBytes, int maxHeaderCount) {
        if (h.version() != 11 || !h.target().startsWith("/") || h.method().equals("CONNECT")) return false;
        // RFC 9112 §3: a method longer than any the server implements may be answered 501; this server's longest
        // is 24 bytes (finding-oracle-long-method-answered-501: a 30-byte token was taken for a plain request).
        if (h.method().length() > 24) return false;
        if (h.count("Host") != 1 || !SIMPLE_HOST.matcher(h.first("Host")).matches()) return false;
        for (String name : new String[] {"Content-Length", "Transfer-Encoding", "Expect"}) {
            if (h.count(name) > 0) return false;
        }
        return h.requestLineLength() <= maxRequestLineLength && h.fieldBytes() <= maxHeaderBytes
                && h.fields().size() <= maxHeaderCount;
    }

    /** @return the line {@code [from, lf)} without its line end, or null if its end or content is not allowed */
    private static String lineContent(byte[] in, int from, int lf, boolean lenient) {
        int end = lf;
        if (end > from && in[end - 1] == '\r') end--;
        else if (!lenient) return null;
        for (int i = from; i < end; i++) if (in[i] == '\r') return null; // bare CR (RFC 9112 §2.2)
        return new String(in, from, end - from, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] in, int from, byte b) {
        for (int i = from; i < in.length; i++) if (in[i] == b) return i;
        return -1;
    }

    /** The outcome of decoding a chunked body: the data and trailers and where it ended, or the status refusing it. */
    record Chunked(byte[] data, List<String[]> trailers, int end, int status) {
        boolean accepted() {
            return status == 0;
        }
    }

    /**
     * Decodes a chunked body (RFC 9112 §7.1) starting at {@code off}, applying Porter's documented limits: a
     * body over {@code limit} bytes is 413, more than {@code maxTrailerCount} trailer fields 431, a size line
     * over {@code maxSizeLine} bytes or a trailer section over {@code maxTrailerBytes} bytes 400, and at most
     * 15 hex digits in a chunk size.
     */
    static Chunked chunked(byte[] in, int off, boolean lenient, long limit, int maxSizeLine, int maxTrailerBytes,
                           int maxTrailerCount) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int pos = off;
        while (true) {
            int lf = indexOf(in, pos, (byte) '\n');
            if (lf < 0 || lf - pos > maxSizeLine + 1) return refused(400);
            String line = lineContent(in, pos, lf, lenient);
            if (line == null) return refused(400);
            Matcher m = CHUNK_SIZE.matcher(line);
            if (!m.lookingAt() || m.end() > 15 || !extensions(line, m.end())) return refused(400);
            long size = Long.parseLong(m.group(), 16);
            pos = lf + 1;
            if (size == 0) break;
            if (data.size() + size > limit) return refused(413);
            if (in.length - pos < size) return refused(400);
            data.write(in, pos, (int) size);
            pos += (int) size;
            if (in.length - pos >= 2 && in[pos] == '\r' && in[pos + 1] == '\n') pos += 2;
            else if (lenient && in.length - pos >= 1 && in[pos] == '\n') pos += 1;
            else return refused(400);
        }
        List<String[]> trailers = new ArrayList<>();
        int bytes = 0;
        while (true) {
            int lf = indexOf(in, pos, (byte) '\n');
            if (lf < 0 || lf - pos > Math.max(0, maxTrailerBytes - bytes) + 1) return refused(400);
            boolean crlf = lf > pos && in[lf - 1] == '\r';
            if (!crlf && !lenient) return refused(400);
            int end = crlf ? lf - 1 : lf;
            bytes += lf + 1 - pos;
            String line = new String(in, pos, end - pos, StandardCharsets.ISO_8859_1);
            pos = lf + 1;
            if (line.isEmpty()) return new Chunked(data.toByteArray(), trailers, pos, 0);
            // The count is checked before the line's content (either refusal is right; this is Porter's order).
            if (trailers.size() >= maxTrailerCount) return refused(431);
            if (line.indexOf('\r') >= 0) return refused(400);
            Matcher f = FIELD_LINE.matcher(line);
            if (!f.matches() || !FIELD_VALUE.matcher(f.group(2)).matches()) return refused(400);
            trailers.add(new String[] {f.group(1), f.group(2)});
        }
    }

    /** @return true if {@code line} from {@code from} on is a sequence of chunk extensions */
    private static boolean extensions(String line, int from) {
        Matcher m = CHUNK_EXT.matcher(line);
        int pos = from;
        m.region(from, line.length());
        while (pos < line.length()) {
            if (!m.find() || m.start() != pos || m.end() == pos) return false;
            pos = m.end();
        }
        return true;
    }

    private static Chunked refused(int status) {
        return new Chunked(null, List.of(), -1, status);
    }

    /** @return true if the comma-separated {@code list} holds {@code token} (case-insensitive) */
    static boolean listHas(String list, String token) {
        for (String part : list.split(",")) {
            if (part.strip().toLowerCase(Locale.ROOT).equals(token)) return true;
        }
        return false;
    }
}
