package dev.porter.cli;

/**
 * A failure of {@code porter get} with the exit code a script sees; the message is the one line printed after
 * {@code porter get: }. No stack trace is kept: it is never shown.
 */
final class GetFailure extends Exception {

    private final ExitCode code;

    GetFailure(ExitCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** @return the exit code for this failure */
    ExitCode code() {
        return code;
    }
}
