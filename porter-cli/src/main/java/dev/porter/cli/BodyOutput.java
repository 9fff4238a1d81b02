package dev.porter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where {@code porter get} writes the response body: stdout byte for byte, or the {@code -o} file (appended to
 * when resuming), with a progress bar on stderr when asked.
 *
 * @param out      stdout
 * @param err      stderr, for the progress bar
 * @param file     the {@code -o} file, or null for stdout
 * @param progress true to show a progress bar while writing to {@code file}
 */
record BodyOutput(PrintStream out, PrintStream err, Path file, boolean progress) {

    /**
     * Copies {@code body} to its end.
     *
     * @param append true to add to the file (a resumed download), false to replace it
     * @param total  the size the file will have when complete, or -1 if unknown (for the progress bar)
     * @param offset the bytes already in the file (for the progress bar)
     * @throws GetFailure ({@link ExitCode#WRITE_ERROR}) if the output cannot be written
     * @throws IOException if reading the body fails
     */
    void copy(InputStream body, boolean append, long total, long offset) throws IOException, GetFailure {
        OutputStream sink;
        try {
            sink = file == null ? out : Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new GetFailure(ExitCode.WRITE_ERROR, "cannot write " + file + ": " + FileErrors.reason(e));
        }
        ProgressBar bar = file != null && progress ? new ProgressBar(err, total, offset) : null;
        boolean finished = false;
        try {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = body.read(buf)) > 0; ) {
                try {
                    sink.write(buf, 0, n);
                } catch (IOException e) {
                    throw new GetFailure(ExitCode.WRITE_ERROR, "cannot write " + file + ": " + FileErrors.reason(e));
                }
                // A PrintStream swallows write errors: a closed pipe (porter get URL | head) shows only here.
                if (sink == out && out.checkError()) throw new GetFailure(ExitCode.WRITE_ERROR, "cannot write to stdout");
                if (bar != null) bar.advance(n);
            }
            sink.flush();
            finished = true;
        } finally {
            if (bar != null) {
                if (finished) bar.finish();
                else err.println(); // leave the bar's line before the error line
            }
            if (sink != out) sink.close();
        }
    }
}
