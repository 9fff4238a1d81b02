package dev.porter.bench.report;

/**
 * The load jobs of {@code bench/run}, in table order. Each is one wrk invocation per server and round.
 */
enum Job {
    PLAINTEXT_C64("plaintext-c64", "plaintext c=64", "plaintext|c=64", false),
    PLAINTEXT_C256("plaintext-c256", "plaintext c=256", "plaintext|c=256", false),
    PIPELINED_16("pipelined-16", "pipelined 16 deep c=64", "pipelined|16 deep", false),
    STATIC_1K("static-1k", "static 1 KiB c=32", "static 1 KiB|c=32", false),
    STATIC_1M("static-1m", "static 1 MiB c=32", "static 1 MiB|c=32", true);

    /** The id bench/run writes in runs.tsv. */
    final String id;
    /** The row label. */
    final String label;
    /** The chart's group label, '|' between its two lines. */
    final String chartLabel;
    /** True when throughput is reported in bytes per second (GB/s) rather than requests per second. */
    final boolean bytesPerSecond;

    Job(String id, String label, String chartLabel, boolean bytesPerSecond) {
        this.id = id;
        this.label = label;
        this.chartLabel = chartLabel;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** @return the job with this id, or null for an id this report does not know */
    static Job byId(String id) {
        for (Job job : values()) if (job.id.equals(id)) return job;
        return null;
    }
}
