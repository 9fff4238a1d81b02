package dev.porter.http.internal;

import java.nio.charset.StandardCharsets;

/** Interns the common methods so parsing them allocates nothing. Methods are case-sensitive (RFC 9110 §9.1). */
public final class Methods {

    private static final String[] COMMON = {"GET", "PUT", "POST", "HEAD", "PATCH", "TRACE", "DELETE", "OPTIONS", "CONNECT"};

    /**
     * The longest method token this server knows: longer than every method in the IANA HTTP Method Registry (the
     * longest, UPDATEREDIRECTREF, has 17 characters). A longer token in a request line is answered 501 at once
     * (RFC 9112 §3), and {@link dev.porter.http.Router} refuses to route a longer method.
     */
    public static final int MAX_LENGTH = 24;

    private Methods() {
    }

    public static String intern(byte[] b, int off, int len) {
        for (String m : COMMON) {
            if (m.length() == len && matches(b, off, m)) return m;
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    private static boolean matches(byte[] b, int off, String m) {
        for (int i = 0; i < m.length(); i++) {
            if (b[off + i] != m.charAt(i)) return false;
        }
        return true;
    }
}
