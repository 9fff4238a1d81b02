package dev.porter.http.internal.client;

import dev.porter.http.internal.Ascii;

import java.util.Objects;

/**
 * What a field of a client's request may be, checked in one place for {@link dev.porter.http.ClientRequest.Builder}
 * and for the proxy's {@link PreparedRequest}: a token for a name (RFC 9110 §5.1), a value without CR, LF or NUL
 * (§5.5), and no framing field, which the client sets from the body (RFC 9112 §6).
 */
public final class ClientFields {

    private ClientFields() {
    }

    /** @throws IllegalArgumentException if the field cannot be sent; NullPointerException for a null value */
    public static void check(String name, String value) {
        Objects.requireNonNull(value, "value");
        if (!Ascii.isToken(name)) throw new IllegalArgumentException("header name is not a token: " + name);
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException(name + " is set by the client from the body");
        }
        String problem = Ascii.fieldValueProblem(value);
        if (problem != null) throw new IllegalArgumentException("header " + name + ": " + problem);
    }
}
