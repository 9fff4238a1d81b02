package dev.porter.http.internal.status;

/**
 * The request figures of one moment, computed by the {@link Sampler} once a second. Latencies are in milliseconds
 * over the last {@link #windowSeconds()} seconds (a minute once the server has run that long).
 *
 * @param requests      responses counted since the start
 * @param perSecond     responses in the last second
 * @param series        responses per second over the last minute, oldest first (fewer while younger)
 * @param windowSeconds seconds the percentiles cover
 * @param timed         responses in the window that were timed (event streams are counted, not timed)
 * @param p50           median latency, ms
 * @param p90           90th percentile, ms
 * @param p99           99th percentile, ms
 * @param max           longest response in the window, ms
 */
record Figures(long requests, double perSecond, double[] series, int windowSeconds, long timed, double p50,
               double p90, double p99, double max) {

    /** Before the first tick. */
    static final Figures NONE = new Figures(0, 0, new double[0], 0, 0, 0, 0, 0, 0);
}
