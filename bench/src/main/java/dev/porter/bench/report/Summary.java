package dev.porter.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Medians per server and job, the idle job's per-connection figures, and Porter's ratio to the best peer.
 * Each figure is the median over rounds, taken separately (the median throughput and the median p99 may
 * come from different rounds). The TLS jobs have their own servers (each server's TLS instance) and two
 * more ratios: to the best JVM peer on the JDK's TLS, and to nginx. So do the HTTP/2 jobs (each server's h2c and
 * h2 instances), with ratios to the best JVM peer, to nginx and to h2o. The WebSocket jobs (each server's WebSocket
 * instance) count messages echoed per second. A figure whose runs failed any of the {@link Checks} (an error, a
 * non-2xx answer, a body of the wrong size) is no figure at all: it is never the best, no ratio is taken against
 * it, and Porter's ratio is n/a when it is Porter's.
 */
final class Summary {

    /** The server whose ratio to the others is reported. */
    static final String PORTER = "porter";
    /** A peer that is not a JVM server. */
    static final String NGINX = "nginx";
    /** The other peer that is not a JVM server (HTTP/2 only). */
    static final String H2O = "h2o";
    /** JVM peers whose TLS is native code rather than the JDK's: shown, but not Porter's JVM yardstick. */
    static final Set<String> NATIVE_TLS = Set.of("netty-openssl");

    /**
     * One server's figures for one job.
     *
     * @param throughput      requests per second, or bytes per second for {@link Job#bytesPerSecond} jobs
     * @param p99Us           99th percentile latency, microseconds
     * @param cpuUsPerRequest CPU time of the server's process tree per request, microseconds
     * @param errors          socket errors plus non-2xx answers, summed over rounds (should be 0)
     * @param problems        why the figures may not be reported (see {@link Checks}); empty when they may
     */
    record Figures(double throughput, double p99Us, double cpuUsPerRequest, long errors, List<String> problems) {
        /** @return whether every check passed, so that the figures may be reported and compared */
        boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * One server's idle job.
     *
     * @param connections asked for
     * @param opened      that completed their first exchange
     * @param alive       still open after the load ran alongside them
     * @param rssPerConn  growth of the resident set per opened connection, bytes
     * @param heapPerConn growth of live heap (after a full GC) per opened connection, bytes; NaN if not a JVM
     * @param load        plaintext c=64 while the connections were held
     * @param kept        {@code load} throughput over the server's own plaintext c=64 median; NaN without one
     */
    record IdleFigures(int connections, int opened, int alive, double rssPerConn, double heapPerConn,
                       Figures load, double kept) {
        /** @return the throughput with the connections held; NaN when not measured or when it failed a check */
        double loadThroughput() {
            return load == null || !load.ok() ? Double.NaN : load.throughput();
        }
    }

    /**
     * One server's WebSocket idle job.
     *
     * @param connections asked for
     * @param opened      upgraded, with one message echoed
     * @param alive       still open when the job ended
     * @param rssPerConn  growth of the resident set per opened connection, bytes
     * @param heapPerConn growth of live heap (after a full GC) per opened connection, bytes; NaN if not a JVM
     */
    record WsIdleFigures(int connections, int opened, int alive, double rssPerConn, double heapPerConn) {}

    final Results results;
    /** The servers of the cleartext jobs, in column order. */
    final List<String> servers;
    /** The servers of the TLS jobs, in column order. */
    final List<String> tlsServers;
    /** The servers of the HTTP/2 jobs, in column order. */
    final List<String> h2Servers;
    /** The servers of the WebSocket jobs, in column order. */
    final List<String> wsServers;
    final Map<Job, Map<String, Figures>> jobs = new EnumMap<>(Job.class);
    /** The load client's own CPU µs per message (WebSocket jobs: WsLoad measures itself), median of rounds. */
    final Map<Job, Map<String, Double>> clientCpu = new EnumMap<>(Job.class);
    final Map<String, IdleFigures> idle = new LinkedHashMap<>();
    final Map<String, WsIdleFigures> wsIdle = new LinkedHashMap<>();

