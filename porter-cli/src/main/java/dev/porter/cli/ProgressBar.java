package dev.porter.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line download progress bar for a terminal, redrawn in place with a carriage return: bytes so far, percent
 * and a bar when the total is known, average rate, and time left. Redraws at most every 100 ms, so a fast
 * download is not slowed by drawing. Not thread-safe.
 */
final class ProgressBar {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final long total;
    private final long startedAt;
    private final long offset;
    private long done;
    private long lastDraw;
    private int lastWidth;

    /**
     * @param total  the size of the whole file, or -1 if unknown
     * @param offset bytes already present before this transfer (a resumed download)
     */
    ProgressBar(PrintStream err, long total, long offset) {
        this.err = err;
        this.total = total;
        this.offset = offset;
        this.done = offset;
        this.startedAt = System.nanoTime();
        this.lastDraw = startedAt - REDRAW_NANOS; // the first bytes are drawn at once
    }

    /** Counts {@code n} more bytes and redraws if enough time passed. */
    void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(now);
        }
    }

    /** Draws the final state and ends the line. */
    void finish() {
        draw(System.nanoTime());
        err.println();
        err.flush();
    }

    private void draw(long now) {
        double seconds = Math.max(1e-3, (now - startedAt) / 1e9);
        double rate = (done - offset) / seconds;
        StringBuilder line = new StringBuilder(96);
        if (total > 0) {
            int percent = (int) Math.min(100, done * 100 / total);
            int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
            line.append(String.format(Locale.ROOT, "%3d%% [", percent)).append("#".repeat(filled))
                    .append(" ".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(bytes(done)).append(" / ").append(bytes(total));
        } else {
            line.append(bytes(done));
        }
        line.append("  ").append(bytes((long) rate)).append("/s");
        if (total > 0 && done < total && rate > 0) line.append("  ETA ").append(duration((long) ((total - done) / rate)));
        else if (total > 0 && done >= total) line.append("  in ").append(duration((long) seconds));
        int width = line.length();
        // Blank out what is left of a longer previous line.
        if (width < lastWidth) line.append(" ".repeat(lastWidth - width));
        lastWidth = width;
        err.print("\r" + line);
        err.flush();
    }

    /** @return a size with a binary unit: {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}, {@code 1.00 GiB} */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }

    /** @return {@code m:ss} or {@code h:mm:ss} */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
