package dev.porter.bench.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The raw figures of one {@code bench/run}, as it left them in its results folder: {@code meta.properties},
 * {@code servers.tsv} (name, status), {@code tls-servers.tsv} (name, status, what it negotiated; absent before
 * the TLS jobs existed), {@code h2-servers.tsv} (name, h2c status, h2 status, what h2load negotiated over TLS;
 * absent before the HTTP/2 jobs existed), {@code ws-servers.tsv} (name, status of its WebSocket instance; absent
 * before the WebSocket jobs existed or when they did not run), {@code runs.tsv} (one line per wrk, h2load or WsLoad
 * run), {@code idle.tsv} (one line per server's idle job) and {@code ws-idle.tsv} (one line per server's WebSocket
 * idle job; may be absent) and {@code preflight.tsv} (one line per server and job: what one request to the job's
 * URL answered before the rounds; absent before those checks existed, and then no preflight is required).
 * Tab-separated; all but the server lists have a header line.
 *
 * @param meta       facts about the run (date, machine, versions, command)
 * @param servers    every server asked for in cleartext, in order, with "ok" or why it has no figures
 * @param tlsServers every server asked for over TLS, in order
 * @param h2Servers  every server asked for over HTTP/2, in order
 * @param wsServers  every server asked for over WebSocket, in order, with "ok" or why it has no figures
 * @param runs       the load runs
 * @param idles      the idle jobs
 * @param wsIdles    the WebSocket idle jobs
 * @param preflights the preflight answers, by server and job; null when the run made none (an older run)
 */