    Summary(Results results) {
        this.results = results;
        this.servers = new ArrayList<>(results.servers().keySet());
        this.tlsServers = new ArrayList<>(results.tlsServers().keySet());
        this.h2Servers = new ArrayList<>(results.h2Servers().keySet());
        this.wsServers = new ArrayList<>(results.wsServers().keySet());
        double clkTck = Double.parseDouble(results.meta().getOrDefault("clk_tck", "100"));
        for (Job job : Job.values()) {
            Map<String, Figures> byServer = new LinkedHashMap<>();
            for (String server : serversOf(job)) {
                List<Results.Run> all = results.runs().stream()
                    .filter(r -> r.server().equals(server) && r.job() == job).toList();
                if (all.isEmpty()) continue;
                List<Results.Run> runs = all.stream().filter(r -> r.requests() > 0).toList();
                List<String> problems = Checks.problems(job, preflight(server, job), results.preflights() != null,
                    all.stream().map(r -> new Checks.Sample(r.requests(), r.bytes(), r.dataBytes(), r.errors(), r.non2xx()))
                        .toList());
                byServer.put(server, new Figures(
                    median(runs.stream().mapToDouble(r -> throughput(job, r.requests(), r.bytes(), r.durationUs()))),
                    median(runs.stream().mapToDouble(Results.Run::p99Us)),
                    median(runs.stream().mapToDouble(r -> cpuPerRequest(r.cpuTicks(), r.requests(), clkTck))),
                    all.stream().mapToLong(r -> r.errors() + r.non2xx()).sum(), problems));
                if (runs.stream().anyMatch(r -> r.clientCpuTicks() > 0)) {
                    clientCpu.computeIfAbsent(job, j -> new LinkedHashMap<>()).put(server,
                        median(runs.stream().mapToDouble(r -> cpuPerRequest(r.clientCpuTicks(), r.requests(), clkTck))));
                }
            }
            jobs.put(job, byServer);
        }
        for (Results.WsIdle i : results.wsIdles()) {
            if (i.opened() <= 0) continue;
            double heap = i.heapBefore() < 0 || i.heapAfter() < 0
                ? Double.NaN : (double) (i.heapAfter() - i.heapBefore()) / i.opened();
            wsIdle.put(i.server(), new WsIdleFigures(i.connections(), i.opened(), i.alive(),
                (i.rssAfterKb() - i.rssBeforeKb()) * 1024.0 / i.opened(), heap));
        }
        for (Results.Idle i : results.idles()) {
            if (i.opened() <= 0) continue;
            // The load beside the idle connections is plaintext c=64's, checked the same way (its preflight too).
            List<String> problems = Checks.problems(Job.PLAINTEXT_C64, preflight(i.server(), Job.PLAINTEXT_C64),
                results.preflights() != null, List.of(new Checks.Sample(i.requests(), i.bytes(), -1, i.errors(), i.non2xx())));
            Figures load = i.requests() <= 0 && problems.isEmpty() ? null : new Figures(
                i.requests() <= 0 ? Double.NaN : throughput(Job.PLAINTEXT_C64, i.requests(), i.bytes(), i.durationUs()),
                i.p99Us(), i.requests() <= 0 ? Double.NaN : cpuPerRequest(i.cpuTicks(), i.requests(), clkTck),
                i.errors() + i.non2xx(), problems);
            Figures alone = jobs.get(Job.PLAINTEXT_C64).get(i.server());
            double kept = load == null || alone == null || !load.ok() || !alone.ok()
                ? Double.NaN : load.throughput() / alone.throughput();
            double heap = i.heapBefore() < 0 || i.heapAfter() < 0
                ? Double.NaN : (double) (i.heapAfter() - i.heapBefore()) / i.opened();
            idle.put(i.server(), new IdleFigures(i.connections(), i.opened(), i.alive(),
                (i.rssAfterKb() - i.rssBeforeKb()) * 1024.0 / i.opened(), heap, load, kept));
        }
    }

