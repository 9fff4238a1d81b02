package dev.porter.http.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP/1.1 response read off a raw socket with its body hashed as it passes, never held: what the large-upload
 * tests compare with the SHA-256 of what they sent.
 *
 * @param status the status code
 * @param length the body's length in bytes
 * @param digest the body's SHA-256, in hex
 */
public record HashedEcho(int status, long length, String digest) {

    /** Reads the response head, then its body (Content-Length or chunked), hashing it. */
    public static HashedEcho read(InputStream in) throws IOException {
        String status = line(in);
        assertThat(status).startsWith("HTTP/1.1 ");
        long length = -1;
        boolean chunked = false;
        for (String f; !(f = line(in)).isEmpty(); ) {
            String lower = f.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(f.substring(15).strip());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        MessageDigest sha = sha256();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        if (chunked) {
            while (true) {
                String sizeLine = line(in);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers: none expected
                    }
                    break;
                }
                total += copy(in, size, sha, buf);
                assertThat(line(in)).as("CRLF after chunk data").isEmpty();
            }
        } else {
            total = copy(in, length, sha, buf);
        }
        return new HashedEcho(Integer.parseInt(status.substring(9, 12)), total, HexFormat.of().formatHex(sha.digest()));
    }

    private static long copy(InputStream in, long n, MessageDigest sha, byte[] buf) throws IOException {
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) throw new IOException("echo ended " + left + " bytes early");
            sha.update(buf, 0, r);
            left -= r;
        }
        return n;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("stream ended inside a line");
            sb.append((char) c);
        }
        return sb.toString().strip();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
