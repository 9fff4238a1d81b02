package dev.porter.http.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP response exactly as it came off the wire, parsed by {@link HttpWire#readResponse()}.
 *
 * @param version the protocol version of the status line, e.g. {@code HTTP/1.1}
 * @param status  the status code
 * @param reason  the reason phrase
 * @param fields  the header fields in order, each {@code {name, value}}
 * @param body    the body, de-chunked if it was chunked
 * @param chunked true if the body came with {@code Transfer-Encoding: chunked}
 */
public record WireResponse(String version, int status, String reason, List<String[]> fields, byte[] body,
                           boolean chunked) {

    /** @return the first value of header {@code name} (case-insensitive), or null */
    public String header(String name) {
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) return f[1];
        }
        return null;
    }

    /** @return every value of header {@code name} (case-insensitive) */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) out.add(f[1]);
        }
        return out;
    }

    /** @return true if the header field {@code name} is present */
    public boolean has(String name) {
        return header(name) != null;
    }

    /** @return the body as UTF-8 text */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return true if the response announced {@code Connection: close} */
    public boolean closes() {
        String c = header("Connection");
        return c != null && c.toLowerCase(java.util.Locale.ROOT).contains("close");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(version).append(' ').append(status).append(' ').append(reason).append('\n');
        for (String[] f : fields) sb.append(f[0]).append(": ").append(f[1]).append('\n');
        return sb.append('\n').append(text()).toString();
    }
}
