package dev.porter.http.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the HTTP server logs (its {@code System.Logger} {@code dev.porter.http.HttpServer}, backed by
 * java.util.logging) while open. Thread-safe.
 */
public final class ServerLog implements AutoCloseable {

    private final Logger logger = Logger.getLogger("dev.porter.http.HttpServer");
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
            // Records are kept in memory: nothing to flush.
        }

        @Override
        public void close() {
            // Nothing to release.
        }
    };

    private ServerLog() {
        logger.addHandler(handler);
    }

    /** @return a capture that runs until closed */
    public static ServerLog capture() {
        return new ServerLog();
    }

    /** @return the records that carry an exception, in order */
    public List<LogRecord> failures() {
        synchronized (records) {
            return records.stream().filter(r -> r.getThrown() != null).toList();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
