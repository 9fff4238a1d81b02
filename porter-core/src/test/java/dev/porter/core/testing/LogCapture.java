package dev.porter.core.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what Porter logs through {@link System.Logger} under one logger name, while open. Porter's default
 * {@code System.Logger} backend is {@code java.util.logging}, so this attaches a handler there.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of("dev.porter.core.Server")) {
 *     ...
 *     assertThat(log.messages(System.Logger.Level.WARNING)).singleElement().asString().contains("127.0.0.1");
 * }
 * }</pre>
 *
 * Thread-safe: records arrive from any thread.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
            // Records are kept in memory only: nothing to flush.
        }

        @Override
        public void close() {
            // Nothing to release: the list belongs to the capture.
        }
    };

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        this.previousLevel = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        // Capture everything the code logs at INFO and above (the usual default), plus DEBUG (FINE) if asked.
        if (previousLevel == null) logger.setLevel(Level.FINE);
    }

    /** Starts capturing records of the logger {@code name} (and its children). */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /**
     * @return the messages (with the thrown exception's text appended, if any) of records logged at exactly
     *         {@code level} through {@link System.Logger}
     */
    public List<String> messages(System.Logger.Level level) {
        Level jul = switch (level) {
            case ALL -> Level.ALL;
            case TRACE -> Level.FINER;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case OFF -> Level.OFF;
        };
        return records.stream()
                .filter(r -> r.getLevel().equals(jul))
                .map(r -> r.getMessage() + (r.getThrown() == null ? "" : " | " + r.getThrown()))
                .toList();
    }

    /** @return the records that carry an exception, in order */
    public List<LogRecord> failures() {
        return records.stream().filter(r -> r.getThrown() != null).toList();
    }

    /** Stops capturing and restores the logger's level. */
    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