    private Results.Preflight preflight(String server, Job job) {
        return results.preflights() == null ? null : results.preflights().get(Results.key(server, job));
    }

    private static double throughput(Job job, long requests, long bytes, long durationUs) {
        double seconds = durationUs / 1e6;
        return (job.bytesPerSecond ? bytes : requests) / seconds;
    }

    private static double cpuPerRequest(long ticks, long requests, double clkTck) {
        return ticks * 1e6 / clkTck / requests;
    }

    static double median(java.util.stream.DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        if (sorted.length == 0) return Double.NaN;
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** @return the servers of the job's table: the cleartext, the TLS or the HTTP/2 ones */
    List<String> serversOf(Job job) {
        return switch (job.table) {
            case CLEARTEXT -> servers;
            case TLS -> tlsServers;
            case HTTP2 -> h2Servers;
            case WEBSOCKET -> wsServers;
        };
    }

    /** @return every server of any table, cleartext ones first, each once: the chart's columns */
    List<String> allServers() {
        List<String> all = new ArrayList<>(servers);
        for (String s : tlsServers) if (!all.contains(s)) all.add(s);
        for (String s : h2Servers) if (!all.contains(s)) all.add(s);
        for (String s : wsServers) if (!all.contains(s)) all.add(s);
        return all;
    }

    /** @return "ok" (perhaps followed by a note), or why the server has no cleartext figures */
    String status(String server) {
        return results.servers().getOrDefault(server, "?");
    }

    /** @return "ok", or why the server's WebSocket instance has no figures */
    String wsStatus(String server) {
        return results.wsServers().getOrDefault(server, "?");
    }

    /** @return "ok" (perhaps followed by a note), or why the server's TLS instance has no figures */
    String tlsStatus(String server) {
        Results.TlsServer tls = results.tlsServers().get(server);
        return tls == null ? "?" : tls.status();
    }

    /** @return "ok" (perhaps followed by a note), or why the server's h2c (or, for {@code tls}, h2) instance has no figures */
    String h2Status(String server, boolean tls) {
        Results.H2Server h2 = results.h2Servers().get(server);
        return h2 == null ? "?" : tls ? h2.h2Status() : h2.h2cStatus();
    }

    /** @return what the server's h2 instance and h2load negotiated, or "" when unknown */
    String h2Negotiated(String server) {
        Results.H2Server h2 = results.h2Servers().get(server);
        return h2 == null ? "" : h2.negotiated();
    }

    /** @return what the server's TLS instance negotiated with wrk's client, or "" when unknown */
    String negotiated(String server) {
        Results.TlsServer tls = results.tlsServers().get(server);
        return tls == null ? "" : tls.negotiated();
    }

    /** @return whether the server ran in the job's table (its status starts with "ok") */
    boolean available(String server, Job job) {
        String status = switch (job.table) {
            case CLEARTEXT -> status(server);
            case TLS -> tlsStatus(server);
            case HTTP2 -> h2Status(server, job.tls);
            case WEBSOCKET -> wsStatus(server);
        };
        return status.startsWith("ok");
    }

    /** @return whether the server ran at all: in cleartext, or (a server of another table only) there */
    boolean available(String server) {
        if (results.servers().containsKey(server)) return status(server).startsWith("ok");
        if (results.tlsServers().containsKey(server)) return tlsStatus(server).startsWith("ok");
        if (results.h2Servers().containsKey(server)) {
            return h2Status(server, false).startsWith("ok") || h2Status(server, true).startsWith("ok");
        }
        return wsStatus(server).startsWith("ok");
    }

    /**
     * @return whether the figure counts towards "best" and the ratios: only when its runs passed every check (a
     *         cell that failed one is reported as an error, not as a figure)
     */
    static boolean counts(Job job, Figures figures) {
        return figures != null && figures.ok();
    }

    /** @return the highest throughput among the peers (not Porter) for the job, NaN when none ran */
    double bestPeer(Job job) {
        return jobs.get(job).entrySet().stream().filter(e -> !e.getKey().equals(PORTER) && counts(job, e.getValue()))
            .mapToDouble(e -> e.getValue().throughput()).max().orElse(Double.NaN);
    }

    /** @return the server with the highest throughput for the job (Porter included), or null */
    String best(Job job) {
        return jobs.get(job).entrySet().stream().filter(e -> counts(job, e.getValue()))
            .max((a, b) -> Double.compare(a.getValue().throughput(), b.getValue().throughput()))
            .map(Map.Entry::getKey).orElse(null);
    }

    /** @return Porter's throughput over the best peer's for the job, NaN when either is missing */
    double porterRatio(Job job) {
        Figures porter = jobs.get(job).get(PORTER);
        return !counts(job, porter) ? Double.NaN : porter.throughput() / bestPeer(job);
    }

    /** A WebSocket idle-job figure read from {@link WsIdleFigures}; NaN where it does not apply. */
    interface WsIdleMetric {
        double of(WsIdleFigures figures);
    }

    /**
     * Porter's value of a WebSocket idle memory figure over the lowest peer's (lower is better).
     *
     * @param metric the figure
     * @return the ratio, NaN when Porter or every peer lacks the figure
     */
    double porterWsIdleRatio(WsIdleMetric metric) {
        WsIdleFigures porter = wsIdle.get(PORTER);
        if (porter == null) return Double.NaN;
        double lowest = wsIdle.entrySet().stream().filter(e -> !e.getKey().equals(PORTER))
            .mapToDouble(e -> metric.of(e.getValue())).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
        return metric.of(porter) / lowest;
    }

    /**
     * @return whether the server is a JVM peer (on the JDK's TLS, for a job over TLS): not Porter, not nginx or
     *         h2o, nor a native-TLS one
     */
    static boolean jvmPeer(String server, Job job) {
        return !server.equals(PORTER) && !server.equals(NGINX) && !server.equals(H2O)
            && !(job.tls && NATIVE_TLS.contains(server));
    }

    /** @return Porter's throughput over the best JVM peer's (see {@link #jvmPeer}), NaN when either is missing */
    double porterToJvm(Job job) {
        Figures porter = jobs.get(job).get(PORTER);
        double best = jobs.get(job).entrySet().stream().filter(e -> jvmPeer(e.getKey(), job) && counts(job, e.getValue()))
            .mapToDouble(e -> e.getValue().throughput()).max().orElse(Double.NaN);
        return !counts(job, porter) ? Double.NaN : porter.throughput() / best;
    }

    /** @return Porter's throughput over nginx's, NaN when either is missing */
    double porterToNginx(Job job) {
        return porterTo(job, NGINX);
    }

    /** @return Porter's throughput over h2o's, NaN when either is missing */
    double porterToH2o(Job job) {
        return porterTo(job, H2O);
    }

    private double porterTo(Job job, String peer) {
        Figures porter = jobs.get(job).get(PORTER);
        Figures other = jobs.get(job).get(peer);
        return !counts(job, porter) || !counts(job, other) ? Double.NaN : porter.throughput() / other.throughput();
    }

    /** An idle-job figure read from {@link IdleFigures}; NaN where it does not apply. */
    interface IdleMetric {
        double of(IdleFigures figures);
    }

    /**
     * Porter's value of an idle metric over the best peer's.
     *
     * @param metric        the figure
     * @param higherIsBetter whether the best peer has the highest value (else the lowest)
     * @return the ratio, NaN when Porter or every peer lacks the figure
     */
    double porterIdleRatio(IdleMetric metric, boolean higherIsBetter) {
        IdleFigures porter = idle.get(PORTER);
        if (porter == null) return Double.NaN;
        double[] peers = idle.entrySet().stream().filter(e -> !e.getKey().equals(PORTER))
            .mapToDouble(e -> metric.of(e.getValue())).filter(v -> !Double.isNaN(v)).toArray();
        if (peers.length == 0) return Double.NaN;
        double best = higherIsBetter ? Arrays.stream(peers).max().getAsDouble() : Arrays.stream(peers).min().getAsDouble();
        return metric.of(porter) / best;
    }
}
