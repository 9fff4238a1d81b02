package dev.porter.http.testing;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * {@code size} bytes of varied data for large-upload tests, each 1 MiB block numbered (a lost or repeated block
 * shows), hashed with SHA-256 as read. A read never crosses a block's end. Not thread-safe.
 */
public final class GeneratedBody extends InputStream {

    private static final int BLOCK = 1 << 20;
    private final MessageDigest sha;
    private final byte[] block = new byte[BLOCK];
    private final long size;
    private long position;

    public GeneratedBody(long size) {
        this.size = size;
        new Random(7).nextBytes(block);
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) return -1;
        int inBlock = (int) (position % BLOCK);
        if (inBlock == 0) {
            long n = position / BLOCK;
            for (int i = 0; i < 8; i++) block[i] = (byte) (n >>> (8 * i));
        }
        int count = (int) Math.min(Math.min(len, BLOCK - inBlock), size - position);
        System.arraycopy(block, inBlock, b, off, count);
        sha.update(b, off, count);
        position += count;
        return count;
    }

    /** @return the SHA-256 of what was read, in hex */
    public String digest() {
        return HexFormat.of().formatHex(sha.digest());
    }
}
