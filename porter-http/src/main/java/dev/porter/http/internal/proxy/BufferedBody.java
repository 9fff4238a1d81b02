package dev.porter.http.internal.proxy;

import dev.porter.http.ClientRequest;
import dev.porter.http.HttpException;
import dev.porter.http.ProxyConfig;
import dev.porter.http.Status;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A request body read whole before a backend is contacted: in memory up to the threshold, then in a temp file,
 * never more than the limit (RFC 9110 §15.5.14: 413). It protects backends from slow clients (a backend
 * connection is held only while the body is sent at loopback speed), and it can be sent again, so an idempotent
 * request is retried even after it reached a backend. {@link #close()} deletes the file. Not thread-safe.
 */
final class BufferedBody implements AutoCloseable {

    private final ClientRequest.Body body;
    private final Path file;

    private BufferedBody(ClientRequest.Body body, Path file) {
        this.body = body;
        this.file = file;
    }

    /**
     * Reads {@code in} to its end.
     *
     * @throws HttpException 413 if it is longer than the limit; the partial file is deleted
     */
    static BufferedBody read(InputStream in, long declared, ProxyConfig.Buffering cfg) throws IOException {
        if (declared > cfg.limit()) {
            throw new HttpException(Status.CONTENT_TOO_LARGE, "request body of " + declared + " bytes is over the proxy's "
                    + "buffering limit of " + cfg.limit() + " bytes");
        }
        int threshold = (int) cfg.memoryThreshold();
        byte[] mem = new byte[(int) Math.min(threshold, declared >= 0 ? declared : 16 * 1024)];
        int used = 0;
        while (true) {
            if (used == mem.length) {
                if (used >= threshold) return spill(in, mem, used, cfg);
                mem = Arrays.copyOf(mem, (int) Math.min(threshold, Math.max(16 * 1024, (long) used * 2)));
            }
            int n = in.read(mem, used, mem.length - used);
            if (n < 0) {
                return new BufferedBody(used == 0 ? ClientRequest.Body.empty() : ClientRequest.Body.of(
                        used == mem.length ? mem : Arrays.copyOf(mem, used)), null);
            }
            used += n;
        }
    }

    /** Past the memory threshold: what was read goes first into the temp file, then the rest. */
    private static BufferedBody spill(InputStream in, byte[] head, int headLength, ProxyConfig.Buffering cfg) throws IOException {
        Path dir = cfg.tempDirectory() != null ? cfg.tempDirectory() : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "porter-proxy-", ".body");
        boolean done = false;
        try {
            long total = headLength;
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(head, 0, headLength);
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    total += n;
                    if (total > cfg.limit()) {
                        throw new HttpException(Status.CONTENT_TOO_LARGE, "request body is over the proxy's buffering "
                                + "limit of " + cfg.limit() + " bytes");
                    }
                    out.write(buf, 0, n);
                }
            }
            done = true;
            return new BufferedBody(new ClientRequest.Body.FileContent(file, total), file);
        } finally {
            if (!done) Files.deleteIfExists(file);
        }
    }

    /** @return the body, to be sent (more than once if need be) */
    ClientRequest.Body body() {
        return body;
    }

    /** @return the temp file holding the body, or null when it is in memory */
    Path file() {
        return file;
    }

    /** Deletes the temp file, if any. */
    @Override
    public void close() throws IOException {
        if (file != null) Files.deleteIfExists(file);
    }
}