record Results(Map<String, String> meta, Map<String, String> servers, Map<String, TlsServer> tlsServers,
               Map<String, H2Server> h2Servers, Map<String, String> wsServers, List<Run> runs, List<Idle> idles,
               List<WsIdle> wsIdles, Map<String, Preflight> preflights) {

    /**
     * A server's TLS instance.
     *
     * @param status     "ok" (perhaps followed by a note), or why it has no figures
     * @param negotiated what OpenSSL's default client (wrk's) and the server agreed, e.g. "TLSv1.3
     *                   TLS_AES_256_GCM_SHA384 X25519, resumes sessions"; empty when unknown
     */
    record TlsServer(String status, String negotiated) {}

    /**
     * A server's two HTTP/2 instances.
     *
     * @param h2cStatus  its h2c instance: "ok" (perhaps followed by a note), or why it has no figures
     * @param h2Status   its h2 (TLS) instance, the same way ("not run …" without TLS)
     * @param negotiated what h2load and the h2 instance agreed, e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256 X25519, h2"
     */
    record H2Server(String h2cStatus, String h2Status, String negotiated) {}

    /**
     * One wrk, h2load or WsLoad run. Durations and latencies in microseconds, CPU in clock ticks of the server's
     * process tree; {@code clientCpuTicks} is the load client's own CPU time (WsLoad only, else 0);
     * {@code dataBytes} is the body bytes h2load received (its "traffic" line's data), -1 where not recorded (wrk,
     * WsLoad, older runs).
     */
    record Run(String server, Job job, int round, long requests, long durationUs, long bytes, long p99Us,
               long cpuTicks, long errors, long non2xx, long clientCpuTicks, long dataBytes) {}

    /**
     * What one request to a job's URL answered before the rounds (curl; over HTTP/2 for the HTTP/2 jobs).
     *
     * @param status      the HTTP status, 0 when nothing came back
     * @param bodyBytes   the body's size
     * @param headBytes   the head's size (status line and fields; 0 over HTTP/2 where curl counts none)
     * @param httpVersion curl's {@code %{http_version}}: "1.1", "2", …
     */
    record Preflight(int status, long bodyBytes, long headBytes, String httpVersion) {}

    /** @return the key of a server's preflight for a job in {@link #preflights} */
    static String key(String server, Job job) {
        return server + "\t" + job.id;
    }

    /**
     * One idle job. Heap figures are -1 for servers that are not JVMs.
     */
    record Idle(String server, int connections, int opened, int alive, long rssBeforeKb, long rssAfterKb,
                long heapBefore, long heapAfter, long requests, long durationUs, long bytes, long p99Us,
                long cpuTicks, long errors, long non2xx) {}

    /**
     * One WebSocket idle job: connections asked for, opened (upgraded and one message echoed), still open at the
     * end; the server's RSS (KiB) and live heap (bytes, -1 for a server that is not a JVM) before and after.
     */
    record WsIdle(String server, int connections, int opened, int alive, long rssBeforeKb, long rssAfterKb,
                  long heapBefore, long heapAfter) {}

    /**
     * Reads a results folder.
     *
     * @param dir the folder bench/run wrote
     * @return the figures
     * @throws IOException when a file is missing or unreadable
     * @throws NumberFormatException when a figure is not a number
     */
    static Results load(Path dir) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("meta.properties"), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) meta.put(key, properties.getProperty(key));

        Map<String, String> servers = new LinkedHashMap<>();
        for (String[] row : rows(dir.resolve("servers.tsv"), false)) servers.put(row[0], row.length > 1 ? row[1] : "");
        Map<String, TlsServer> tlsServers = new LinkedHashMap<>();
        if (Files.exists(dir.resolve("tls-servers.tsv"))) {
            for (String[] row : rows(dir.resolve("tls-servers.tsv"), false)) {
                tlsServers.put(row[0], new TlsServer(row.length > 1 ? row[1] : "", row.length > 2 ? row[2] : ""));
            }
        }

        Map<String, H2Server> h2Servers = new LinkedHashMap<>();
        if (Files.exists(dir.resolve("h2-servers.tsv"))) {
            for (String[] row : rows(dir.resolve("h2-servers.tsv"), false)) {
                h2Servers.put(row[0], new H2Server(row.length > 1 ? row[1] : "", row.length > 2 ? row[2] : "",
                    row.length > 3 ? row[3] : ""));
            }
        }

        Map<String, String> wsServers = new LinkedHashMap<>();
        if (Files.exists(dir.resolve("ws-servers.tsv"))) {
            for (String[] row : rows(dir.resolve("ws-servers.tsv"), false)) wsServers.put(row[0], row.length > 1 ? row[1] : "");
        }

        List<Run> runs = new ArrayList<>();
        for (String[] r : rows(dir.resolve("runs.tsv"), true)) {
            Job job = Job.byId(r[1]);
            if (job == null) continue; // a job added to bench/run before this report knows it: left out
            runs.add(new Run(r[0], job, Integer.parseInt(r[2]), num(r[3]), num(r[4]), num(r[5]), num(r[6]),
                num(r[7]), num(r[8]), num(r[9]), r.length > 10 ? num(r[10]) : 0, r.length > 11 ? num(r[11]) : -1));
        }
        List<Idle> idles = new ArrayList<>();
        for (String[] r : rows(dir.resolve("idle.tsv"), true)) {
            idles.add(new Idle(r[0], (int) num(r[1]), (int) num(r[2]), (int) num(r[3]), num(r[4]), num(r[5]),
                num(r[6]), num(r[7]), num(r[8]), num(r[9]), num(r[10]), num(r[11]), num(r[12]), num(r[13]),
                num(r[14])));
        }
        List<WsIdle> wsIdles = new ArrayList<>();
        if (Files.exists(dir.resolve("ws-idle.tsv"))) {
            for (String[] r : rows(dir.resolve("ws-idle.tsv"), true)) {
                wsIdles.add(new WsIdle(r[0], (int) num(r[1]), (int) num(r[2]), (int) num(r[3]), num(r[4]), num(r[5]),
                    num(r[6]), num(r[7])));
            }
        }
        Map<String, Preflight> preflights = null;
        if (Files.exists(dir.resolve("preflight.tsv"))) {
            preflights = new LinkedHashMap<>();
            for (String[] r : rows(dir.resolve("preflight.tsv"), true)) {
                Job job = Job.byId(r[1]);
                if (job == null) continue;
                preflights.put(key(r[0], job), new Preflight((int) num(r[2]), num(r[3]), num(r[4]), r.length > 5 ? r[5] : ""));
            }
        }
        return new Results(meta, servers, tlsServers, h2Servers, wsServers, runs, idles, wsIdles, preflights);
    }

    private static List<String[]> rows(Path file, boolean header) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = header ? 1 : 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) rows.add(lines.get(i).split("\t", -1));
        }
        return rows;
    }

    private static long num(String text) {
        return text.isBlank() ? 0 : Long.parseLong(text.trim());
    }

    /** @return the meta value, or "?" when the run did not record it */
    String meta(String key) {
        return meta.getOrDefault(key, "?");
    }
}
