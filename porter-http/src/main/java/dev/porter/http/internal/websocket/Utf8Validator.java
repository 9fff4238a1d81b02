package dev.porter.http.internal.websocket;

/**
 * Checks UTF-8 (RFC 3629; the Unicode Standard's table 3-7 of well-formed byte sequences) incrementally, so a text
 * message can be checked fragment by fragment as it arrives and failed at its first bad byte (RFC 6455 §8.1: an
 * endpoint that receives invalid UTF-8 must fail the connection with 1007). Rejects overlong forms, UTF-16
 * surrogates (U+D800–U+DFFF) and code points above U+10FFFF. A sequence may span two calls. Not thread-safe.
 */
public final class Utf8Validator {

    /** Continuation bytes still expected for the current character. */
    private int pending;
    /** Range allowed for the next continuation byte (it is narrower than 80..BF only right after a lead byte). */
    private int low = 0x80;
    private int high = 0xbf;
    private boolean failed;

    /**
     * Checks the next bytes.
     *
     * @return false if the bytes so far are not (the start of) valid UTF-8; once false, always false until
     *         {@link #reset}
     */
    public boolean feed(byte[] b, int off, int len) {
        if (failed) return false;
        int i = off;
        int end = off + len;
        while (i < end) {
            if (pending == 0) {
                // Runs of ASCII are the common case: skip them without state changes.
                while (i < end && b[i] >= 0) i++;
                if (i == end) break;
                int lead = b[i++] & 0xff;
                if (!lead(lead)) {
                    failed = true;
                    return false;
                }
            } else {
                int c = b[i++] & 0xff;
                if (c < low || c > high) {
                    failed = true;
                    return false;
                }
                pending--;
                low = 0x80;
                high = 0xbf;
            }
        }
        return true;
    }

    /** Sets the state for a lead byte (at least 0x80). @return false if it can start no character */
    private boolean lead(int b) {
        if (b >= 0xc2 && b <= 0xdf) {
            pending = 1;
        } else if (b == 0xe0) {
            pending = 2;
            low = 0xa0; // below is an overlong form of U+0000..U+07FF
        } else if (b == 0xed) {
            pending = 2;
            high = 0x9f; // above are the surrogates U+D800..U+DFFF
        } else if (b >= 0xe1 && b <= 0xef) {
            pending = 2;
        } else if (b == 0xf0) {
            pending = 3;
            low = 0x90; // below is an overlong form of U+0000..U+FFFF
        } else if (b >= 0xf1 && b <= 0xf3) {
            pending = 3;
        } else if (b == 0xf4) {
            pending = 3;
            high = 0x8f; // above is beyond U+10FFFF
        } else {
            return false; // 80..C1 (continuation or overlong lead) and F5..FF
        }
        return true;
    }

    /** @return true if everything fed so far is valid and ends on a character boundary */
    public boolean complete() {
        return !failed && pending == 0;
    }

    /** Forgets everything fed, for the next message. */
    public void reset() {
        pending = 0;
        low = 0x80;
        high = 0xbf;
        failed = false;
    }
}
