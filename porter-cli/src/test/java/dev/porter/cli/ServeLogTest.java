package dev.porter.cli;

import dev.porter.http.AccessLog;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The access-log lines of {@code porter serve}: Common Log Format, escaped, coloured only when asked. */
class ServeLogTest {

    private static AccessLog.Entry entry(String target, int status, long bytes) {
        return new AccessLog.Entry(new InetSocketAddress("127.0.0.1", 5000), Instant.parse("2026-05-01T12:03:04Z"),
                "GET", target, "HTTP/1.1", status, bytes, null, null, 1000);
    }

    private static String print(boolean colour, AccessLog.Entry e) {
        return new ServeLog(colour, ServeLog.Format.COMMON).line(e) + "\n";
    }

    @Test
    void writesCommonLogFormat() {
        String line = print(false, entry("/a.txt", 200, 1234));
        assertThat(line).matches("127\\.0\\.0\\.1 - - \\[01/May/2026:\\d\\d:\\d\\d:04 [+-]\\d{4}] \"GET /a.txt HTTP/1.1\" 200 1234\\R");
        assertThat(print(false, entry("/", 304, 0))).contains("\" 304 -");
    }

    @Test
    void anIpv6ClientIsWrittenInItsShortFormAsNginxDoes() {
        // RFC 5952 §4.2, as the Listening line prints it: ::1, not the JDK's 0:0:0:0:0:0:0:1.
        AccessLog.Entry e = new AccessLog.Entry(new InetSocketAddress("::1", 5000), Instant.parse("2026-05-01T12:03:04Z"),
                "GET", "/", "HTTP/1.1", 200, 1, null, null, 1000);
        assertThat(ServeLog.format(e)).startsWith("::1 - - [");
        assertThat(ServeLog.json(e)).contains("\"remote\":\"::1\"");
        AccessLog.Entry lan = new AccessLog.Entry(new InetSocketAddress("2001:db8:0:0:1:0:0:1", 5000),
                Instant.parse("2026-05-01T12:03:04Z"), "GET", "/", "HTTP/1.1", 200, 1, null, null, 1000);
        assertThat(ServeLog.format(lan)).startsWith("2001:db8::1:0:0:1 - - [");
    }

    @Test
    void escapesWhatCouldForgeALine() {
        assertThat(print(false, entry("/\"x\\y\u0001", 404, 0))).contains("GET /\\x22x\\x5cy\\x01 HTTP/1.1");
    }

    @Test
    void coloursByStatusClassOnlyWhenAsked() {
        assertThat(print(true, entry("/", 200, 1))).startsWith("\u001b[32m").contains("\u001b[0m");
        assertThat(print(true, entry("/", 301, 1))).startsWith("\u001b[36m");
        assertThat(print(true, entry("/", 404, 1))).startsWith("\u001b[33m");
        assertThat(print(true, entry("/", 500, 1))).startsWith("\u001b[31m");
        assertThat(print(false, entry("/", 500, 1))).doesNotContain("\u001b");
    }
}
