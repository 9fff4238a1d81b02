package dev.porter.http.internal.http1;

import dev.porter.core.Connection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Writes a file's bytes as an HTTP/1.1 body behind a head already in the output buffer: the cheapest way for each case. */
final class FileWrites {

    /** Bytes per send of content held in memory: four TLS records. */
    private static final int CHUNK = 64 * 1024;

    private FileWrites() {
    }

    /**
     * Writes {@code length} bytes from {@code position}: of {@code content} (a file held in direct memory, sent
     * as it is: TLS encrypts straight from it) if not null, else of {@code file}, behind the head in the output
     * buffer when it fits (one write, cheaper than sendfile), else with sendfile.
     *
     * @throws IOException if the file ends before {@code length} bytes, or the connection failed
     */
    static void body(Connection c, FileChannel file, ByteBuffer content, long position, long length) throws IOException {
        if (content != null) {
            // In chunks the size of a file batch: TLS encrypts each straight from the shared buffer (slices:
            // never moved), and the write timeout runs per send, so a slow reader of a large file is timed per
            // 64 KiB, not per body. One send of the whole body measured no cheaper (docs/tls.md, fourth round).
            for (int at = content.position(), end = content.limit(); at < end; at += CHUNK) {
                c.send(content.slice(at, Math.min(CHUNK, end - at)));
            }
            return;
        }
        byte[] o = c.output().array();
        if (length > o.length - c.output().length()) {
            long sent = c.transferFrom(file, position, length);
            if (sent != length) throw new IOException("file shrank while being sent: " + sent + " of " + length + " bytes");
            return;
        }
        ByteBuffer dst = ByteBuffer.wrap(o, c.output().length(), (int) length);
        long pos = position;
        while (dst.hasRemaining()) {
            int n = file.read(dst, pos);
            if (n < 0) throw new IOException("file shorter than its announced length");
            pos += n;
        }
        c.output().advance((int) length);
    }
}
