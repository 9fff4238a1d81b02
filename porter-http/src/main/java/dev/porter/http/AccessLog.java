package dev.porter.http;

import dev.porter.core.IpText;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Receives one entry per completed request. Called on the connection's thread after the response was written,
 * so an implementation must be thread-safe and quick. {@link #combined(Consumer)} writes the Combined Log Format;
 * where the output may block (a pipe nobody reads), {@link AsyncAccessLog} keeps requests from waiting for it.
 */
@FunctionalInterface
public interface AccessLog {

    /** Records one request. */
    void log(Entry entry);

    /**
     * One completed request.
     *
     * @param remote        the client
     * @param time          when the request head was received
     * @param method        the method, or "-" if the request line was unreadable
     * @param target        the request-target, or "-"
     * @param version       the protocol version, or "-"
     * @param status        the status sent
     * @param bytes         body bytes sent
     * @param referer       the Referer header, or null
     * @param userAgent     the User-Agent header, or null
     * @param durationNanos time from the head's arrival to the end of the response
     */
    record Entry(InetSocketAddress remote, Instant time, String method, String target, String version, int status,
                 long bytes, String referer, String userAgent, long durationNanos) {

        private static final DateTimeFormatter CLF_TIME =
                DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

        /** @return the entry in Combined Log Format (Common Log Format plus referer and user agent) */
        public String combined() {
            StringBuilder sb = new StringBuilder(160);
            sb.append(IpText.of(remote.getAddress())).append(" - - [").append(CLF_TIME.format(time)).append("] \"")
                    .append(method).append(' ').append(escape(target)).append(' ').append(version).append("\" ")
                    .append(status).append(' ').append(bytes == 0 ? "-" : Long.toString(bytes)).append(" \"")
                    .append(referer == null ? "-" : escape(referer)).append("\" \"")
                    .append(userAgent == null ? "-" : escape(userAgent)).append('"');
            return sb.toString();
        }

        /** Escapes quotes, backslashes and non-printable bytes so a log line cannot be forged. */
        private static String escape(String s) {
            StringBuilder sb = null;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean bad = c == '"' || c == '\\' || c < 0x20 || c >= 0x7F;
                if (bad && sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                if (sb != null) {
                    if (bad) sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xFF));
                    else sb.append(c);
                }
            }
            return sb == null ? s : sb.toString();
        }
    }

    /** @return an access log writing Combined Log Format lines to {@code sink} */
    static AccessLog combined(Consumer<String> sink) {
        return e -> sink.accept(e.combined());
    }
}
