package dev.porter.cli;

import dev.porter.http.AccessLog;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log of {@code porter serve}: one Common Log Format line per request
 * ({@code 127.0.0.1 - - [01/May/2026:12:03:04 +0200] "GET / HTTP/1.1" 200 1234}), coloured by status class on a
 * terminal (2xx green, 3xx cyan, 4xx yellow, 5xx red) and plain otherwise. Thread-safe: a line is printed whole.
 */
final class ServeLog implements AccessLog {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final boolean colour;

    ServeLog(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    @Override
    public void log(Entry e) {
        String line = format(e);
        synchronized (out) {
            out.println(colour ? colourOf(e.status()) + line + RESET : line);
            out.flush();
        }
    }

    /** @return the Common Log Format line for {@code e}, with the target escaped so a line cannot be forged */
    static String format(Entry e) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(e.remote().getAddress().getHostAddress()).append(" - - [").append(TIME.format(e.time())).append("] \"");
        escape(sb, e.method());
        sb.append(' ');
        escape(sb, e.target());
        sb.append(' ').append(e.version()).append("\" ").append(e.status()).append(' ')
                .append(e.bytes() == 0 ? "-" : Long.toString(e.bytes()));
        return sb.toString();
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
