package dev.porter.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a server's figures for a job may be reported: every answer 2xx with the job's exact body size. A peer
 * that answers 403s or errors fast would otherwise look fast and become the anchor of Porter's ratio, so a cell
 * failing any check is reported as an error with its reasons, never as a figure.
 *
 * <p>The checks: the preflight (one request to the job's URL before the rounds) answered 2xx with exactly
 * {@link Job#bodySize} bytes of body, over HTTP/2 for the HTTP/2 jobs; and in every run no socket errors, no
 * non-2xx answers, at least one answer, and the bytes consistent with the body size. wrk counts every byte it
 * read, heads included, and also the bytes of answers still in flight when the run stopped; so a wrk run must have
 * read at least {@code requests × bodySize} bytes and at most {@code (requests + inFlight) × (bodySize + 1 KiB)}.
 * h2load reports the body ("data") bytes apart: at least {@code requests × bodySize}, at most
 * {@code (requests + inFlight) × bodySize}. The WebSocket client checks every echo's size itself and counts what
 * is wrong as errors, so for the WebSocket jobs errors are the check.
 */
final class Checks {

    /** The most bytes of head (status line and fields) an answer is allowed besides its body. */
    static final long HEAD_BOUND = 1024;

    private Checks() {}

    /**
     * One load run's counts, as the checks need them.
     *
     * @param requests  answers completed
     * @param bytes     bytes read (wrk: heads and bodies; h2load: all frames)
     * @param dataBytes body bytes (h2load's "data"); -1 when not recorded
     * @param errors    socket errors, failed or timed-out requests
     * @param non2xx    answers with a status other than 2xx
     */
    record Sample(long requests, long bytes, long dataBytes, long errors, long non2xx) {}

    /**
     * @param job               the job
     * @param preflight         what one request to the job's URL answered before the rounds; null when there was none
     * @param preflightRequired whether the run recorded preflights (older runs did not; then none is required)
     * @param samples           the job's runs on one server
     * @return why the figures may not be reported, empty when every check passed
     */
    static List<String> problems(Job job, Results.Preflight preflight, boolean preflightRequired, List<Sample> samples) {
        List<String> problems = new ArrayList<>();
        if (job.table != Job.Table.WEBSOCKET) preflight(job, preflight, preflightRequired, problems);
        long errors = samples.stream().mapToLong(Sample::errors).sum();
        long non2xx = samples.stream().mapToLong(Sample::non2xx).sum();
        long empty = samples.stream().filter(s -> s.requests() <= 0).count();
        if (errors > 0 && job.table == Job.Table.WEBSOCKET) {
            problems.add(errors + " errors (wrong or missing echoes, dropped connections; the run's output shows the first)");
        } else if (errors > 0) {
            problems.add(errors + (errors == 1 ? " socket error or failed request" : " socket errors or failed requests"));
        }
        if (non2xx > 0) problems.add(non2xx + (non2xx == 1 ? " non-2xx answer" : " non-2xx answers"));
        if (empty > 0) problems.add(empty + " of " + samples.size() + " runs had no answer");
        if (job.bodySize >= 0) bytes(job, samples, problems);
        return problems;
    }

    private static void preflight(Job job, Results.Preflight p, boolean required, List<String> problems) {
        if (p == null) {
            if (required) problems.add("no preflight answer recorded");
            return;
        }
        if (p.status() == 0) {
            problems.add("preflight: no answer");
            return;
        }
        if (p.status() < 200 || p.status() > 299) problems.add("preflight: status " + p.status());
        if (p.bodyBytes() != job.bodySize) {
            problems.add("preflight: a " + p.bodyBytes() + "-byte body, not " + job.bodySize);
        }
        if (job.table == Job.Table.HTTP2 && !p.httpVersion().equals("2")) {
            problems.add("preflight: answered over HTTP/" + p.httpVersion() + ", not HTTP/2");
        }
    }

    private static void bytes(Job job, List<Sample> samples, List<String> problems) {
        int few = 0, many = 0;
        String first = null;
        for (Sample s : samples) {
            if (s.requests() <= 0) continue;
            boolean h2 = job.table == Job.Table.HTTP2;
            long counted = h2 ? s.dataBytes() : s.bytes();
            if (h2 && counted < 0) continue; // an older run: h2load's data bytes not recorded
            long perAnswer = h2 ? job.bodySize : job.bodySize + HEAD_BOUND;
            boolean tooFew = counted < s.requests() * (long) job.bodySize;
            boolean tooMany = counted > (s.requests() + job.inFlight) * perAnswer;
            if (tooFew) few++;
            if (tooMany) many++;
            if ((tooFew || tooMany) && first == null) {
                first = String.format(Locale.ROOT, "%.1f", (double) counted / s.requests());
            }
        }
        String what = job.table == Job.Table.HTTP2 ? "body bytes" : "bytes";
        if (few > 0) {
            problems.add(few + " of " + samples.size() + " runs read fewer " + what + " than " + job.bodySize
                + " per answer (" + first + ")");
        }
        if (many > 0) {
            problems.add(many + " of " + samples.size() + " runs read more " + what + " than "
                + (job.table == Job.Table.HTTP2 ? job.bodySize + "" : job.bodySize + " + 1 KiB of head")
                + " per answer (" + first + ")");
        }
    }
}
