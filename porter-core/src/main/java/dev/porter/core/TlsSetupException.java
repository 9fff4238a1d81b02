package dev.porter.core;

import java.io.IOException;

/**
 * TLS could not be set up: a key or certificate file is missing, unreadable or malformed, a certificate does not
 * match its key or has expired, or the JDK lacks what the configuration asks for. The message is one line naming
 * the file and the problem, fit to show a user as it is.
 */
public final class TlsSetupException extends IOException {

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
