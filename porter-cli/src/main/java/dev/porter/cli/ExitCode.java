package dev.porter.cli;

import picocli.CommandLine;

/**
 * Every exit code of the {@code porter} command, by name: what a script sees. The server commands and
 * {@code send} use the first three; {@code porter get} also uses curl's numbers for curl's failures (listed in its
 * help footer and in docs/client.md), so scripts written for curl can tell its failures apart. Several names may
 * share a number: {@code get}'s {@link #UNSUPPORTED} is curl's 1, which the other commands call {@link #FAILURE}.
 *
 * <p>picocli answers a usage error (an unknown option, a bad value) and an exception out of a command by itself;
 * {@link #USAGE} and {@link #FAILURE} are the numbers it uses for them
 * ({@link CommandLine.ExitCode#USAGE}, {@link CommandLine.ExitCode#SOFTWARE}).
 */
enum ExitCode {

    /**
     * Done as asked. A server command stopped by SIGINT or SIGTERM does not return: the JVM, ending on the signal,
     * exits with 128 + the signal (130, 143) after the shutdown hook's graceful stop.
     */
    OK(CommandLine.ExitCode.OK),
    /** A failure the message explains: a server that cannot start, a peer that does not answer. */
    FAILURE(CommandLine.ExitCode.SOFTWARE),
    /** A bad option, value or header: the command line must change. */
    USAGE(CommandLine.ExitCode.USAGE),

    // porter get: curl's numbers.
    /** The URL's scheme is not spoken (only http, https, ws and wss are). */
    UNSUPPORTED(1),
    /** The URL is malformed. */
    BAD_URL(3),
    /** The host name does not resolve. */
    UNKNOWN_HOST(6),
    /** The connection could not be made. */
    CONNECT_FAILED(7),
    /** The response broke HTTP's rules. */
    MALFORMED(8),
    /** The response body was cut short. */
    PARTIAL(18),
    /**
     * The status was 400 or more with {@code --fail}, or when resuming; for a WebSocket, the server refused the
     * handshake (a status other than 101) or closed the conversation with an error code.
     */
    HTTP_ERROR(22),
    /** The output could not be written. */
    WRITE_ERROR(23),
    /** The file of {@code -d @FILE} could not be read. */
    READ_ERROR(26),
    /** A connect, read or {@code --max-time} timeout. */
    TIMEOUT(28),
    /** A resumed download's range does not match the file. */
    RANGE_ERROR(33),
    /** More redirects than allowed. */
    TOO_MANY_REDIRECTS(47),
    /** The TLS handshake failed: no version, cipher or ALPN name in common, or the server does not speak TLS. */
    TLS_HANDSHAKE(35),
    /** The server closed the connection without answering. */
    EMPTY_REPLY(52),
    /** Any other network failure, such as a connection reset. */
    NETWORK(56),
    /** The server's certificate cannot be authenticated: untrusted issuer, another host's name, expired. */
    PEER_CERTIFICATE(60),
    /** The file of {@code --cacert} cannot be read or holds no certificate. */
    CA_FILE(77);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** @return the number the process exits with */
    int code() {
        return code;
    }
}
