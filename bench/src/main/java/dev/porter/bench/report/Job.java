package dev.porter.bench.report;

import java.util.Arrays;
import java.util.List;

/**
 * The load jobs of {@code bench/run}, in table order. Each is one wrk invocation per server and round. The
 * TLS jobs run against each server's TLS instance and have a table of their own.
 */
enum Job {
    PLAINTEXT_C64("plaintext-c64", "plaintext c=64", "plaintext|c=64", false, false),
    PLAINTEXT_C256("plaintext-c256", "plaintext c=256", "plaintext|c=256", false, false),
    PIPELINED_16("pipelined-16", "pipelined 16 deep c=64", "pipelined|16 deep", false, false),
    STATIC_1K("static-1k", "static 1 KiB c=32", "static 1 KiB|c=32", false, false),
    STATIC_1M("static-1m", "static 1 MiB c=32", "static 1 MiB|c=32", true, false),
    TLS_PLAINTEXT_C64("tls-plaintext-c64", "tls plaintext c=64", "TLS plaintext|c=64", false, true),
    /** {@code Connection: close}: every request on a new TLS connection, so requests/s are handshakes/s. */
    TLS_NEW_CONN("tls-new-conn", "tls new conn c=64", "TLS new conn|c=64", false, true),
    TLS_STATIC_1M("tls-static-1m", "tls static 1 MiB c=32", "TLS 1 MiB|c=32", true, true);

    /** The id bench/run writes in runs.tsv. */
    final String id;
    /** The row label. */
    final String label;
    /** The chart's group label, '|' between its two lines. */
    final String chartLabel;
    /** True when throughput is reported in bytes per second (GB/s) rather than requests per second. */
    final boolean bytesPerSecond;
    /** True for the jobs over TLS. */
    final boolean tls;

    Job(String id, String label, String chartLabel, boolean bytesPerSecond, boolean tls) {
        this.id = id;
        this.label = label;
        this.chartLabel = chartLabel;
        this.bytesPerSecond = bytesPerSecond;
        this.tls = tls;
    }

    /** @return the job with this id, or null for an id this report does not know */
    static Job byId(String id) {
        for (Job job : values()) if (job.id.equals(id)) return job;
        return null;
    }

    /** @return the cleartext jobs, in table order */
    static List<Job> cleartext() {
        return Arrays.stream(values()).filter(job -> !job.tls).toList();
    }

    /** @return the TLS jobs, in table order */
    static List<Job> overTls() {
        return Arrays.stream(values()).filter(job -> job.tls).toList();
    }
}
