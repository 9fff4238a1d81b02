package dev.porter.http.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Large test files with content that is not periodic (every MiB carries its index), and their digests. */
public final class TestFiles {

    private static final int BLOCK = 1 << 20;

    private TestFiles() {
    }

    /**
     * Writes {@code size} bytes of pseudo-random content to {@code file}.
     *
     * @return the SHA-256 of what was written, in hex
     */
    public static String write(Path file, long size) throws IOException {
        byte[] pattern = new byte[BLOCK];
        new Random(20240601).nextBytes(pattern);
        byte[] block = new byte[BLOCK];
        MessageDigest sha = sha256();
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0, index = 0; written < size; index++) {
                System.arraycopy(pattern, 0, block, 0, BLOCK);
                for (int i = 0; i < 8; i++) block[i] = (byte) (index >>> (8 * i));
                int n = (int) Math.min(BLOCK, size - written);
                out.write(block, 0, n);
                sha.update(block, 0, n);
                written += n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** @return the SHA-256 of a file, in hex */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[BLOCK];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
