package dev.porter.http.internal.files;

import dev.porter.http.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the file bodies that cannot go out in one {@link Response#sendFile} call: several ranges as
 * {@code multipart/byteranges} (RFC 9110 §14.6) and gzip compressed on the fly. Both stream the file through a
 * small buffer, never holding it whole. (Single files and single ranges use {@code sendFile}, which is zero-copy.)
 */
public final class FileBodies {

    private static final int BUFFER = 16 * 1024;

    private FileBodies() {
    }

    /**
     * Sends {@code slices} of {@code file} as one {@code multipart/byteranges} body with an exact Content-Length,
     * computed before the first byte is written.
     *
     * @param type  the media type of the representation, repeated in each part
     * @param total the representation's length, for each part's Content-Range
     */
    public static void multipart(Response res, FileChannel file, List<Ranges.Slice> slices, long total, String type)
            throws IOException {
        String boundary = boundary();
        byte[][] heads = new byte[slices.size()][];
        long length = 0;
        for (int i = 0; i < slices.size(); i++) {
            Ranges.Slice s = slices.get(i);
            // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1); the first part needs none.
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + type
                    + "\r\nContent-Range: " + s.contentRange(total) + "\r\n\r\n";
            heads[i] = head.getBytes(StandardCharsets.US_ASCII);
            length += heads[i].length + s.length();
        }
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        length += tail.length;
        res.contentType("multipart/byteranges; boundary=" + boundary);
        res.contentLength(length);
        OutputStream out = res.stream();
        byte[] buf = new byte[BUFFER];
        for (int i = 0; i < slices.size(); i++) {
            out.write(heads[i]);
            copy(file, slices.get(i).first(), slices.get(i).length(), buf, out);
        }
        out.write(tail);
        out.close();
    }

    /**
     * Sends {@code length} bytes of {@code file} gzip-compressed, as a stream of unknown length (chunked on
     * HTTP/1.1, close-delimited on HTTP/1.0).
     */
    public static void gzip(Response res, FileChannel file, long length) throws IOException {
        byte[] buf = new byte[BUFFER];
        try (OutputStream gz = new GZIPOutputStream(res.stream(), BUFFER)) {
            copy(file, 0, length, buf, gz);
        }
    }

    private static void copy(FileChannel file, long position, long length, byte[] buf, OutputStream out)
            throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf);
        long pos = position;
        long left = length;
        while (left > 0) {
            bb.clear().limit((int) Math.min(buf.length, left));
            int n = file.read(bb, pos);
            if (n < 0) throw new IOException("file shrank while being sent: " + (length - left) + " of " + length + " bytes");
            out.write(buf, 0, n);
            pos += n;
            left -= n;
        }
    }

    private static String boundary() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String hex = Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
        return "porter-" + hex;
    }
}
