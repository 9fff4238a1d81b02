package dev.porter.http.internal.status;

import dev.porter.core.ConnectionInfo;
import dev.porter.core.ConnectionState;
import dev.porter.core.ServerStats;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure the status page shows, taken at one moment: what the JSON, the page's events and the Prometheus
 * gauges are rendered from. Taking one walks the connections (a record each) and asks the JVM for its threads and
 * heap: cheap, but not for the hot path; the page takes one a second per viewer.
 *
 * @param at             when it was taken
 * @param started        when the server started
 * @param ready          false once a graceful stop began
 * @param figures        requests per second and latency percentiles
 * @param classes        responses by status class since the start, 1xx first
 * @param errors         responses with a 4xx or 5xx status since the start, by status (only those seen)
 * @param stats          the welcome socket's counters
 * @param open           connections open now
 * @param byState        open connections by state, indexed by {@link ConnectionState#ordinal()}
 * @param listed         the oldest open connections, at most the configured number
 * @param http2          the HTTP/2 counters, indexed as {@link Metrics#count} says
 * @param platformThreads live platform threads of the JVM (virtual threads are not counted by the JVM)
 * @param daemonThreads  live daemon platform threads
 * @param peakThreads    the most platform threads alive at once since the JVM started
 * @param heapUsed       heap bytes in use
 * @param heapCommitted  heap bytes the JVM holds from the OS
 * @param heapMax        the heap's limit, or -1 if none
 */
record Snapshot(Instant at, Instant started, boolean ready, Figures figures, long[] classes, Map<Integer, Long> errors,
                ServerStats stats, int open, int[] byState, List<ConnectionInfo> listed, long[] http2, int platformThreads,
                int daemonThreads, int peakThreads, long heapUsed, long heapCommitted, long heapMax) {

    static final ConnectionState[] STATES = ConnectionState.values();

    /** @return HTTP/2 connections open now */
    long http2ConnectionsOpen() {
        return Math.max(0, http2[Metrics.H2_CONNECTIONS] - http2[Metrics.H2_CONNECTIONS_ENDED]);
    }

    /** @return HTTP/2 streams open now */
    long http2StreamsOpen() {
        return Math.max(0, http2[Metrics.H2_STREAMS] - http2[Metrics.H2_STREAMS_ENDED]);
    }

    /** Takes a snapshot. */
    static Snapshot take(Instant started, boolean ready, Figures figures, Metrics metrics, ServerStats stats,
                         List<ConnectionInfo> connections, int maxListed) {
        Map<Integer, Long> errors = new LinkedHashMap<>();
        for (int code = 400; code <= 599; code++) {
            long n = metrics.errors(code);
            if (n > 0) errors.put(code, n);
        }
        int[] byState = new int[STATES.length];
        for (ConnectionInfo c : connections) byState[c.state().ordinal()]++;
        List<ConnectionInfo> listed = connections.size() <= maxListed ? connections : connections.subList(0, maxListed);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Snapshot(Instant.now(), started, ready, figures, metrics.classes(), errors, stats,
                connections.size(), byState, List.copyOf(listed), metrics.http2(), threads.getThreadCount(),
                threads.getDaemonThreadCount(), threads.getPeakThreadCount(), heap.getUsed(), heap.getCommitted(),
                heap.getMax());
    }
}
