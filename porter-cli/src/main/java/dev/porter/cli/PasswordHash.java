package dev.porter.cli;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Passwords of an {@code --auth-file}, hashed with PBKDF2-HMAC-SHA256 (in every JDK, {@code PBKDF2WithHmacSHA256};
 * no library needed). One line per user:
 * <pre>USER:pbkdf2-sha256:ITERATIONS:SALT:HASH</pre>
 * SALT (16 random bytes) and HASH (32 bytes) in base64. {@code porter serve --hash-password USER} reads a
 * password on stdin and prints such a line. {@link #ITERATIONS} follows OWASP's 2023 advice for this function.
 *
 * @param iterations PBKDF2 rounds
 * @param salt       the salt
 * @param hash       the derived key
 */
record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    /** Rounds for new hashes (OWASP Password Storage Cheat Sheet, PBKDF2-HMAC-SHA256). */
    static final int ITERATIONS = 600_000;
    static final String SCHEME = "pbkdf2-sha256";

    /** @return a new hash of {@code password} with a random salt */
    static PasswordHash make(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new PasswordHash(ITERATIONS, salt, derive(password, salt, ITERATIONS));
    }

    /**
     * @param text {@code pbkdf2-sha256:ITERATIONS:SALT:HASH}
     * @throws IllegalArgumentException if it is not that
     */
    static PasswordHash parse(String text) {
        String[] f = text.split(":", -1); // startup only, once per line of the file
        if (f.length != 4 || !f[0].equals(SCHEME)) {
            throw new IllegalArgumentException("expected " + SCHEME + ":ITERATIONS:SALT:HASH");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(f[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count is not a number: " + f[1]);
        }
        if (iterations < 1) throw new IllegalArgumentException("the iteration count must be positive");
        try {
            byte[] salt = Base64.getDecoder().decode(f[2]);
            byte[] hash = Base64.getDecoder().decode(f[3]);
            if (hash.length == 0) throw new IllegalArgumentException("the hash is empty");
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the salt or hash is not base64");
        }
    }

    /** @return true if {@code password} derives to this hash; compared in constant time */
    boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /** @return the text form, without the user */
    String format() {
        return SCHEME + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every JDK since 8 has it (a required algorithm of the platform): its absence is a broken runtime.
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
