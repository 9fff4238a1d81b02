package dev.porter.cli;

import dev.porter.http.AccessLog;

import java.io.Console;
import java.lang.reflect.Method;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log of {@code porter serve}: one line per request, by default in Common Log Format
 * ({@code 127.0.0.1 - - [01/May/2026:12:03:04 +0200] "GET / HTTP/1.1" 200 1234}), or Combined (plus referer and user
 * agent, what log analysers such as GoAccess read) or one JSON object (for log shippers); coloured by status class
 * on a terminal (2xx green, 3xx cyan, 4xx yellow, 5xx red; never JSON) and plain otherwise. Only makes the lines:
 * an {@link dev.porter.http.AsyncAccessLog} writes them, on its own thread.
 */
final class ServeLog {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());
    private static final String RESET = "\u001b[0m";

    /** The line formats of {@code --log-format}. */
    enum Format { COMMON, COMBINED, JSON }

    private final boolean colour;
    private final Format format;

    ServeLog(boolean colour, Format format) {
        this.colour = colour && format != Format.JSON;
        this.format = format;
    }

    /** @return the line for {@code e}, without its line end */
    String line(AccessLog.Entry e) {
        String line = switch (format) {
            case COMMON -> format(e);
            case COMBINED -> combined(e);
            case JSON -> json(e);
        };
        return colour ? colourOf(e.status()) + line + RESET : line;
    }

    /** @return the Common Log Format line for {@code e}, with the target escaped so a line cannot be forged */
    static String format(AccessLog.Entry e) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(Addresses.host(e.remote().getAddress())).append(" - - [").append(TIME.format(e.time())).append("] \"");
        escape(sb, e.method());
        sb.append(' ');
        escape(sb, e.target());
        sb.append(' ').append(e.version()).append("\" ").append(e.status()).append(' ')
                .append(e.bytes() == 0 ? "-" : Long.toString(e.bytes()));
        return sb.toString();
    }

    /** @return the Combined Log Format line: Common plus {@code "referer" "user agent"}, escaped the same way */
    static String combined(AccessLog.Entry e) {
        StringBuilder sb = new StringBuilder(format(e)).append(" \"");
        escape(sb, e.referer() == null ? "-" : e.referer());
        sb.append("\" \"");
        escape(sb, e.userAgent() == null ? "-" : e.userAgent());
        return sb.append('"').toString();
    }

    /** @return one JSON object per line (time in UTC, ISO 8601; duration in milliseconds with microseconds) */
    static String json(AccessLog.Entry e) {
        StringBuilder sb = new StringBuilder(256).append("{\"time\":\"").append(e.time()).append("\",\"remote\":\"")
                .append(Addresses.host(e.remote().getAddress())).append("\",\"method\":");
        jsonString(sb, e.method());
        sb.append(",\"target\":");
        jsonString(sb, e.target());
        sb.append(",\"version\":");
        jsonString(sb, e.version());
        sb.append(",\"status\":").append(e.status()).append(",\"bytes\":").append(e.bytes()).append(",\"referer\":");
        if (e.referer() == null) sb.append("null");
        else jsonString(sb, e.referer());
        sb.append(",\"userAgent\":");
        if (e.userAgent() == null) sb.append("null");
        else jsonString(sb, e.userAgent());
        long micros = e.durationNanos() / 1000;
        sb.append(",\"durationMs\":").append(micros / 1000).append('.');
        String frac = Long.toString(1000 + micros % 1000);
        return sb.append(frac, 1, 4).append('}').toString();
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7F) sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            else sb.append(c);
        }
        sb.append('"');
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7F) {
                sb.append("\\x").append(Character.forDigit((c >> 4) & 0xF, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                sb.append(c);
            }
        }
    }

    private static String colourOf(int status) {
        return switch (status / 100) {
            case 2 -> "\u001b[32m";
            case 3 -> "\u001b[36m";
            case 4 -> "\u001b[33m";
            case 5 -> "\u001b[31m";
            default -> "\u001b[0m";
        };
    }

    /**
     * @return true if stdout is a terminal and the user did not ask for plain output ({@code NO_COLOR}, see
     *         no-color.org, or {@code TERM=dumb})
     */
    static boolean colourWanted() {
        if (System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty()) return false;
        if ("dumb".equals(System.getenv("TERM"))) return false;
        return terminal();
    }

    /** @return true if stdin and stdout are a terminal (a person is typing and reading) */
    static boolean terminal() {
        Console console = System.console();
        if (console == null) return false;
        // Since JDK 22 System.console() also exists when output is redirected; Console.isTerminal() (JDK 22+) tells.
        // This module targets Java 21, so the method is looked up instead of called.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // Java 21: a console exists only when stdin and stdout are a terminal
        } catch (ReflectiveOperationException e) {
            return false; // the check failed: plain output is always readable
        }
    }
}
