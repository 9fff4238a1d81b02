package dev.porter.bench.report;

import java.util.Arrays;
import java.util.List;

/**
 * The load jobs of {@code bench/run}, in table order. Each is one load run (wrk; h2load for HTTP/2) per server
 * and round. The TLS jobs run against each server's TLS instance and have a table of their own; so do the HTTP/2
 * jobs, over h2c (prior knowledge) against each server's h2c instance and over TLS (ALPN h2) against its h2 one;
 * and the WebSocket echo jobs (one WsLoad run per server and round) against each server's WebSocket instance.
 */
enum Job {
    PLAINTEXT_C64("plaintext-c64", "plaintext c=64", "plaintext|c=64", false, Table.CLEARTEXT, false, 13, 64),
    PLAINTEXT_C256("plaintext-c256", "plaintext c=256", "plaintext|c=256", false, Table.CLEARTEXT, false, 13, 256),
    PIPELINED_16("pipelined-16", "pipelined 16 deep c=64", "pipelined|16 deep", false, Table.CLEARTEXT, false, 13, 64 * 16),
    STATIC_1K("static-1k", "static 1 KiB c=32", "static 1 KiB|c=32", false, Table.CLEARTEXT, false, 1024, 32),
    STATIC_1M("static-1m", "static 1 MiB c=32", "static 1 MiB|c=32", true, Table.CLEARTEXT, false, 1 << 20, 32),
    /** plaintext c=64 with a CPU hog pinned to one core ({@code taskset -c 1}) for the length of the run. */
    PLAINTEXT_C64_LOADED("plaintext-c64-loaded", "plaintext c=64 loaded", "plaintext c=64|CPU hog", false,
        Table.CLEARTEXT, false, 13, 64),
    /** pipelined 16 deep with the same CPU hog. */
    PIPELINED_16_LOADED("pipelined-16-loaded", "pipelined 16 deep loaded", "pipelined|CPU hog", false,
        Table.CLEARTEXT, false, 13, 64 * 16),
    TLS_PLAINTEXT_C64("tls-plaintext-c64", "tls plaintext c=64", "TLS plaintext|c=64", false, Table.TLS, true, 13, 64),
    /** {@code Connection: close}: every request on a new TLS connection, so requests/s are handshakes/s. */
    TLS_NEW_CONN("tls-new-conn", "tls new conn c=64", "TLS new conn|c=64", false, Table.TLS, true, 13, 64),
    TLS_STATIC_1M("tls-static-1m", "tls static 1 MiB c=32", "TLS 1 MiB|c=32", true, Table.TLS, true, 1 << 20, 32),
    /** h2load {@code -c 10 -m 10}: ten connections, ten concurrent streams each. */
    H2C_PLAINTEXT_C10M10("h2c-plaintext-c10m10", "h2c plaintext c=10 m=10", "h2c plaintext|c=10 m=10", false,
        Table.HTTP2, false, 13, 100),
    H2C_PLAINTEXT_C64M1("h2c-plaintext-c64m1", "h2c plaintext c=64 m=1", "h2c plaintext|c=64 m=1", false,
        Table.HTTP2, false, 13, 64),
    H2C_STATIC_1M("h2c-static-1m", "h2c static 1 MiB c=8 m=4", "h2c 1 MiB|c=8 m=4", true, Table.HTTP2, false, 1 << 20, 32),
    H2_PLAINTEXT_C10M10("h2-plaintext-c10m10", "h2 plaintext c=10 m=10", "h2 plaintext|c=10 m=10", false,
        Table.HTTP2, true, 13, 100),
    H2_PLAINTEXT_C64M1("h2-plaintext-c64m1", "h2 plaintext c=64 m=1", "h2 plaintext|c=64 m=1", false,
        Table.HTTP2, true, 13, 64),
    H2_STATIC_1M("h2-static-1m", "h2 static 1 MiB c=8 m=4", "h2 1 MiB|c=8 m=4", true, Table.HTTP2, true, 1 << 20, 32),
    /** WsLoad: 64 connections, each sending a 64-byte text message and waiting for its echo (closed loop). */
    WS_ECHO_64B("ws-echo-64b", "ws echo 64 B c=64", "WS echo 64 B|c=64", false, Table.WEBSOCKET, false, -1, 64),
    /** The same with 16 messages in flight per connection (a new one for each echo). */
    WS_ECHO_64B_K16("ws-echo-64b-k16", "ws echo 64 B c=64 k=16", "WS echo 64 B|16 in flight", false,
        Table.WEBSOCKET, false, -1, 64 * 16),
    /** 64 connections, each sending a 64 KiB binary message and waiting for its echo. */
    WS_ECHO_64K("ws-echo-64k", "ws echo 64 KiB c=64", "WS echo 64 KiB|c=64", false, Table.WEBSOCKET, false, -1, 64);

    /** The table a job is reported in, each with its own set of server instances. */
    enum Table {
        /** HTTP/1.1 in cleartext (and the idle job). */
        CLEARTEXT,
        /** HTTP/1.1 over TLS. */
        TLS,
        /** HTTP/2: h2c and h2 over TLS. */
        HTTP2,
        /** WebSocket echo (and the WebSocket idle job); throughput is messages echoed per second. */
        WEBSOCKET
    }

    /** The id bench/run writes in runs.tsv. */
    final String id;
    /** The row label. */
    final String label;
    /** The chart's group label, '|' between its two lines. */
    final String chartLabel;
    /** True when throughput is reported in bytes per second (GB/s) rather than requests per second. */
    final boolean bytesPerSecond;
    /** The table the job belongs to. */
    final Table table;
    /** True for the jobs over TLS (the TLS table's, and HTTP/2's h2 ones). */
    final boolean tls;
    /**
     * The exact body size every answer must have (13 for {@code /plaintext}, the file's size for a static job);
     * -1 for the WebSocket jobs, whose client checks every echo's size itself.
     */
    final int bodySize;
    /**
     * The most answers the load can have in flight when its run ends (connections × pipeline depth, or
     * connections × streams): their bytes are counted by the load tool, the answers not.
     */
    final int inFlight;

    Job(String id, String label, String chartLabel, boolean bytesPerSecond, Table table, boolean tls, int bodySize,
        int inFlight) {
        this.id = id;
        this.label = label;
        this.chartLabel = chartLabel;
        this.bytesPerSecond = bytesPerSecond;
        this.table = table;
        this.tls = tls;
        this.bodySize = bodySize;
        this.inFlight = inFlight;
    }

    /** @return whether this is a "loaded" variant: the same load with a CPU hog pinned to one core */
    boolean loaded() {
        return this == PLAINTEXT_C64_LOADED || this == PIPELINED_16_LOADED;
    }

    /** @return the job with this id, or null for an id this report does not know */
    static Job byId(String id) {
        for (Job job : values()) if (job.id.equals(id)) return job;
        return null;
    }

    /** @return the cleartext HTTP/1.1 jobs, in table order */
    static List<Job> cleartext() {
        return of(Table.CLEARTEXT);
    }

    /** @return the HTTP/1.1 jobs over TLS, in table order */
    static List<Job> overTls() {
        return of(Table.TLS);
    }

    /** @return the HTTP/2 jobs (h2c, then h2 over TLS), in table order */
    static List<Job> http2() {
        return of(Table.HTTP2);
    }

    /** @return the WebSocket echo jobs, in table order */
    static List<Job> websocket() {
        return of(Table.WEBSOCKET);
    }

    private static List<Job> of(Table table) {
        return Arrays.stream(values()).filter(job -> job.table == table).toList();
    }
}
